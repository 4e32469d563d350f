package io.streamcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secrets in the configuration never reach what is printed: the values of unknown keys and of keys
 * named like secrets are masked in every configuration error and in {@code KafkaConfig}'s text,
 * while the key names stay, so that the user can find the line.
 */
class SecretsTest {
    private static final String PASSWORD = "hunter2-X";
    private static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
                    + " password=\""
                    + PASSWORD
                    + "\";";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ssl.key.password",
                "sasl.jaas.config",
                "SSL.KEYSTORE.PASSWORD",
                "sasl.oauthbearer.token.endpoint.url",
                "basic.auth.credentials.source",
                "client.secret",
                "ssl.keystore.key"
            })
    void namesThatMayHoldSecretsAreSensitive(String key) {
        assertTrue(Secrets.sensitive(key), key);
        assertEquals(Secrets.MASK, Secrets.shown(key, PASSWORD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"security.protocol", "linger.ms", "kafka.bootstrap-servers"})
    void otherNamesAreShown(String key) {
        assertFalse(Secrets.sensitive(key), key);
        assertEquals("v", Secrets.shown(key, "v"));
    }

    @Test
    void aMistypedKafkaPropertiesKeyIsNamedWithoutItsValue() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigLoader.load(
                                        null,
                                        List.of("kafka.propertiez.sasl.jaas.config=" + JAAS)));
        assertTrue(e.getMessage().contains("'kafka.propertiez.sasl.jaas.config'"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        assertFalse(e.getMessage().contains("PlainLoginModule"), e.getMessage());
    }

    @Test
    void anUnknownKeyWithAnInnocentNameIsNotShownEither() {
        // "pasword" contains none of the words: unknown keys are masked whatever their name.
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(null, List.of("kafka.pasword=" + PASSWORD)));
        assertTrue(e.getMessage().contains("kafka.pasword"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    @Test
    void anInvalidValueOfASensitiveKeyIsMasked() {
        ConfigException e = new ConfigException("kafka.properties.ssl.key.password", PASSWORD, "x");
        assertTrue(e.getMessage().contains("kafka.properties.ssl.key.password"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        ConfigException plain = new ConfigException("job.parallelism", "many", "x");
        assertTrue(plain.getMessage().contains("'many'"), plain.getMessage());
    }

    @Test
    void aMalformedOverrideDoesNotEchoWhatMayBeASecret() {
        ConfigException noKey =
                assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(null, List.of("=" + PASSWORD)));
        assertFalse(noKey.getMessage().contains(PASSWORD), noKey.getMessage());
        ConfigException noValue =
                assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(null, List.of("sasl.password:" + PASSWORD)));
        assertFalse(noValue.getMessage().contains(PASSWORD), noValue.getMessage());
    }

    @Test
    void aYamlSyntaxErrorNamesTheLineWithoutQuotingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("streamcast.yaml");
        // The quote closes early: the rest of the line is a syntax error, and the line holds the
        // password.
        Files.writeString(
                file,
                "kafka:\n  properties:\n    sasl.jaas.config: \"a password=\""
                        + PASSWORD
                        + "\";\"\n");
        ConfigException e =
                assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of()));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    @Test
    void kafkaConfigTextMasksSecretValuesButNamesEveryProperty() {
        StreamcastConfig.KafkaConfig kafka =
                ConfigLoader.load(
                                null,
                                List.of(
                                        "kafka.properties.sasl.jaas.config=" + JAAS,
                                        "kafka.properties.ssl.key.password=" + PASSWORD,
                                        "kafka.properties.security.protocol=SASL_SSL"))
                        .kafka();
        assertEquals(PASSWORD, kafka.properties().get("ssl.key.password"));
        String text = kafka.toString();
        assertFalse(text.contains(PASSWORD), text);
        assertTrue(text.contains("sasl.jaas.config=" + Secrets.MASK), text);
        assertTrue(text.contains("ssl.key.password=" + Secrets.MASK), text);
        assertTrue(text.contains("security.protocol=SASL_SSL"), text);
        assertEquals(Map.of(), ConfigLoader.defaults().kafka().properties());
    }
}

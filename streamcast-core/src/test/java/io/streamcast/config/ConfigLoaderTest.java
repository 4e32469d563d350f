package io.streamcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @Test
    void readsYamlAndAppliesOverridesOnTop(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("streamcast.yaml");
        Files.writeString(
                file,
                """
                kafka:
                  bootstrap-servers: broker:9092
                  properties:
                    security.protocol: SASL_SSL
                window:
                  size: 24
                  features: [rpm, load]
                model:
                  hidden: 16
                """);
        StreamcastConfig c =
                ConfigLoader.load(file, List.of("model.hidden=64", "inference.max-delay=5ms"));
        assertEquals("broker:9092", c.kafka().bootstrapServers());
        assertEquals("SASL_SSL", c.kafka().properties().get("security.protocol"));
        assertEquals(24, c.window().size());
        assertEquals(List.of("rpm", "load"), c.window().features());
        assertEquals(3, c.window().columns());
        assertEquals(3 + 4, c.window().width(), "calendar inputs on by default");
        assertEquals(64, c.model().hidden());
        assertEquals(Duration.ofMillis(5), c.inference().maxDelay());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "window.size, 1",
        "window.size, many",
        "model.cell, transformer",
        "model.dropout, 0.95",
        "model.hidden, 0",
        "training.sample-rate, 1.5",
        "training.enabled, maybe",
        "job.delivery, sometimes",
        "time.idleness, 10 parsecs",
        "time.min-timestamp, yesterday",
        // An instant (year +1000000000) without epoch milliseconds.
        "time.max-timestamp, +1000000000-01-01T00:00:00Z",
        "time.max-ahead, 0s",
        "time.max-ahead, soon",
        "time.default-step, 0ms",
        "intervals.coverage, 1",
        "model.decoder, beam-search",
        "training.tbptt-length, -4",
        "training.scheduled-sampling.start, 1.2",
        "training.scheduled-sampling.end, -0.1",
        "training.scheduled-sampling.rounds, 0",
        "training.scheduled-sampling.span, -1",
        "training.cpu-share, 0",
        "training.cpu-share, 1.5",
        "training.priority, low",
    })
    void anInvalidValueFailsNamingTheKeyAndTheValue(String key, String value) {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(null, List.of(key + "=" + value)));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
        assertTrue(
                e.getMessage().contains("allowed") || e.getMessage().contains("must"),
                e.getMessage());
    }

    @Test
    void everyKeyWithAnInvalidValueFailsTheStartNamingTheKey() {
        assertTrue(ConfigLoader.knownKeys().size() > 50, ConfigLoader.knownKeys().toString());
        for (String key : ConfigLoader.knownKeys()) {
            ConfigException failure = null;
            // Typed keys refuse garbage; free-text keys refuse blanks; lists refuse duplicates.
            for (String invalid : List.of("%%invalid%%", " ", "a,a")) {
                try {
                    ConfigLoader.load(null, List.of(key + "=" + invalid));
                } catch (ConfigException e) {
                    failure = e;
                    break;
                }
            }
            assertTrue(failure != null, key + " accepted every invalid value");
            assertTrue(failure.getMessage().contains(key), failure.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "notify.alertmanager-url, localhost:9093",
        "notify.alertmanager-url, ftp://am.example.com",
        "notify.webhook-url, https:///services/T0/SECRET",
        "notify.webhook-url, hooks.slack.com/services/T0/B0/SECRET",
    })
    void aNotifyUrlThatIsNotHttpFailsNamingTheKeyButNotTheValue(String key, String value) {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(null, List.of(key + "=" + value)));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("http"), e.getMessage());
        assertTrue(
                !e.getMessage().contains(value), "a webhook URL holds a token: " + e.getMessage());
    }

    @Test
    void notifySettingsAreReadIntoTheirRecord() {
        StreamcastConfig c =
                ConfigLoader.load(
                        null,
                        List.of(
                                "notify.alertmanager-url=http://127.0.0.1:9093",
                                "notify.webhook-url=https://hooks.example.com/T/B/x",
                                "notify.start-from=earliest",
                                "notify.retry-initial=200ms",
                                "notify.retry-max=5s"));
        StreamcastConfig.NotifyConfig n = c.notifications();
        assertEquals("http://127.0.0.1:9093", n.alertmanagerUrl().toString());
        assertEquals("hooks.example.com", n.webhookUrl().getHost());
        assertEquals(StreamcastConfig.NotifyStart.EARLIEST, n.startFrom());
        assertEquals(Duration.ofMillis(200), n.retryInitial());
        assertEquals("streamcast-notify", n.groupId());
        assertEquals(null, ConfigLoader.defaults().notifications().alertmanagerUrl());
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigLoader.load(
                                        null,
                                        List.of(
                                                "notify.retry-initial=10s",
                                                "notify.retry-max=1s")));
        assertTrue(e.getMessage().contains("notify.retry-max"), e.getMessage());
    }

    @Test
    void aLocalRunKeepsItsStateUnderTheWorkingDirectoryUnlessTold() {
        assertEquals("streamcast-state", ConfigLoader.load(null, List.of()).job().stateDir());
        assertEquals(
                "/var/lib/streamcast",
                ConfigLoader.load(null, List.of("job.state-dir=/var/lib/streamcast"))
                        .job()
                        .stateDir());
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(null, List.of("job.state-dir=state\u0000dir")));
        assertTrue(e.getMessage().contains("'job.state-dir'"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "model.decoder=autoregressive, model.cell=bilstm, model.decoder",
        "training.tbptt-length=16, model.cell=gru, training.tbptt-length",
        "training.tbptt-length=16, model.cell=bilstm, training.tbptt-length",
        "training.scheduled-sampling.end=0.1, training.scheduled-sampling.start=0.3, training.scheduled-sampling.end",
    })
    void settingsThatDoNotGoTogetherFailNamingTheKey(String setting, String other, String key) {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(null, List.of(setting, other)));
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
    }

    @Test
    void decoderTruncationAndScheduledSamplingAreReadIntoTheirRecords() {
        StreamcastConfig c =
                ConfigLoader.load(
                        null,
                        List.of(
                                "model.decoder=autoregressive",
                                "training.tbptt-length=12",
                                "training.scheduled-sampling.start=0.1",
                                "training.scheduled-sampling.end=0.6",
                                "training.scheduled-sampling.rounds=30",
                                "training.scheduled-sampling.span=5"));
        assertEquals("autoregressive", c.model().decoder().id());
        assertEquals(12, c.training().tbpttLength());
        assertEquals(
                new io.streamcast.model.ScheduledSampling(0.1, 0.6, 30, 5),
                c.training().scheduledSampling());
        StreamcastConfig d = ConfigLoader.defaults();
        assertEquals("direct", d.model().decoder().id());
        assertEquals(0, d.training().tbpttLength());
    }

    @Test
    void anUnknownKeyFailsTheStart() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(null, List.of("model.hiden=64")));
        assertTrue(e.getMessage().contains("model.hiden"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'model.hidden'?"), e.getMessage());
        ConfigException far =
                assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(null, List.of("colour.scheme=dark")));
        assertFalse(far.getMessage().contains("did you mean"), far.getMessage());
    }

    @Test
    void aDurationOutOfRangeNamesTheRangeAsDurationsAreWritten() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> ConfigLoader.load(null, List.of("job.checkpoint-interval=10ms")));
        assertTrue(e.getMessage().contains("between 100ms and 3650d"), e.getMessage());
        assertFalse(e.getMessage().contains("PT"), e.getMessage());
    }

    @Test
    void theShippedDeploymentConfigurationIsValid() {
        StreamcastConfig c =
                ConfigLoader.load(Repository.path("docker/streamcast.yaml"), List.of());
        assertEquals("kafka:9092", c.kafka().bootstrapServers());
    }
}

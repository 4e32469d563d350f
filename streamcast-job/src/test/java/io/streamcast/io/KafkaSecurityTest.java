package io.streamcast.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaSecurityTest {
    static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\""
                    + " password=\"s3cr3t\";";

    static StreamcastConfig secured() {
        return ConfigLoader.load(
                null,
                List.of(
                        "kafka.bootstrap-servers=b-1.example.com:9096",
                        "kafka.properties.security.protocol=SASL_SSL",
                        "kafka.properties.sasl.mechanism=SCRAM-SHA-512",
                        "kafka.properties.sasl.jaas.config=" + JAAS,
                        "kafka.properties.ssl.truststore.location=/etc/kafka/truststore.jks",
                        "kafka.properties.ssl.truststore.password=changeit"));
    }

    @Test
    void saslAndSslSettingsPassThroughToTheClients() {
        Properties p = KafkaIo.clientProperties(secured().kafka());
        assertEquals("SASL_SSL", p.getProperty("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.getProperty("sasl.mechanism"));
        assertEquals(JAAS, p.getProperty("sasl.jaas.config"));
        assertEquals("/etc/kafka/truststore.jks", p.getProperty("ssl.truststore.location"));
        assertEquals("changeit", p.getProperty("ssl.truststore.password"));
        assertEquals("b-1.example.com:9096", p.getProperty("bootstrap.servers"));
        // The source and sinks accept them (building connects to nothing).
        assertNotNull(KafkaIo.source(secured()));
        OutputSinks sinks = KafkaIo.sinks(secured());
        assertNotNull(sinks.perReading());
        assertNotNull(sinks.others());
    }

    @Test
    void credentialsNeverAppearWhenTheConfigurationIsPrinted() {
        String printed = secured().toString();
        assertFalse(printed.contains("s3cr3t"), printed);
        assertFalse(printed.contains("changeit"), printed);
        assertFalse(printed.contains("username=\"svc\""), printed);
    }
}

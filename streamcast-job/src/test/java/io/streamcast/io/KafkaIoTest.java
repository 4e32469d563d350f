package io.streamcast.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.ConfigException;
import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.OutputRecord.Stream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The sink's record routing: stamps a default broker accepts, and oversized records turned into
 * dead letters.
 */
class KafkaIoTest {
    private static final long NOW = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
    private static final StreamcastConfig CONFIG = ConfigLoader.defaults();
    private final KafkaIo.Router router =
            new KafkaIo.Router(
                    CONFIG.kafka(),
                    Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                    64 * 1024);

    private static OutputRecord forecast(int bytes) {
        return new OutputRecord(
                Stream.FORECASTS, "pump-1", "x".repeat(bytes).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recordsAreStampedWithTheEventTimeCappedAtTheClock() {
        assertEquals(
                NOW - 5_000,
                router.serialize(forecast(10), null, NOW - 5_000).timestamp(),
                "past: event time");
        assertEquals(
                NOW,
                router.serialize(forecast(10), null, NOW + 7_200_000).timestamp(),
                "two hours ahead: now, which a broker at its default one-hour limit accepts");
        assertEquals(
                0L,
                router.serialize(forecast(10), null, -86_400_000L).timestamp(),
                "before 1970: 0, as the producer refuses negative stamps");
        assertNull(
                router.serialize(forecast(10), null, null).timestamp(),
                "no event time: the producer's send time");
        ProducerRecord<byte[], byte[]> r = router.serialize(forecast(10), null, NOW);
        assertEquals(CONFIG.kafka().forecastsTopic(), r.topic());
        assertEquals("pump-1", new String(r.key(), StandardCharsets.UTF_8));
    }

    @Test
    void aRecordTooLargeToSendBecomesADeadLetterWithItsStart() throws Exception {
        int limit = 64 * 1024 - KafkaIo.Router.RECORD_OVERHEAD - "pump-1".length();
        assertEquals(
                CONFIG.kafka().forecastsTopic(),
                router.serialize(forecast(limit), null, NOW).topic(),
                "at the limit: sent");
        ProducerRecord<byte[], byte[]> r =
                router.serialize(forecast(limit + 1), null, NOW + 7_200_000);
        assertEquals(CONFIG.kafka().deadLettersTopic(), r.topic());
        assertEquals(NOW, r.timestamp());
        JsonNode d = new ObjectMapper().readTree(r.value());
        assertEquals("OUTPUT_TOO_LARGE", d.get("reason").asText());
        assertEquals(CONFIG.kafka().forecastsTopic(), d.get("source").asText());
        assertTrue(
                d.get("message").asText().contains((limit + 1 + "pump-1".length()) + " bytes"),
                d.toString());
        assertEquals("x".repeat(EventParser.MAX_RAW_IN_DEAD_LETTER), d.get("raw").asText());
        assertTrue(r.value().length < 4096);
    }

    @Test
    void theLimitIsTheProducersMaxRequestSize() {
        assertEquals(1024 * 1024, KafkaIo.maxRequestSize(new Properties()));
        Properties p = new Properties();
        p.put("max.request.size", "5000000");
        assertEquals(5_000_000, KafkaIo.maxRequestSize(p));
        for (String bad : List.of("1000", "big")) {
            p.put("max.request.size", bad);
            ConfigException e =
                    assertThrows(ConfigException.class, () -> KafkaIo.maxRequestSize(p));
            assertTrue(
                    e.getMessage().contains("kafka.properties.max.request.size"), e.getMessage());
        }
    }
}

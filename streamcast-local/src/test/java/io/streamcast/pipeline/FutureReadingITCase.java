package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.KafkaTestClients;
import io.streamcast.io.KafkaTestClients.Input;
import io.streamcast.local.KafkaExtension;
import io.streamcast.local.LocalCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sensor with a clock hours ahead, against a broker at Kafka's default timestamp limits (records
 * stamped more than an hour ahead of its clock are refused, and a refused record fails the sink's
 * task): among 1,000 normal readings, one dated two hours ahead is dead-lettered and every normal
 * reading is forecast; with {@code time.max-ahead} raised above two hours the reading is forecast
 * instead, its output stamped no later than the processing clock. The job runs without restarts, so
 * any failed send fails the test at once.
 */
class FutureReadingITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LocalCluster.twoSlots();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SERIES = 10;
    private static final int STEPS = 100;
    private static final long STEP_MS = 60_000;
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @Test
    void theInProcessBrokerKeepsKafkasDefaultTimestampLimits() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            String broker = admin.describeCluster().nodes().get().iterator().next().idString();
            ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, broker);
            var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("3600000", config.get("log.message.timestamp.after.max.ms").value());
            assertTrue(config.get("log.message.timestamp.after.max.ms").isDefault());
            assertTrue(config.get("log.message.timestamp.before.max.ms").isDefault());
            assertEquals("CreateTime", config.get("log.message.timestamp.type").value());
        }
    }

    @Test
    void aReadingTwoHoursAheadIsDeadLetteredAndEveryNormalReadingIsForecast() throws Exception {
        long futureOffset = produce("fr", Duration.ofHours(2));
        runJob("fr", Map.of());

        List<JsonNode> forecasts =
                KafkaTestClients.readCommitted(
                        KAFKA.bootstrapServers(),
                        "fr-forecasts",
                        SERIES * STEPS,
                        Duration.ofSeconds(60));
        List<JsonNode> dead =
                KafkaTestClients.readCommitted(
                        KAFKA.bootstrapServers(), "fr-dead", 1, Duration.ofSeconds(20));
        assertEquals(
                SERIES * STEPS,
                forecasts.size(),
                "one forecast per normal reading, none for the future one");
        Set<String> keys = new HashSet<>();
        for (JsonNode f : forecasts) {
            assertTrue(
                    keys.add(f.get("series").asText() + "@" + f.get("ts").asText()),
                    "duplicate forecast " + f);
            // Every forecast targets the future, a series' first one too (time.default-step, before
            // the interval is known).
            long ts = Instant.parse(f.get("ts").asText()).toEpochMilli();
            assertTrue(
                    Instant.parse(f.get("forecast").get(0).get("ts").asText()).toEpochMilli() > ts,
                    f::toString);
        }
        assertEquals(1, dead.size(), dead::toString);
        JsonNode d = dead.get(0);
        assertEquals("FUTURE_TIMESTAMP", d.get("reason").asText(), d::toString);
        assertEquals(futureOffset, d.get("offset").asLong());
        assertTrue(d.get("message").asText().contains("time.max-ahead"), d::toString);
        assertTrue(d.get("raw").asText().contains("skewed"), d::toString);
    }

    @Test
    void aReadingAllowedFarAheadIsForecastWithItsOutputStampedNoLaterThanNow() throws Exception {
        produce("fa", Duration.ofHours(2));
        runJob("fa", Map.of("time.max-ahead", "3h"));

        List<ConsumerRecord<byte[], byte[]>> forecasts =
                KafkaTestClients.readRecords(
                        KAFKA.bootstrapServers(),
                        "fa-forecasts",
                        SERIES * STEPS + 1,
                        Duration.ofSeconds(60));
        assertEquals(
                SERIES * STEPS + 1,
                forecasts.size(),
                "every reading forecast, the one from the future too");
        int skewed = 0;
        for (ConsumerRecord<byte[], byte[]> r : forecasts) {
            JsonNode f = JSON.readTree(r.value());
            long ts = Instant.parse(f.get("ts").asText()).toEpochMilli();
            if (f.get("series").asText().equals("skewed")) {
                skewed++;
                // The event time stays in the JSON; the stamp is the processing clock, over an hour
                // earlier.
                assertTrue(
                        r.timestamp() < ts - Duration.ofHours(1).toMillis(),
                        "stamp " + r.timestamp() + " of " + f);
            } else {
                assertEquals(
                        ts, r.timestamp(), "a reading from the past keeps its event time as stamp");
            }
        }
        assertEquals(1, skewed);
        assertEquals(
                List.of(),
                KafkaTestClients.readCommitted(
                        KAFKA.bootstrapServers(), "fa-dead", 0, Duration.ofSeconds(1)));
    }

    /**
     * Produces 1,000 normal readings (10 series, a minute apart, ending a day ago) with one reading
     * of series {@code skewed} dated {@code ahead} of now in the middle, sent as a sensor would
     * (record timestamp: now); returns that reading's offset (one partition).
     */
    private static long produce(String prefix, Duration ahead) throws Exception {
        KafkaTestClients.createTopics(KAFKA.broker(), prefix, 1);
        long start = System.currentTimeMillis() - Duration.ofDays(1).toMillis() - STEPS * STEP_MS;
        List<Input> input = new ArrayList<>();
        long futureOffset = -1;
        for (int step = 0; step < STEPS; step++) {
            long ts = start + step * STEP_MS;
            for (int s = 0; s < SERIES; s++) {
                input.add(
                        new Input(
                                "f" + s,
                                StreamingJobITCase.event(
                                        "f" + s, ts, 50 + 10 * Math.sin(step / 4.0 + s)),
                                ts));
            }
            if (step == STEPS / 2) {
                long now = System.currentTimeMillis();
                futureOffset = input.size();
                input.add(
                        new Input(
                                "skewed",
                                StreamingJobITCase.event("skewed", now + ahead.toMillis(), 1.0),
                                now));
            }
        }
        KafkaTestClients.produce(KAFKA.bootstrapServers(), prefix + "-events", input);
        return futureOffset;
    }

    private static void runJob(String prefix, Map<String, String> settings) throws Exception {
        Map<String, String> all =
                new java.util.HashMap<>(
                        Map.of(
                                "window.size", "16",
                                "model.hidden", "8",
                                "training.enabled", "false"));
        all.putAll(settings);
        StreamcastConfig config = KafkaTestClients.jobConfig(KAFKA.bootstrapServers(), prefix, all);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        KafkaReplay.of(config).parallelism(2).runtime(conf).run(prefix + "-future-reading-itcase");
    }
}

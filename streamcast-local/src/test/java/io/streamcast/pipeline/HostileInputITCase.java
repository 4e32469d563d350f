package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.KafkaTestClients;
import io.streamcast.io.KafkaTestClients.Input;
import io.streamcast.local.KafkaExtension;
import io.streamcast.local.LocalCluster;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input at volume: over 10,000 malformed and hostile records mixed into a valid stream (one
 * partition, so the offset of every record is known). The job stays up, every bad record is a dead
 * letter with the right reason and its offset, every valid record is forecast, and stored payloads
 * are bounded.
 */
class HostileInputITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LocalCluster.twoSlots();

    static final long START = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    /**
     * Hostile records by the reason they must be rejected with; each takes (random, a valid series,
     * a valid ts).
     */
    interface Hostile {
        String make(Random r, String series, long ts);
    }

    static final Map<String, List<Hostile>> HOSTILE =
            Map.of(
                    "MALFORMED_JSON",
                            List.of(
                                    (r, s, t) -> "{\"series\": \"" + s + "\", \"ts\": " + t,
                                    (r, s, t) -> "\u0000\u0001garbage" + r.nextInt(),
                                    (r, s, t) -> "[" + "[".repeat(r.nextInt(50)) + "1",
                                    (r, s, t) ->
                                            "{\"series\": {\"nested\": [1, {\"junk\": null}]}, \"ts\": "
                                                    + t
                                                    + ", \"value\": 1}",
                                    (r, s, t) -> "\"just a string\""),
                    "MISSING_FIELD",
                            List.of(
                                    (r, s, t) -> "{\"ts\": " + t + ", \"value\": 1}",
                                    (r, s, t) -> "{\"series\": \"" + s + "\", \"value\": 1}",
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + s
                                                    + "\", \"ts\": "
                                                    + t
                                                    + ", \"extra\": 3}"),
                    "INVALID_VALUE",
                            List.of(
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + s
                                                    + "\", \"ts\": "
                                                    + t
                                                    + ", \"value\": \"NaN\"}",
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + s
                                                    + "\", \"ts\": "
                                                    + t
                                                    + ", \"value\": \"-Infinity\"}",
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + s
                                                    + "\", \"ts\": "
                                                    + t
                                                    + ", \"value\": ["
                                                    + "1,".repeat(2000)
                                                    + "1]}",
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + s
                                                    + "\", \"ts\": "
                                                    + t
                                                    + ", \"value\": {\"a\": 1}}",
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + s
                                                    + "\", \"ts\": "
                                                    + t
                                                    + ", \"value\": \"abc\"}"),
                    "INVALID_FEATURE",
                            List.of(
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + s
                                                    + "\", \"ts\": "
                                                    + t
                                                    + ", \"value\": 1, \"features\": {\"x\": 1}}"),
                    "INVALID_TIMESTAMP",
                            List.of(
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + s
                                                    + "\", \"ts\": \"not a time\", \"value\": 1}",
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + s
                                                    + "\", \"ts\": true, \"value\": 1}"),
                    "TIMESTAMP_OUT_OF_RANGE",
                            List.of(
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + s
                                                    + "\", \"ts\": \"0001-01-01T00:00:00Z\", \"value\": 1}",
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + s
                                                    + "\", \"ts\": \"9999-12-31T23:59:59Z\", \"value\": 1}"),
                    "TOO_LARGE",
                            List.of(
                                    (r, s, t) ->
                                            "{\"series\": \""
                                                    + "x".repeat(70_000)
                                                    + "\", \"ts\": "
                                                    + t
                                                    + ", \"value\": 1}"));

    @Test
    void tenThousandHostileRecordsAreDeadLetteredWhileEveryValidRecordIsForecast()
            throws Exception {
        KafkaTestClients.createTopics(KAFKA.broker(), "hi", 1);
        Random random = new Random(11);
        List<Input> records = new ArrayList<>();
        Map<Long, String> expectedReason = new HashMap<>();
        List<String> reasons = new ArrayList<>(new TreeMap<>(HOSTILE).keySet());
        int valid = 0;
        int series = 10;
        for (int step = 0; step < 500; step++) {
            long ts = START + step * 60_000L;
            for (int s = 0; s < series; s++) {
                records.add(
                        new Input(
                                "h" + s,
                                StreamingJobITCase.event("h" + s, ts, 50 + Math.sin(step / 5.0)),
                                ts));
                valid++;
            }
            // A single series flooding: valid, and every one must be forecast.
            for (int f = 1; f <= 3; f++) {
                records.add(
                        new Input(
                                "flood", StreamingJobITCase.event("flood", ts + f * 1000L, f), ts));
                valid++;
            }
            for (int b = 0; b < 20; b++) {
                String reason = reasons.get(random.nextInt(reasons.size()));
                List<Hostile> kinds = HOSTILE.get(reason);
                String json =
                        kinds.get(random.nextInt(kinds.size()))
                                .make(random, "h" + random.nextInt(series), ts);
                expectedReason.put((long) records.size(), reason);
                records.add(new Input(null, json, ts));
            }
            if (step > 0) {
                expectedReason.put((long) records.size(), "DUPLICATE");
                records.add(new Input("h0", StreamingJobITCase.event("h0", ts, 1), ts));
                expectedReason.put((long) records.size(), "LATE");
                records.add(
                        new Input("h1", StreamingJobITCase.event("h1", ts - 3_600_000L, 1), ts));
            }
        }
        KafkaTestClients.produce(KAFKA.bootstrapServers(), "hi-events", records);

        StreamcastConfig config =
                KafkaTestClients.jobConfig(
                        KAFKA.bootstrapServers(),
                        "hi",
                        Map.ofEntries(
                                Map.entry("window.size", "16"),
                                Map.entry("model.hidden", "8"),
                                Map.entry("training.enabled", "false")));
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        KafkaReplay.of(config).parallelism(2).run("hostile-input-itcase");
        long peakHeap =
                ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == MemoryType.HEAP)
                        .mapToLong(pool -> pool.getPeakUsage().getUsed())
                        .sum();

        List<JsonNode> dead =
                KafkaTestClients.readCommitted(
                        KAFKA.bootstrapServers(),
                        "hi-dead",
                        expectedReason.size(),
                        Duration.ofSeconds(60));
        List<JsonNode> forecasts =
                KafkaTestClients.readCommitted(
                        KAFKA.bootstrapServers(), "hi-forecasts", valid, Duration.ofSeconds(60));

        assertTrue(
                expectedReason.size() >= 10_000,
                "at least 10,000 bad records: " + expectedReason.size());
        assertEquals(valid, forecasts.size(), "every valid record is forecast");
        assertEquals(expectedReason.size(), dead.size(), "every bad record is a dead letter, once");
        Map<String, Integer> byReason = new TreeMap<>();
        for (JsonNode d : dead) {
            long offset = d.get("offset").asLong();
            assertEquals("hi-events", d.get("source").asText());
            assertEquals(
                    expectedReason.get(offset),
                    d.get("reason").asText(),
                    "reason of offset " + offset + ": " + d);
            assertTrue(d.get("raw").asText().length() <= 1024, "dead-letter payloads are capped");
            byReason.merge(d.get("reason").asText(), 1, Integer::sum);
        }
        // A figure for the report, not an assertion: the sum of each heap pool's peak (an upper
        // bound of the peak heap in use) of this JVM, which also holds the broker and the
        // MiniCluster, while the job ran.
        System.out.printf(
                "hostile input: %d bad records (%s) among %d valid; all dead-lettered, all valid forecast;"
                        + " peak heap during the job %d MB%n",
                dead.size(), byReason, valid, peakHeap >> 20);
    }
}

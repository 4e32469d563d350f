package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ParsedEvent;
import io.streamcast.io.KafkaTestClients;
import io.streamcast.io.KafkaTestClients.Input;
import io.streamcast.local.KafkaExtension;
import io.streamcast.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery, exactly-once: the job is killed ten times while it streams many series with
 * retraining active, and restarts from its latest checkpoint each time. Read with read_committed,
 * every accepted event has exactly one forecast and one score, model versions never go backwards
 * and the trainer resumes rather than starting over.
 */
class RecoveryITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LocalCluster.twoSlots();

    static final int SERIES = 30;
    static final int STEPS = 400;
    static final int KILLS = 10;
    static final long STEP_MS = 60_000;
    static final long START = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir static Path kills;

    /**
     * Fails the job once per attempt for the first {@link #KILLS} attempts, after at least one
     * checkpoint of that attempt completed (so every attempt makes progress), leaving a marker file
     * per kill. Until then it paces the input, or the bounded source would be read to its end
     * before the last kill.
     */
    static final class KillSwitch extends RichMapFunction<ParsedEvent, ParsedEvent>
            implements CheckpointListener {
        private final String markers;
        private transient int attempt;
        private transient long seen;
        private transient int checkpoints;

        KillSwitch(Path markers) {
            this.markers = markers.toString();
        }

        @Override
        public void open(OpenContext context) {
            attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        }

        @Override
        public ParsedEvent map(ParsedEvent e) throws Exception {
            seen++;
            if (attempt >= KILLS) {
                return e;
            }
            // Kill soon after this attempt's first checkpoint, at a varying point: every attempt
            // makes progress. Waiting for that checkpoint, the input slows to a crawl, so that
            // however long checkpoints take on a loaded machine, all ten kills happen well before
            // the input ends.
            boolean killPointReached = seen >= 37L * attempt;
            if (killPointReached && checkpoints >= 1) {
                Files.writeString(Path.of(markers, "kill-" + attempt), Long.toString(seen));
                throw new IllegalStateException("injected failure " + attempt);
            }
            Thread.sleep(killPointReached ? 20 : 1);
            return e;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpoints++;
        }
    }

    @Test
    void survivesTenKillsWithNothingLostNothingDoubledAndNoModelRegression() throws Exception {
        KafkaTestClients.createTopics(KAFKA.broker(), "rc", 2);
        List<Input> input = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            long ts = START + step * STEP_MS;
            for (int s = 0; s < SERIES; s++) {
                double v = 100 + s + 10 * Math.sin(2 * Math.PI * step / 24.0 + s);
                input.add(new Input("r" + s, StreamingJobITCase.event("r" + s, ts, v), ts));
            }
        }
        KafkaTestClients.produce(KAFKA.bootstrapServers(), "rc-events", input);

        StreamcastConfig config =
                KafkaTestClients.jobConfig(
                        KAFKA.bootstrapServers(),
                        "rc",
                        Map.ofEntries(
                                Map.entry("window.size", "16"),
                                Map.entry("model.hidden", "8"),
                                Map.entry("training.sample-rate", "0.5"),
                                Map.entry("training.round-every", "300"),
                                Map.entry("training.steps-per-round", "5")));

        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, KILLS + 5);
        restarts.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        KafkaReplay.of(config)
                .parallelism(2)
                .checkpointEvery(300)
                .runtime(restarts)
                .tap(events -> events.map(new KillSwitch(kills)).name("kill-switch"))
                .run("recovery-itcase");

        int accepted = SERIES * STEPS;
        List<JsonNode> forecasts =
                KafkaTestClients.readCommitted(
                        KAFKA.bootstrapServers(), "rc-forecasts", accepted, Duration.ofSeconds(60));
        List<JsonNode> scores =
                KafkaTestClients.readCommitted(
                        KAFKA.bootstrapServers(),
                        "rc-scores",
                        accepted - SERIES,
                        Duration.ofSeconds(30));
        List<JsonNode> models =
                KafkaTestClients.readCommitted(
                                KAFKA.bootstrapServers(), "rc-models", 1, Duration.ofSeconds(10))
                        .stream()
                        .filter(m -> m.has("version")) // the models, not the drift events
                        .toList();
        long killed;
        try (var files = Files.list(kills)) {
            killed = files.count();
        }

        assertEquals(KILLS, killed, "kills survived");
        assertEquals(accepted, forecasts.size(), "exactly one forecast per accepted event");
        assertEquals(accepted, unique(forecasts), "no duplicate forecasts");
        assertEquals(
                accepted - SERIES,
                scores.size(),
                () ->
                        "one score per event after each series' first; first"
                                + " missing: "
                                + missingScores(forecasts, scores));
        assertEquals(scores.size(), unique(scores), "no duplicate scores");

        Map<String, TreeMap<Long, Long>> versionsBySeries = new HashMap<>();
        for (JsonNode f : forecasts) {
            versionsBySeries
                    .computeIfAbsent(f.get("series").asText(), k -> new TreeMap<>())
                    .put(
                            Instant.parse(f.get("ts").asText()).toEpochMilli(),
                            f.get("model").get("version").asLong());
        }
        for (var series : versionsBySeries.values()) {
            long previous = 0;
            for (long v : series.values()) {
                assertTrue(
                        v >= previous,
                        "a series' model version went backwards: " + series.values());
                previous = v;
            }
        }
        long previousVersion = 0;
        long previousSamples = 0;
        for (JsonNode m : models) {
            long v = m.get("version").asLong();
            long samples = m.get("metrics").get("samplesSeen").asLong();
            assertEquals(previousVersion + 1, v, "model versions are consecutive and never repeat");
            assertTrue(
                    samples > previousSamples,
                    "the trainer resumed from its checkpoint, not from zero");
            previousVersion = v;
            previousSamples = samples;
        }
        assertTrue(
                models.size() >= 2, "retraining stayed active across restarts: " + models.size());
        System.out.printf(
                "recovery: %d kills survived, %d events, %d forecasts, %d scores, %d model versions,"
                        + " 0 duplicates, 0 losses%n",
                killed, accepted, forecasts.size(), scores.size(), models.size());
    }

    /** The first few readings, after each series' first, that have a forecast but no score. */
    private static List<String> missingScores(List<JsonNode> forecasts, List<JsonNode> scores) {
        Set<String> scored = new HashSet<>();
        scores.forEach(r -> scored.add(r.get("series").asText() + "@" + r.get("ts").asText()));
        return forecasts.stream()
                .filter(f -> Instant.parse(f.get("ts").asText()).toEpochMilli() > START)
                .map(f -> f.get("series").asText() + "@" + f.get("ts").asText())
                .filter(key -> !scored.contains(key))
                .sorted()
                .limit(10)
                .toList();
    }

    private static int unique(List<JsonNode> records) {
        Set<String> keys = new HashSet<>();
        for (JsonNode r : records) {
            keys.add(r.get("series").asText() + "@" + r.get("ts").asText());
        }
        return keys.size();
    }
}

package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.KafkaTestClients;
import io.streamcast.io.KafkaTestClients.Input;
import io.streamcast.local.KafkaExtension;
import io.streamcast.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.io.FileUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades through savepoints: stop with a savepoint, start again from it with a changed
 * non-structural setting, and check that windows, recurrent memory, the model and the trainer
 * carried over. With {@code -Dstreamcast.savepoint.write=true} it also refreshes the savepoint kept
 * for {@link SavepointCompatibilityITCase} (only after a deliberate, documented break of state
 * compatibility).
 */
class SavepointITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LocalCluster.twoSlots();

    static final Path KEPT = Path.of("src/test/resources/savepoints/v1");
    static final int SERIES = 5;
    static final long START = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
    static final long STEP_MS = 60_000;

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir static Path work;

    static StreamcastConfig config(String prefix, String threshold) {
        return KafkaTestClients.jobConfig(
                KAFKA.bootstrapServers(),
                prefix,
                Map.ofEntries(
                        Map.entry("window.size", "12"),
                        // The kept savepoint's network reads no calendar inputs (made before they
                        // existed): a network of another input width cannot take its weights.
                        Map.entry("window.calendar", "false"),
                        Map.entry("model.hidden", "8"),
                        Map.entry("training.sample-rate", "1.0"),
                        Map.entry("training.round-every", "100"),
                        Map.entry("training.steps-per-round", "5"),
                        // Idle-series cleanup runs on wall-clock time: with the default TTL of 7
                        // days, the kept savepoint's series would be dropped as idle on restore
                        // from a week after it was made.
                        Map.entry("time.series-ttl", "3650d"),
                        Map.entry("alerts.threshold", threshold)));
    }

    static void topics(String prefix) throws Exception {
        KafkaTestClients.createTopics(KAFKA.broker(), prefix, 2);
    }

    static List<Input> events(String prefix, int fromStep, int toStep) {
        List<Input> out = new ArrayList<>();
        for (int step = fromStep; step < toStep; step++) {
            long ts = START + step * STEP_MS;
            for (int s = 0; s < SERIES; s++) {
                out.add(
                        new Input(
                                "p" + s,
                                StreamingJobITCase.event(
                                        "p" + s, ts, 20 + s + Math.sin(step / 4.0)),
                                ts));
            }
        }
        return out;
    }

    /** Starts the unbounded job (from {@code savepoint} if not null) and returns its client. */
    static JobClient start(StreamcastConfig config, String savepoint) throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        StreamcastJob.build(config, Sources.kafka(config).events(env), KafkaIo.sinks(config), null);
        return env.executeAsync(config.job().name());
    }

    /**
     * Restores a kept savepoint ({@code kept}, copied into {@code work} first: a restore must not
     * write into the kept files) on a fresh broker with the savepoint's topic names, after readings
     * 200 to 209 of its series (last seen at step 199) are produced; the job runs until cancelled.
     */
    static JobClient restoreKept(Path kept, Path work) throws Exception {
        assertTrue(
                java.nio.file.Files.isRegularFile(kept.resolve("_metadata")),
                "kept savepoint missing at " + kept);
        Path copy = work.resolve("kept");
        FileUtils.copyDirectory(kept.toFile(), copy.toFile());
        topics("sp");
        KafkaTestClients.produce(KAFKA.bootstrapServers(), "sp-events", events("sp", 200, 210));
        return start(config("sp", "0.99"), copy.toUri().toString());
    }

    static List<JsonNode> forecasts(String prefix, int expected) throws Exception {
        return KafkaTestClients.readCommitted(
                KAFKA.bootstrapServers(), prefix + "-forecasts", expected, Duration.ofSeconds(60));
    }

    @Test
    void stateCarriesOverAStopWithSavepointAndARestartWithAChangedThreshold() throws Exception {
        topics("sp");
        KafkaTestClients.produce(KAFKA.bootstrapServers(), "sp-events", events("sp", 0, 200));
        JobClient first = start(config("sp", "0.99"), null);
        List<JsonNode> before = forecasts("sp", 200 * SERIES);
        assertEquals(200 * SERIES, before.size());
        // Background training runs within its CPU budget at idle priority, so on a busy machine the
        // first promotion can come after the last forecast: wait for it rather than race it.
        assertTrue(
                KafkaTestClients.readCommitted(
                                KAFKA.bootstrapServers(), "sp-models", 1, Duration.ofSeconds(120))
                        .stream()
                        .anyMatch(m -> m.has("version")),
                "a model was promoted before the savepoint");
        String savepoint =
                first.stopWithSavepoint(
                                false,
                                work.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        // The models committed with the savepoint: the forecasters' restored model is at least the
        // newest of them.
        long versionBefore =
                KafkaTestClients.readCommitted(
                                KAFKA.bootstrapServers(), "sp-models", 1, Duration.ofSeconds(10))
                        .stream()
                        .filter(m -> m.has("version")) // not the drift events
                        .mapToLong(m -> m.get("version").asLong())
                        .max()
                        .orElse(0);

        KafkaTestClients.produce(KAFKA.bootstrapServers(), "sp-events", events("sp", 200, 230));
        JobClient second = start(config("sp", "0.995"), savepoint);
        List<JsonNode> all = forecasts("sp", 230 * SERIES);
        second.cancel().get();

        assertEquals(
                230 * SERIES, all.size(), "no event lost or answered twice across the upgrade");
        Set<String> keys = new HashSet<>();
        for (JsonNode f : all) {
            keys.add(f.get("series").asText() + "@" + f.get("ts").asText());
        }
        assertEquals(all.size(), keys.size());
        List<JsonNode> after = all.subList(before.size(), all.size());
        for (JsonNode f : after) {
            assertFalse(f.get("coldStart").asBoolean(), "windows carried over: " + f);
            assertTrue(
                    f.get("model").get("version").asLong() >= versionBefore,
                    "the model carried over: " + f);
        }
        assertTrue(versionBefore >= 1, "retraining ran before the savepoint");

        if (Boolean.getBoolean("streamcast.savepoint.write")) {
            FileUtils.deleteDirectory(KEPT.toFile());
            FileUtils.copyDirectory(
                    Path.of(java.net.URI.create(savepoint)).toFile(), KEPT.toFile());
        }
    }
}

package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.ConfigLoader;
import io.streamcast.model.anomaly.AnomalyScorer;
import io.streamcast.model.anomaly.ScorerMemory;
import io.streamcast.report.SkippedRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-scoring reads every score it can and skips, counts and names the first one it cannot. */
class RescoreTest {
    @TempDir Path dir;

    @Test
    void unreadableScoresAreSkippedAndCountedAndTheOthersRescored() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int t = 1; t <= 6; t++) {
            lines.add(score(Instant.ofEpochSecond(t).toString()));
        }
        lines.add(2, score("+1000000000-01-01T00:00:00Z"));
        lines.add(4, "{\"ts\":\"2024-01-01T00:00:00Z\"}");
        lines.add(5, "not json");
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.write(in.resolve("scores.jsonl"), lines);
        Path out = dir.resolve("out");
        Files.createDirectories(out);

        SkippedRecords skipped =
                Rescore.run(ConfigLoader.defaults(), in.resolve("scores.jsonl"), out);

        assertEquals(3, skipped.count());
        assertTrue(
                skipped.summary()
                        .startsWith(
                                "skipped 3 records that could not be read: first scores.jsonl line 3:"
                                        + " ts '+1000000000-01-01T00:00:00Z'"),
                skipped.summary());
        assertEquals(6, Files.readAllLines(out.resolve("scores.jsonl")).size());
    }

    @Test
    void reScoringKnowsWhichModelMadeEachForecastAsTheReplayDid() throws Exception {
        // Readings forecast by model 0, then by a model 1 whose forecasts sit a noise width lower:
        // re-scored, every verdict is the one the job's scorer gives with the same versions.
        AnomalyScorer scorer = new AnomalyScorer(ConfigLoader.defaults().scoring());
        ScorerMemory state = scorer.initial();
        Random rnd = new Random(7);
        List<String> lines = new ArrayList<>();
        List<Double> expectedScores = new ArrayList<>();
        for (int t = 1; t <= 400; t++) {
            long version = t <= 200 ? 0 : 1;
            double actual = 50 + rnd.nextGaussian();
            double expected = version == 0 ? 50 : 49;
            expectedScores.add(scorer.score(state, actual, expected, version).score());
            lines.add(
                    "{\"series\":\"s\",\"ts\":\""
                            + Instant.ofEpochSecond(t)
                            + "\",\"actual\":"
                            + actual
                            + ",\"expected\":"
                            + expected
                            + ",\"lower\":0,\"upper\":100,\"score\":0,\"modelVersion\":"
                            + version
                            + "}");
        }
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.write(in.resolve("scores.jsonl"), lines);
        Path out = dir.resolve("out");
        Files.createDirectories(out);

        Rescore.run(ConfigLoader.defaults(), in.resolve("scores.jsonl"), out);

        ObjectMapper json = new ObjectMapper();
        List<String> rescored = Files.readAllLines(out.resolve("scores.jsonl"));
        for (int i = 0; i < rescored.size(); i++) {
            JsonNode n = json.readTree(rescored.get(i));
            assertEquals(expectedScores.get(i), n.get("score").asDouble(), 0.0, "reading " + i);
            assertEquals(i < 200 ? 0 : 1, n.get("modelVersion").asLong());
        }
    }

    private static String score(String ts) {
        return "{\"series\":\"s\",\"ts\":\""
                + ts
                + "\",\"actual\":1,\"expected\":1.5,\"lower\":0,\"upper\":2,\"residual\":-0.5,\"score\":0}";
    }
}

package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.ConfigLoader;
import io.streamcast.eval.forecast.SeriesReplay;
import io.streamcast.eval.forecast.SyntheticSeries;
import io.streamcast.event.Forecast;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.event.Score;
import io.streamcast.io.FileOutputSink;
import io.streamcast.local.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SeriesReplay} is a synchronous backfill without Flink: a 5-minute noisy daily sine through
 * {@code backfill} (default settings, so synchronous retraining at parallelism 1) and through the
 * replay gives the same forecasts (model version, served mean, interval, network forecast, source)
 * and scores, reading for reading, across the first three retraining rounds. The synthetic-series
 * tests (SyntheticForecastTest) rely on it.
 */
class SeriesReplayAgreementITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LocalCluster.twoSlots();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path work;

    @Test
    void replayGivesTheBackfillsForecastsAndScores() throws Exception {
        Path csv = work.resolve("sine.csv");
        SyntheticSeries.dailySine("sine", 1200, 5, 0.8, 26).writeCsv(csv);
        Path out = work.resolve("out");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        assertEquals(
                0,
                Main.parse(
                                new BackfillCommand(),
                                new PrintStream(text, true),
                                "--input",
                                csv.toString(),
                                "--output",
                                out.toString())
                        .call());
        List<SeriesReplay.Reading> replayed =
                SeriesReplay.replay(
                        ConfigLoader.load(null, List.of("training.synchronous=true")),
                        csv,
                        SeriesReplay.Mode.SYNCHRONOUS);

        List<String> forecasts = Files.readAllLines(FileOutputSink.file(out, Stream.FORECASTS));
        List<String> scores = Files.readAllLines(FileOutputSink.file(out, Stream.SCORES));
        assertEquals(1200, forecasts.size(), text.toString());
        assertEquals(forecasts.size(), replayed.size());
        long rounds = replayed.stream().filter(r -> r.round() != null).count();
        assertTrue(rounds >= 3, "rounds run: " + rounds);
        int scored = 0;
        for (int i = 0; i < forecasts.size(); i++) {
            JsonNode job = JSON.readTree(forecasts.get(i));
            JsonNode step = job.get("forecast").get(0);
            Forecast f = replayed.get(i).result().forecast();
            String at = "forecast " + i + ": " + forecasts.get(i);
            assertEquals(job.get("model").get("version").asLong(), f.modelVersion(), at);
            assertEquals(step.get("mean").asDouble(), f.mean()[0], at);
            assertEquals(step.get("lower").asDouble(), f.lower()[0], at);
            assertEquals(step.get("upper").asDouble(), f.upper()[0], at);
            assertEquals(step.get("network").asDouble(), f.network()[0], at);
            assertEquals(step.get("source").asText(), f.source()[0], at);
            Score s = replayed.get(i).result().score();
            if (s != null) {
                JsonNode score = JSON.readTree(scores.get(scored++));
                String scoreAt = "score " + scored + ": " + score;
                assertEquals(score.get("expected").asDouble(), s.expected(), scoreAt);
                assertEquals(score.get("score").asDouble(), s.score(), scoreAt);
            }
        }
        assertEquals(scores.size(), scored);
    }
}

package io.streamcast.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.ConfigLoader;
import io.streamcast.io.HistoryRowParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrequentialEvaluationTest {
    private static final double EPS = 1e-9;
    private static final long STEP = 60_000;
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @TempDir Path dir;

    /** A period-4 series: 0, 2, 4, 2, 0, 2, 4, 2, ... */
    private static double value(int i) {
        return new double[] {0, 2, 4, 2}[i % 4];
    }

    private static PrequentialEvaluation series(int rows, int trainRows, int horizon) {
        long[] times = new long[rows];
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) {
            times[i] = START + i * STEP;
            values[i] = value(i);
        }
        return new PrequentialEvaluation(times, values, trainRows, 4, horizon);
    }

    @Test
    void perfectForecastsScoreZeroAndOnlyTargetsAfterTheTrainingRowsCount() {
        PrequentialEvaluation e = series(12, 4, 2);
        for (int t = 0; t < 12; t++) {
            e.add(
                    START + t * STEP,
                    new double[] {value(t + 1), value(t + 2)},
                    new double[] {value(t + 1) - 0.1, value(t + 2) - 0.1},
                    new double[] {value(t + 1) + 0.1, value(t + 2) + 0.1});
        }
        e.add(
                START - STEP,
                new double[] {99, 99},
                new double[] {0, 0},
                new double[] {0, 0}); // no such row: ignored

        assertEquals(4, e.trainRows());
        assertEquals(2.0, e.mean(), EPS, "z-score scale from rows 0..3");
        assertEquals(Math.sqrt(2), e.std(), EPS);
        List<ForecastMetrics.Step> steps = e.steps();
        assertEquals(3, steps.size(), "two steps and the overall");
        // Step 1 targets rows 4..11 (forecasts made at rows 3..10); step 2 targets rows 4..11 (made
        // at 2..9).
        assertEquals(8, steps.get(0).n());
        assertEquals(8, steps.get(1).n());
        assertEquals(16, steps.get(2).n());
        for (ForecastMetrics.Step s : steps) {
            assertEquals(0, s.mse(), EPS);
            assertEquals(1, s.coverage(), EPS);
            assertTrue(s.repeatLastMse() > 0, "repeat-last is wrong on a changing series");
            assertEquals(0, s.seasonalMse(), EPS, "one season back is exact on a periodic series");
        }
        // Repeat-last one step ahead on 0,2,4,2: every change is 2, i.e. sqrt(2) on the z scale.
        assertEquals(2, steps.get(0).repeatLastMse(), EPS);
    }

    @Test
    void withoutTrainingRowsEveryRowSetsTheScaleAndIsScored() {
        PrequentialEvaluation e = series(8, 0, 1);
        for (int t = 0; t < 8; t++) {
            e.add(
                    START + t * STEP,
                    new double[] {value(t + 1) + 1},
                    new double[] {-100},
                    new double[] {-99});
        }
        assertEquals(8, e.trainRows());
        ForecastMetrics.Step s = e.steps().get(0);
        assertEquals(7, s.n(), "every forecast whose target row exists");
        assertEquals(1 / 2.0, s.mse(), EPS, "error 1 over std sqrt(2)");
        assertEquals(0, s.coverage(), EPS);
    }

    @Test
    void readsTheHistoryFileAndTheJobsForecastLines() throws Exception {
        List<String> csv = new ArrayList<>(List.of("timestamp,value"));
        List<String> forecasts = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 10; i++) {
            csv.add(Instant.ofEpochMilli(START + i * STEP) + "," + value(i));
            double next = value(i + 1);
            forecasts.add(
                    json.writeValueAsString(
                            java.util.Map.of(
                                    "series",
                                    "s",
                                    "ts",
                                    Instant.ofEpochMilli(START + i * STEP).toString(),
                                    "forecast",
                                    List.of(
                                            java.util.Map.of(
                                                    "mean",
                                                    next + 0.5,
                                                    "lower",
                                                    next - 1,
                                                    "upper",
                                                    next + 1)))));
        }
        csv.add("not-a-time,1"); // a dead letter: not part of the series
        Path history = Files.write(dir.resolve("s.csv"), csv);
        Path lines = Files.write(dir.resolve("forecasts.jsonl"), forecasts);

        PrequentialEvaluation e =
                PrequentialEvaluation.ofHistory(
                        HistoryRowParser.of(ConfigLoader.load(null, List.of())), history, 5, 4, 1);
        e.addForecasts(lines);

        ForecastMetrics.Step s = e.steps().get(0);
        assertEquals(5, s.n(), "targets rows 5..9");
        assertEquals(0.25 / (e.std() * e.std()), s.mse(), EPS);
        assertEquals(1, s.coverage(), EPS);
    }
}

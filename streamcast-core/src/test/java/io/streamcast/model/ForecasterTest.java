package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.event.Forecast;
import io.streamcast.event.ForecastInput;
import io.streamcast.event.ForecastResult;
import io.streamcast.event.Score;
import io.streamcast.model.anomaly.AnomalyScorerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The forecaster without Flink: batches of distinct series, steps versus rebuilds, scoring and
 * intervals.
 */
class ForecasterTest {
    static final NetworkSpec SPEC = new NetworkSpec(Cell.LSTM, 1, 8, 1, 2, 42, 0.01, 1, 0);
    static final int WINDOW = 6;

    static Forecaster forecaster(boolean rebuildOnNewModel) {
        return new Forecaster(
                SPEC,
                WINDOW,
                100,
                0.9,
                rebuildOnNewModel,
                AnomalyScorerConfig.defaults(),
                new ForecastCombiner(0, 1440, 200),
                0.01);
    }

    /**
     * Readings of one series whose windows are exactly the rows seen so far (fixed normalisation,
     * scale 2).
     */
    static List<ForecastInput> series(String name, int steps) {
        float[] rows = new float[steps];
        List<ForecastInput> out = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            rows[t] = (float) Math.sin(t + name.hashCode());
            float[] window = Arrays.copyOfRange(rows, Math.max(0, t + 1 - WINDOW), t + 1);
            out.add(
                    new ForecastInput(
                            name,
                            t * 1000L,
                            new float[] {rows[t]},
                            window,
                            window.length,
                            10 + rows[t],
                            2,
                            1000,
                            false,
                            0));
        }
        return out;
    }

    static ForecastInput reordered(ForecastInput in) {
        return new ForecastInput(
                in.series(),
                in.ts(),
                in.step(),
                in.window(),
                in.windowLength(),
                in.last(),
                in.scale(),
                in.stepMillis(),
                true,
                in.samplesEmitted());
    }

    @Test
    void aSecondReadingOfASeriesIsCutIntoTheNextBatch() {
        List<String> readings = List.of("a", "b", "a", "c", "b", "b");
        List<List<String>> batches = Forecaster.distinctSeriesBatches(readings, s -> s);
        assertEquals(List.of(List.of("a", "b"), List.of("a", "c", "b"), List.of("b")), batches);
        assertEquals(List.of(), Forecaster.distinctSeriesBatches(List.<String>of(), s -> s));
    }

    @Test
    void aSeriesAnsweredByTheServingModelIsSteppedInOneBatchedCall() {
        Forecaster f = forecaster(true);
        List<ForecastInput> a = series("a", 2);
        List<ForecastInput> b = series("b", 2);
        SeriesMemory[] m = new SeriesMemory[2];
        f.answer(List.of(a.get(0), b.get(0)), m);
        assertEquals(0, m[0].modelVersion, "a rebuilt state is marked with the serving version");
        Forecaster.Plan plan = f.plan(List.of(a.get(1), b.get(1)), m);
        assertEquals(List.of(0, 1), plan.stepping());
        assertTrue(plan.rebuildByLength().isEmpty());
    }

    @Test
    void firstReadingsAreRebuiltGroupedByWindowLength() {
        Forecaster f = forecaster(true);
        List<ForecastInput> batch =
                List.of(series("a", 2).get(1), series("b", 1).get(0), series("c", 2).get(1));
        SeriesMemory[] m = new SeriesMemory[3];
        for (int i = 0; i < 3; i++) {
            m[i] = new SeriesMemory(RecurrentNetwork.create(SPEC).stateSize(), 2, 100, null);
        }
        Forecaster.Plan plan = f.plan(batch, m);
        assertEquals(List.of(), plan.stepping());
        assertEquals(Map.of(1, List.of(1), 2, List.of(0, 2)), plan.rebuildByLength());
    }

    @Test
    void aNewModelRebuildsStateFromTheWindowOrCarriesItOverAsConfigured() {
        float[] params =
                RecurrentNetwork.create(new NetworkSpec(Cell.LSTM, 1, 8, 1, 2, 99, 0.01, 1, 0))
                        .params();
        List<ForecastInput> in = series("a", 4);
        for (boolean rebuild : List.of(true, false)) {
            Forecaster f = forecaster(rebuild);
            SeriesMemory[] m = new SeriesMemory[1];
            for (int t = 0; t < 3; t++) {
                f.answer(List.of(in.get(t)), m);
            }
            f.useModel(1, params);
            assertEquals(1, f.version());
            Forecaster.Plan plan = f.plan(List.of(in.get(3)), m);
            if (rebuild) {
                assertEquals(
                        List.of(4),
                        List.copyOf(plan.rebuildByLength().keySet()),
                        "rebuilt from the window");
            } else {
                assertEquals(List.of(0), plan.stepping(), "state carried over to the new weights");
            }
            assertEquals(1, f.answer(List.of(in.get(3)), m)[0].forecast().modelVersion());
        }
    }

    @Test
    void aSeriesWithNoStateAndNoWindowStartsAfreshFromItsNewestRow() {
        ForecastInput full = series("a", WINDOW + 2).get(WINDOW + 1);
        ForecastInput windowless = withWindow(full, new float[0], full.windowLength());
        ForecastInput oneRow = withWindow(full, full.step(), 1);
        ForecastResult fromNothing =
                forecaster(false).answer(List.of(windowless), new SeriesMemory[1])[0];
        ForecastResult fromOneRow =
                forecaster(false).answer(List.of(oneRow), new SeriesMemory[1])[0];
        assertArrayEquals(fromOneRow.forecast().network(), fromNothing.forecast().network());
        assertArrayEquals(fromOneRow.forecast().mean(), fromNothing.forecast().mean());
    }

    static ForecastInput withWindow(ForecastInput in, float[] window, int windowLength) {
        return new ForecastInput(
                in.series(),
                in.ts(),
                in.step(),
                window,
                windowLength,
                in.last(),
                in.scale(),
                in.stepMillis(),
                in.reordered(),
                in.samplesEmitted());
    }

    @Test
    void steppingAcrossBatchesEqualsRebuildingFromTheWholeWindow() {
        Forecaster f = forecaster(true);
        List<ForecastInput> in = series("a", WINDOW);
        SeriesMemory[] m = new SeriesMemory[1];
        ForecastResult last = null;
        for (ForecastInput x : in) {
            last = f.answer(List.of(x), m)[0];
        }
        ForecastInput x = in.get(WINDOW - 1);
        float[] change =
                RecurrentNetwork.create(SPEC)
                        .runWindows(
                                new float[][] {x.window()},
                                WINDOW,
                                new float[1][RecurrentNetwork.create(SPEC).stateSize()],
                                1);
        for (int k = 0; k < 2; k++) {
            assertEquals(x.last() + x.scale() * change[k], last.forecast().network()[k], 1e-4);
        }
    }

    @Test
    void aReadingIsScoredAgainstTheForecastMadeForItWithinItsInterval() {
        Forecaster f = forecaster(true);
        List<ForecastInput> in = series("a", 3);
        SeriesMemory[] m = new SeriesMemory[1];
        ForecastResult first = f.answer(List.of(in.get(0)), m)[0];
        assertNull(first.score(), "nothing was forecast for a series' first reading");
        Forecast made = first.forecast();
        assertTrue(made.coldStart());
        assertArrayEquals(new long[] {1000, 2000}, made.targetTs());
        for (int k = 0; k < 2; k++) {
            assertTrue(made.lower()[k] < made.mean()[k] && made.mean()[k] < made.upper()[k]);
        }
        Score score = f.answer(List.of(in.get(1)), m)[0].score();
        assertNotNull(score);
        assertEquals(made.mean()[0], score.expected(), 1e-12);
        assertEquals(made.lower()[0], score.lower(), 1e-12);
        assertEquals(made.upper()[0], score.upper(), 1e-12);
        assertEquals(in.get(1).last() - made.mean()[0], score.residual(), 1e-12);
        assertTrue(score.score() >= 0 && score.score() <= 1);
        assertTrue(f.residualMae() > 0);
    }

    @Test
    void anOutOfOrderReadingIsNeitherScoredNorRemembered() {
        Forecaster f = forecaster(true);
        List<ForecastInput> in = series("a", 3);
        SeriesMemory[] m = new SeriesMemory[1];
        f.answer(List.of(in.get(0)), m);
        f.answer(List.of(in.get(1)), m);
        int pendingBefore = m[0].pendingCount;
        double[] pendingForecasts = m[0].pending.clone();
        Forecaster.Plan plan = f.plan(List.of(reordered(in.get(1))), m);
        assertEquals(
                List.of(2),
                List.copyOf(plan.rebuildByLength().keySet()),
                "rebuilt from its window");
        ForecastResult r = f.answer(List.of(reordered(in.get(1))), m)[0];
        assertNull(r.score());
        assertEquals(pendingBefore, m[0].pendingCount);
        assertArrayEquals(pendingForecasts, m[0].pending);
        assertNotNull(
                f.answer(List.of(in.get(2)), m)[0].score(), "the next reading in order is scored");
    }
}

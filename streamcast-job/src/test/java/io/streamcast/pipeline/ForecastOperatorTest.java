package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.Forecast;
import io.streamcast.event.ForecastInput;
import io.streamcast.event.ForecastResult;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.RoundOutcome;
import io.streamcast.event.Score;
import io.streamcast.model.Cell;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.RecurrentNetwork;
import io.streamcast.model.SeriesHistory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ForecastOperatorTest {
    static final StreamcastConfig CONFIG =
            ConfigLoader.fromFlat(
                    Map.of(
                            "window.size", "6",
                            "window.calendar", "false", // its inputs are one column wide
                            "model.hidden", "8",
                            "model.horizon", "2",
                            "inference.batch-size", "4",
                            "inference.max-delay", "50ms",
                            "time.series-ttl", "1h"));
    static final NetworkSpec SPEC = CONFIG.networkSpec();

    static KeyedTwoInputStreamOperatorTestHarness<
                    String, ForecastInput, RoundOutcome, ForecastResult>
            harness() throws Exception {
        var op =
                new ForecastOperator(
                        SPEC,
                        CONFIG.window().size(),
                        CONFIG.inference(),
                        CONFIG.intervals(),
                        CONFIG.baselines(),
                        CONFIG.training(),
                        CONFIG.scoring(),
                        CONFIG.time().seriesTtl(),
                        null);
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                op, ForecastInput::series, m -> "model", Types.STRING);
    }

    /** The forecasts emitted so far, in order. */
    static List<Forecast> forecasts(
            KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ForecastResult> h) {
        return h.extractOutputValues().stream().map(ForecastResult::forecast).toList();
    }

    /** Inputs as the window assembler would make them, for a few series in round-robin order. */
    static List<ForecastInput> inputs(int series, int steps) {
        Map<String, SeriesHistory> histories = new HashMap<>();
        List<ForecastInput> out = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < series; s++) {
                String name = "s" + s;
                SeriesHistory h = histories.computeIfAbsent(name, k -> new SeriesHistory(8, 1));
                h.offer(
                        t * 1000L,
                        new float[] {(float) (10 * s + Math.sin(t / 2.0 + s))},
                        0,
                        Long.MAX_VALUE,
                        50);
                float[] w = h.normalisedWindow(6);
                int rows = w.length;
                out.add(
                        new ForecastInput(
                                name,
                                t * 1000L,
                                Arrays.copyOfRange(w, rows - 1, rows),
                                w,
                                rows,
                                h.newestTarget(),
                                h.scale(0),
                                h.stepMillis,
                                false,
                                0));
            }
        }
        return out;
    }

    @Test
    void answersEveryInputOnceFlushingOnBatchSizeAndOnTheDelayTimer() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            List<ForecastInput> in = inputs(3, 3);
            for (int i = 0; i < 3; i++) {
                h.processElement1(new StreamRecord<>(in.get(i), i));
            }
            assertEquals(
                    0, forecasts(h).size(), "buffered until the batch fills or the delay passes");
            h.processElement1(new StreamRecord<>(in.get(3), 3));
            assertEquals(4, forecasts(h).size(), "a full batch flushes");
            h.processElement1(new StreamRecord<>(in.get(4), 4));
            h.setProcessingTime(60);
            assertEquals(5, forecasts(h).size(), "the delay timer flushes");
            for (int i = 5; i < in.size(); i++) {
                h.processElement1(new StreamRecord<>(in.get(i), i));
            }
            h.endAllInputs();
            List<Forecast> out = forecasts(h);
            assertEquals(in.size(), out.size());
            for (int i = 0; i < in.size(); i++) {
                assertEquals(in.get(i).series(), out.get(i).series());
                assertEquals(in.get(i).ts(), out.get(i).ts());
                assertEquals(2, out.get(i).mean().length);
                assertTrue(
                        out.get(i).lower()[0] < out.get(i).mean()[0]
                                && out.get(i).mean()[0] < out.get(i).upper()[0]);
            }
            assertTrue(out.get(0).coldStart());
            List<Score> scores =
                    h.extractOutputValues().stream()
                            .map(ForecastResult::score)
                            .filter(Objects::nonNull)
                            .toList();
            assertEquals(
                    in.size() - 3, scores.size(), "every reading but each series' first is scored");
            for (Score score : scores) {
                assertTrue(score.score() >= 0 && score.score() <= 1);
            }
        }
    }

    @Test
    void steppingStateAcrossBatchesEqualsRunningTheWholeWindow() throws Exception {
        // Inputs whose windows are exactly the rows stepped so far (fixed normalisation).
        List<ForecastInput> in = new ArrayList<>();
        float[][] rows = new float[2][6];
        for (int t = 0; t < 6; t++) {
            for (int s = 0; s < 2; s++) {
                rows[s][t] = (float) Math.sin(t + 3 * s);
                float[] window = Arrays.copyOf(rows[s], t + 1);
                in.add(
                        new ForecastInput(
                                "s" + s,
                                t * 1000L,
                                new float[] {rows[s][t]},
                                window,
                                t + 1,
                                10,
                                2,
                                1000,
                                false,
                                0));
            }
        }
        List<Forecast> out;
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < in.size(); i++) {
                h.processElement1(new StreamRecord<>(in.get(i), i));
            }
            h.endAllInputs();
            out = forecasts(h);
        }
        RecurrentNetwork net = RecurrentNetwork.create(SPEC);
        float[][] state = new float[1][net.stateSize()];
        float[] change = net.runWindows(new float[][] {rows[1]}, 6, state, 1);
        Forecast f = out.get(out.size() - 1);
        for (int k = 0; k < 2; k++) {
            assertEquals(10 + 2 * change[k], f.network()[k], 1e-4);
        }
    }

    @Test
    void aNewModelVersionIsUsedForLaterReadings() throws Exception {
        try (var h = harness()) {
            h.open();
            List<ForecastInput> in = inputs(1, 4);
            h.processElement1(new StreamRecord<>(in.get(0), 0));
            h.processElement1(new StreamRecord<>(in.get(1), 1));
            float[] params =
                    RecurrentNetwork.create(new NetworkSpec(Cell.LSTM, 1, 8, 1, 2, 99, 0.01, 1, 0))
                            .params();
            h.processElement2(
                    new StreamRecord<>(
                            new RoundOutcome(10, new ModelUpdate(3, "lstm", 0, 0, 0, 10, params)),
                            2));
            h.processElement1(new StreamRecord<>(in.get(2), 2));
            h.endAllInputs();
            List<Long> versions = forecasts(h).stream().map(Forecast::modelVersion).toList();
            assertEquals(List.of(0L, 0L, 3L), versions);
        }
    }

    @Test
    void aNewModelVersionRebuildsStateFromTheWindowOrCarriesItOverAsConfigured() throws Exception {
        List<ForecastInput> in = inputs(1, 5);
        NetworkSpec other = new NetworkSpec(Cell.LSTM, 1, 8, 1, 2, 99, 0.01, 1, 0);
        float[] params = RecurrentNetwork.create(other).params();
        // What each mode should answer for the reading after the switch, computed on the networks
        // directly.
        RecurrentNetwork before = RecurrentNetwork.create(SPEC);
        RecurrentNetwork after = RecurrentNetwork.create(SPEC);
        after.setParams(params);
        float[] state = new float[before.stateSize()];
        for (int t = 0; t < 4; t++) {
            before.step(in.get(t).step(), new float[][] {state}, 1);
        }
        float[] carried = after.step(in.get(4).step(), new float[][] {state}, 1);
        ForecastInput last = in.get(4);
        float[] rebuilt =
                after.runWindows(
                        new float[][] {last.window()},
                        last.windowLength(),
                        new float[][] {new float[after.stateSize()]},
                        1);

        for (String mode : List.of("rebuild", "carry")) {
            StreamcastConfig c =
                    ConfigLoader.fromFlat(
                            Map.of(
                                    "window.size",
                                    "6",
                                    "window.calendar",
                                    "false",
                                    "model.hidden",
                                    "8",
                                    "model.horizon",
                                    "2",
                                    "inference.batch-size",
                                    "1",
                                    "inference.state-on-new-model",
                                    mode));
            var op =
                    new ForecastOperator(
                            SPEC,
                            6,
                            c.inference(),
                            c.intervals(),
                            c.baselines(),
                            c.training(),
                            c.scoring(),
                            c.time().seriesTtl(),
                            null);
            try (var h =
                    new KeyedTwoInputStreamOperatorTestHarness<>(
                            op, ForecastInput::series, m -> "model", Types.STRING)) {
                h.open();
                for (int t = 0; t < 4; t++) {
                    h.processElement1(new StreamRecord<>(in.get(t), t));
                }
                h.processElement2(
                        new StreamRecord<>(
                                new RoundOutcome(
                                        10, new ModelUpdate(1, "lstm", 0, 0, 0, 10, params)),
                                4));
                h.processElement1(new StreamRecord<>(last, 4));
                Forecast f = forecasts(h).get(4);
                float[] expected = mode.equals("rebuild") ? rebuilt : carried;
                for (int k = 0; k < 2; k++) {
                    assertEquals(
                            last.last() + last.scale() * expected[k],
                            f.network()[k],
                            1e-5,
                            mode + " step " + k);
                }
            }
        }
    }

    @Test
    void restoredStateAndModelContinueExactlyLikeAnUninterruptedRun() throws Exception {
        List<ForecastInput> in = inputs(3, 6);
        float[] params =
                RecurrentNetwork.create(new NetworkSpec(Cell.LSTM, 1, 8, 1, 2, 7, 0.01, 1, 0))
                        .params();
        ModelUpdate v1 = new ModelUpdate(1, "lstm", 0, 0, 0, 10, params);
        List<Forecast> uninterrupted;
        try (var h = harness()) {
            h.open();
            h.processElement2(new StreamRecord<>(new RoundOutcome(10, v1), 0));
            for (int i = 0; i < in.size(); i++) {
                h.processElement1(new StreamRecord<>(in.get(i), i));
            }
            h.endAllInputs();
            uninterrupted = forecasts(h);
        }
        List<Forecast> resumed = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement2(new StreamRecord<>(new RoundOutcome(10, v1), 0));
            for (int i = 0; i < 9; i++) {
                h.processElement1(new StreamRecord<>(in.get(i), i));
            }
            h.prepareSnapshotPreBarrier(
                    1); // as the runtime does: buffered readings are answered first
            snapshot = h.snapshot(1, 1);
            resumed.addAll(forecasts(h));
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            for (int i = 9; i < in.size(); i++) {
                h.processElement1(new StreamRecord<>(in.get(i), i));
            }
            h.endAllInputs();
            resumed.addAll(forecasts(h));
        }
        assertEquals(uninterrupted.size(), resumed.size());
        for (int i = 0; i < resumed.size(); i++) {
            assertEquals(1, resumed.get(i).modelVersion());
            assertArrayEquals(uninterrupted.get(i).mean(), resumed.get(i).mean(), 1e-5);
            assertArrayEquals(uninterrupted.get(i).upper(), resumed.get(i).upper(), 1e-5);
        }
    }

    @Test
    void stateOfAnIdleSeriesIsDroppedAfterTheTtl() throws Exception {
        try (var h = harness()) {
            h.open();
            h.setProcessingTime(0);
            for (ForecastInput i : inputs(2, 1)) {
                h.processElement1(new StreamRecord<>(i, 0));
            }
            h.endAllInputs();
            assertEquals(4, h.numKeyedStateEntries(), "per series: its memory and its activity");
            assertEquals(2, h.numProcessingTimeTimers(), "one pending idle check per series");
            h.setProcessingTime(2 * 3_600_000);
            assertEquals(0, h.numKeyedStateEntries(), "no keyed state left behind");
            assertEquals(0, h.numProcessingTimeTimers(), "no timers left behind");
        }
    }

    @Test
    void inSynchronousModeReadingsPastARoundWaitForItsOutcome() throws Exception {
        StreamcastConfig sync =
                ConfigLoader.fromFlat(
                        Map.of(
                                "window.size",
                                "6",
                                "window.calendar",
                                "false",
                                "model.hidden",
                                "8",
                                "model.horizon",
                                "2",
                                "training.round-every",
                                "2",
                                "training.synchronous",
                                "true"));
        var op =
                new ForecastOperator(
                        SPEC,
                        6,
                        sync.inference(),
                        sync.intervals(),
                        sync.baselines(),
                        sync.training(),
                        sync.scoring(),
                        sync.time().seriesTtl(),
                        null);
        try (var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        op, ForecastInput::series, (RoundOutcome r) -> "", Types.STRING)) {
            h.open();
            List<ForecastInput> in = inputs(1, 5);
            for (int i = 0; i < 5; i++) {
                ForecastInput x = in.get(i);
                // Samples emitted so far: 0, 1, 2, 3, 4 — the round after sample 2 gates readings
                // 2..
                h.processElement1(
                        new StreamRecord<>(
                                new ForecastInput(
                                        x.series(),
                                        x.ts(),
                                        x.step(),
                                        x.window(),
                                        x.windowLength(),
                                        x.last(),
                                        x.scale(),
                                        x.stepMillis(),
                                        false,
                                        i),
                                i));
            }
            h.endInput1();
            assertEquals(2, forecasts(h).size(), "readings 2, 3, 4 wait for the round at sample 2");
            float[] params =
                    RecurrentNetwork.create(new NetworkSpec(Cell.LSTM, 1, 8, 1, 2, 5, 0.01, 1, 0))
                            .params();
            h.processElement2(
                    new StreamRecord<>(
                            new RoundOutcome(2, new ModelUpdate(1, "lstm", 0, 0, 0, 2, params)),
                            0));
            h.prepareSnapshotPreBarrier(1);
            assertEquals(
                    List.of(0L, 0L, 1L, 1L),
                    forecasts(h).stream().map(Forecast::modelVersion).toList(),
                    "reading 4 waits for the round at sample 4");
            h.endInput2();
            assertEquals(5, forecasts(h).size(), "no more rounds: the rest is answered");
        }
    }
}

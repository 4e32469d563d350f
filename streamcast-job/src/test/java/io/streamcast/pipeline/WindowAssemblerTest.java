package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.ForecastInput;
import io.streamcast.event.Observation;
import io.streamcast.event.ParsedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class WindowAssemblerTest {
    static final StreamcastConfig CONFIG =
            ConfigLoader.fromFlat(
                    Map.of(
                            "window.size", "4",
                            "time.max-out-of-orderness", "10s",
                            "time.series-ttl", "1h",
                            "training.sample-rate", "1.0"));

    static KeyedOneInputStreamOperatorTestHarness<String, ParsedEvent, ForecastInput> harness()
            throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new WindowAssembler(CONFIG)),
                        WindowAssembler::keyOf,
                        Types.STRING);
        h.open();
        return h;
    }

    static ParsedEvent obs(String series, long ts, float value) {
        return ParsedEvent.accepted(
                new Observation(series, ts, new float[] {value}, "events", 0, ts / 1000));
    }

    @Test
    void emitsOneInputPerAcceptedReadingAndRejectsLateAndDuplicateOnes() throws Exception {
        try (var h = harness()) {
            h.processElement(obs("a", 10_000, 1), 10_000);
            h.processElement(obs("a", 20_000, 2), 20_000);
            h.processElement(obs("a", 15_000, 9), 15_000); // within 10 s: reordered
            h.processElement(obs("a", 20_000, 3), 20_000); // duplicate
            h.processElement(obs("a", 5_000, 4), 5_000); // 15 s behind: late
            h.processElement(obs("b", 1_000, 5), 1_000);
            List<ForecastInput> out = h.extractOutputValues();
            assertEquals(4, out.size());
            assertEquals(
                    List.of(false, false, true, false),
                    out.stream().map(ForecastInput::reordered).toList());
            assertEquals(3, out.get(2).windowLength());
            assertEquals(20_000, out.get(2).ts(), "the forecast follows the newest reading");
            List<String> reasons = new ArrayList<>();
            for (var r : h.getSideOutput(WindowAssembler.DEAD_LETTERS)) {
                DeadLetter d = r.getValue();
                reasons.add(d.reason() + "@" + d.offset());
            }
            assertEquals(List.of("DUPLICATE@20", "LATE@5"), reasons);
        }
    }

    @Test
    void aLateOrDuplicateReadingsDeadLetterHoldsTheInputAsReceived() throws Exception {
        String sent = "{\"series\":\"a\", \"ts\":5000, \"value\":4}";
        try (var h = harness()) {
            h.processElement(obs("a", 20_000, 2), 20_000);
            h.processElement(
                    ParsedEvent.accepted(
                            new Observation(
                                    "a",
                                    5_000,
                                    new float[] {4},
                                    "events",
                                    0,
                                    7,
                                    sent.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                    5_000);
            DeadLetter late = h.getSideOutput(WindowAssembler.DEAD_LETTERS).peek().getValue();
            assertEquals("LATE", late.reason().name());
            assertEquals(sent, late.raw());
        }
    }

    @Test
    void aSeriesFirstReadingHasTheDefaultStepUntilTheSecondShowsItsInterval() throws Exception {
        try (var h = harness()) {
            h.processElement(obs("a", 600_000, 1), 600_000);
            h.processElement(obs("a", 630_000, 2), 630_000);
            List<ForecastInput> out = h.extractOutputValues();
            assertEquals(
                    CONFIG.time().defaultStep().toMillis(),
                    out.get(0).stepMillis(),
                    "no interval known yet: the configured default, so that step 1 targets a time after the reading");
            assertEquals(30_000, out.get(1).stepMillis());
        }
    }

    @Test
    void completedWindowsBecomeTrainingSamples() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < 6; i++) {
                h.processElement(obs("a", i * 1000L, i), i * 1000L);
            }
            // Window 4 + horizon 1 = 5 readings make the first sample; the sixth makes the second.
            assertEquals(2, h.getSideOutput(WindowAssembler.TRAINING_SAMPLES).size());
        }
    }

    /**
     * Samples from 20 readings of one series (16 complete windows), the cap's clock at {@code now}.
     */
    static int samplesWithCap(boolean synchronous, long[] now) throws Exception {
        StreamcastConfig config =
                ConfigLoader.fromFlat(
                        Map.of(
                                "window.size", "4",
                                "training.sample-rate", "1.0",
                                "training.max-samples-per-second", "3",
                                "training.synchronous", String.valueOf(synchronous)));
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new WindowAssembler(config, () -> now[0])),
                        WindowAssembler::keyOf,
                        Types.STRING)) {
            h.open();
            for (int i = 0; i < 10; i++) {
                h.processElement(obs("a", i * 1000L, i), i * 1000L);
            }
            now[0] += 1_000_000_000L; // a second later: three more may pass
            for (int i = 10; i < 20; i++) {
                h.processElement(obs("a", i * 1000L, i), i * 1000L);
            }
            return h.getSideOutput(WindowAssembler.TRAINING_SAMPLES).size();
        }
    }

    @Test
    void aBackgroundTrainerGetsAtMostItsSamplesPerSecondAndAReplayGetsEveryOne() throws Exception {
        assertEquals(3 + 3, samplesWithCap(false, new long[] {0}), "a burst of 3, then 3 a second");
        assertEquals(16, samplesWithCap(true, new long[] {0}), "synchronous: not capped");
    }

    @Test
    void restoredStateContinuesExactlyLikeAnUninterruptedRun() throws Exception {
        List<ForecastInput> uninterrupted;
        try (var h = harness()) {
            for (int i = 0; i < 12; i++) {
                h.processElement(obs("s" + i % 2, i * 1000L, i * i), i * 1000L);
            }
            uninterrupted = h.extractOutputValues();
        }
        OperatorSubtaskState snapshot;
        List<ForecastInput> resumed = new ArrayList<>();
        try (var h = harness()) {
            for (int i = 0; i < 6; i++) {
                h.processElement(obs("s" + i % 2, i * 1000L, i * i), i * 1000L);
            }
            resumed.addAll(h.extractOutputValues());
            snapshot = h.snapshot(1, 1);
        }
        var restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new WindowAssembler(CONFIG)),
                        WindowAssembler::keyOf,
                        Types.STRING);
        restored.initializeState(snapshot);
        restored.open();
        for (int i = 6; i < 12; i++) {
            restored.processElement(obs("s" + i % 2, i * 1000L, i * i), i * 1000L);
        }
        resumed.addAll(restored.extractOutputValues());
        restored.close();
        assertEquals(uninterrupted.size(), resumed.size());
        for (int i = 0; i < resumed.size(); i++) {
            assertArrayEquals(uninterrupted.get(i).window(), resumed.get(i).window());
            assertEquals(uninterrupted.get(i).scale(), resumed.get(i).scale());
        }
    }

    @Test
    void stateOfAnIdleSeriesIsDroppedAfterTheTtl() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.processElement(obs("a", 1000, 1), 1000);
            h.processElement(obs("b", 1000, 1), 1000);
            h.setProcessingTime(30 * 60_000);
            h.processElement(obs("b", 2000, 1), 2000);
            assertEquals(4, h.numKeyedStateEntries(), "per series: its window and its activity");
            assertEquals(2, h.numProcessingTimeTimers(), "one pending idle check per series");
            h.setProcessingTime(70 * 60_000);
            assertEquals(
                    2, h.numKeyedStateEntries(), "a was idle for an hour, b only for 40 minutes");
            h.setProcessingTime(200 * 60_000);
            assertEquals(0, h.numKeyedStateEntries(), "no keyed state left behind");
            assertEquals(0, h.numProcessingTimeTimers(), "no timers left behind");
        }
    }
}

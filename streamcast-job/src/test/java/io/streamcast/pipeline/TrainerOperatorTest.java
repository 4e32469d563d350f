package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamcast.config.StreamcastConfig.TrainingConfig;
import io.streamcast.event.RoundOutcome;
import io.streamcast.event.TrainingSample;
import io.streamcast.model.Cell;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.ScheduledSampling;
import io.streamcast.model.SeriesHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The trainer runs rounds off the task thread, yet its outcomes are exactly those of inline
 * training, also across a checkpoint taken while a round is running, or while a due round waits for
 * the CPU budget; at idle priority when configured, until a round gets less than half its budget.
 */
@Tag("slow")
class TrainerOperatorTest {
    static final int WINDOW = 12;
    static final NetworkSpec SPEC = new NetworkSpec(Cell.LSTM, 1, 8, 1, 1, 7, 0.01, 1.0, 0);
    static final int ROUND_EVERY = 48;

    static TrainingConfig training(boolean synchronous) {
        return new TrainingConfig(true, 1.0, 256, ROUND_EVERY, 16, 20, 0.01, 1.0, 0.2, synchronous);
    }

    static OneInputStreamOperatorTestHarness<TrainingSample, RoundOutcome> harness(
            boolean synchronous) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new TrainerOperator(SPEC, training(synchronous), WINDOW, null));
    }

    static List<TrainingSample> samples(int count) {
        Random r = new Random(3);
        SeriesHistory h = new SeriesHistory(WINDOW + 1, 1);
        List<TrainingSample> out = new ArrayList<>();
        for (int t = 0; out.size() < count; t++) {
            h.offer(
                    t * 1000L,
                    new float[] {(float) (5 + 3 * Math.sin(t / 4.0) + 0.1 * r.nextGaussian())},
                    0,
                    Long.MAX_VALUE,
                    100);
            float[][] ex = h.trainingExample(WINDOW, 1);
            if (ex != null) {
                out.add(new TrainingSample("s", t * 1000L, ex[0], ex[1]));
            }
        }
        return out;
    }

    /** Feeds samples {@code from..to} and returns the outcomes emitted meanwhile. */
    static void feed(
            OneInputStreamOperatorTestHarness<TrainingSample, RoundOutcome> h,
            List<TrainingSample> in,
            int from,
            int to)
            throws Exception {
        for (int i = from; i < to; i++) {
            h.processElement(new StreamRecord<>(in.get(i), in.get(i).ts()));
        }
    }

    static List<RoundOutcome> inline(List<TrainingSample> in) throws Exception {
        try (var h = harness(true)) {
            h.open();
            feed(h, in, 0, in.size());
            h.endInput();
            return h.extractOutputValues();
        }
    }

    static void assertSameOutcomes(List<RoundOutcome> expected, List<RoundOutcome> actual) {
        assertEquals(expected.size(), actual.size(), "one outcome per round");
        for (int i = 0; i < expected.size(); i++) {
            RoundOutcome e = expected.get(i);
            RoundOutcome a = actual.get(i);
            assertEquals(e.samplesSeen(), a.samplesSeen(), "round " + i);
            assertEquals(e.promoted() == null, a.promoted() == null, "round " + i + " promotion");
            if (e.promoted() != null) {
                assertEquals(e.promoted().version(), a.promoted().version());
                assertArrayEquals(
                        e.promoted().params(), a.promoted().params(), "round " + i + " weights");
            }
        }
    }

    @Test
    void roundsRunInTheBackgroundAndGiveTheOutcomesOfInlineTraining() throws Exception {
        List<TrainingSample> in = samples(ROUND_EVERY * 5 + 10);
        List<RoundOutcome> expected = inline(in);
        assertTrue(
                expected.stream().anyMatch(o -> o.promoted() != null), "the signal is learnable");
        try (var h = harness(false)) {
            h.open();
            h.setProcessingTime(0);
            feed(h, in, 0, ROUND_EVERY);
            assertEquals(
                    0,
                    h.extractOutputValues().size(),
                    "the round runs on its own thread, not in this call");
            // Keep feeding while it trains: these samples queue and enter the buffer after the
            // round.
            feed(h, in, ROUND_EVERY, in.size());
            h.endInput();
            assertSameOutcomes(expected, h.extractOutputValues());
        }
    }

    /** A CPU-time source that reads 0 on the task thread and {@code trainer} on the trainer's. */
    static LongSupplier onTrainerThread(long trainer) {
        return () -> Thread.currentThread().getName().equals("streamcast-trainer") ? trainer : 0;
    }

    /** Background rounds of 150 steps (seconds) at idle priority, within a share of 0.2. */
    static TrainingConfig idleTraining() {
        return new TrainingConfig(
                true,
                1.0,
                256,
                ROUND_EVERY,
                16,
                150,
                0.01,
                1.0,
                0.2,
                false,
                0,
                ScheduledSampling.off(),
                1.0,
                true,
                150,
                ROUND_EVERY,
                0);
    }

    @Test
    void atIdlePriorityADueRoundStartsAtOnceWithTheBudgetSpent() throws Exception {
        assumeTrue(
                TrainerPriorityTest.reversible(),
                "this process can move threads to idle priority and back");
        // The trainer's CPU time jumps by a minute: at normal priority the round would wait about
        // five minutes for a share of 0.2. At idle priority it takes only CPU time nothing else
        // wants, which the budget does not charge.
        long[] cpu = {0};
        try (var h =
                new OneInputStreamOperatorTestHarness<>(
                        new TrainerOperator(
                                SPEC, idleTraining(), WINDOW, () -> 0L, () -> cpu[0]))) {
            h.open();
            h.setProcessingTime(0);
            cpu[0] = 60_000_000_000L;
            feed(h, samples(ROUND_EVERY), 0, ROUND_EVERY);
            awaitTrainerPolicy(TrainerPriority.SCHED_IDLE);
            h.endInput();
            assertEquals(1, h.extractOutputValues().size());
        }
    }

    @Test
    void withIdlePriorityRoundsRunIdleUntilARoundIsStarvedOfItsCpuShare() throws Exception {
        assumeTrue(
                TrainerPriorityTest.reversible(),
                "this process can move threads to idle priority and back");
        // Rounds long enough (150 steps, seconds) to be checked while they run; the budget's
        // clock and the trainer's CPU time are the test's, so that the round looks starved.
        TrainingConfig idle = idleTraining();
        List<TrainingSample> in = samples(ROUND_EVERY * 2);
        long[] now = {0};
        try (var h =
                new OneInputStreamOperatorTestHarness<>(
                        new TrainerOperator(SPEC, idle, WINDOW, () -> now[0], () -> 0L))) {
            h.open();
            h.setProcessingTime(0);
            feed(h, in, 0, ROUND_EVERY);
            awaitTrainerPolicy(TrainerPriority.SCHED_IDLE);
            feed(h, in, ROUND_EVERY, ROUND_EVERY * 2);
            h.setProcessingTime(100);
            assertEquals(
                    List.of(TrainerPriority.SCHED_IDLE),
                    trainerThreadPolicies(),
                    "a round behind, but not starved: stays idle");
            now[0] += TrainerOperator.STARVED_AFTER_NANOS;
            h.setProcessingTime(200);
            assertEquals(0, h.extractOutputValues().size(), "the first round was still running");
            assertEquals(
                    List.of(TrainerPriority.SCHED_OTHER),
                    trainerThreadPolicies(),
                    "raised: no CPU time in 2 s");
            h.endInput();
            assertEquals(2, h.extractOutputValues().size());
            assertEquals(
                    List.of(TrainerPriority.SCHED_IDLE),
                    trainerThreadPolicies(),
                    "the next round ran idle");
        }
    }

    @Test
    void byDefaultRoundsRunAtNormalPriority() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/task")), "Linux only");
        try (var h = harness(false)) {
            h.open();
            feed(h, samples(ROUND_EVERY), 0, ROUND_EVERY);
            h.endInput();
            assertEquals(List.of(TrainerPriority.SCHED_OTHER), trainerThreadPolicies());
        }
    }

    static void awaitTrainerPolicy(int policy) throws Exception {
        for (int i = 0; i < 10_000 && !trainerThreadPolicies().equals(List.of(policy)); i++) {
            Thread.sleep(1);
        }
        assertEquals(List.of(policy), trainerThreadPolicies());
    }

    /**
     * The scheduling policies of this process's threads named streamcast-trainer (Linux cuts names
     * to 15), once the threads of earlier tests' trainers have ended.
     */
    static List<Integer> trainerThreadPolicies() throws Exception {
        List<Integer> out = List.of();
        for (int attempt = 0; attempt < 10_000 && out.size() != 1; attempt++) {
            Thread.sleep(out.isEmpty() ? 0 : 1);
            out =
                    TrainerPriorityTest.threadPolicies().stream()
                            .filter(t -> t.getKey().equals("streamcast-trai"))
                            .map(Map.Entry::getValue)
                            .toList();
        }
        return out;
    }

    @Test
    void samplesArrivingFasterThanRoundsConsumeThemKeepMemoryAndCheckpointsBounded()
            throws Exception {
        // The first round overdraws the budget on its first step (the trainer's CPU time, as the
        // test tells it, jumps), so it rests until the harness closes, and everything below
        // arrives while it runs.
        TrainingConfig slow =
                new TrainingConfig(
                        true,
                        1.0,
                        256,
                        ROUND_EVERY,
                        16,
                        100,
                        0.01,
                        1.0,
                        0.2,
                        false,
                        0,
                        ScheduledSampling.off(),
                        0.05,
                        false,
                        100,
                        ROUND_EVERY,
                        0);
        List<TrainingSample> in = samples(ROUND_EVERY + 40 * 256);
        long[] stateBytes = new long[2];
        int[] arrivals = {10 * 256, 40 * 256};
        for (int run = 0; run < 2; run++) {
            TrainerOperator op =
                    new TrainerOperator(
                            SPEC, slow, WINDOW, () -> 0L, onTrainerThread(1_000_000_000_000L));
            try (var h = new OneInputStreamOperatorTestHarness<>(op)) {
                h.open();
                h.setProcessingTime(0);
                feed(h, in, 0, ROUND_EVERY + arrivals[run]);
                assertEquals(
                        0, h.extractOutputValues().size(), "the first round was still running");
                assertEquals(
                        256,
                        op.queuedSamples(),
                        "kept: a reservoir of training.buffer-size samples");
                assertEquals(
                        arrivals[run] - 256, op.droppedSamples(), "the rest dropped and counted");
                stateBytes[run] = h.snapshot(1, 1).getStateSize();
            }
        }
        assertEquals(
                stateBytes[0],
                stateBytes[1],
                "checkpoint size independent of how many samples arrived");
    }

    @Test
    void aDueRoundWaitsForTheBudgetAndGivesTheOutcomesOfInlineTraining() throws Exception {
        List<TrainingSample> in = samples(ROUND_EVERY * 4 + 10);
        List<RoundOutcome> expected = inline(in);
        long[] now = {0};
        long[] cpu = {0};
        // A tenth of a core: the test's clock and CPU time decide when rounds may start.
        TrainingConfig tenth =
                new TrainingConfig(
                        true,
                        1.0,
                        256,
                        ROUND_EVERY,
                        16,
                        20,
                        0.01,
                        1.0,
                        0.2,
                        false,
                        0,
                        ScheduledSampling.off(),
                        0.1,
                        false,
                        20,
                        ROUND_EVERY,
                        0);
        List<RoundOutcome> actual = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h =
                new OneInputStreamOperatorTestHarness<>(
                        new TrainerOperator(SPEC, tenth, WINDOW, () -> now[0], () -> cpu[0]))) {
            h.open();
            h.setProcessingTime(0);
            cpu[0] = 2_000_000_000L; // 2 s of CPU spent, less the burst: 17.5 s to wait
            feed(h, in, 0, ROUND_EVERY * 2);
            now[0] += 9_000_000_000L;
            h.setProcessingTime(9_000);
            assertEquals(0, h.extractOutputValues().size(), "the round waits for the budget");
            // A checkpoint while it waits stores its samples; after the restore (a new budget,
            // with its burst) the round runs on them.
            snapshot = h.snapshot(1, 1);
        }
        try (var h =
                new OneInputStreamOperatorTestHarness<>(
                        new TrainerOperator(SPEC, tenth, WINDOW, () -> now[0], () -> cpu[0]))) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(10_000);
            feed(h, in, ROUND_EVERY * 2, in.size());
            now[0] += 10_000_000_000L;
            h.setProcessingTime(20_000);
            h.endInput();
            actual.addAll(h.extractOutputValues());
        }
        assertSameOutcomes(expected, actual);
    }

    @Test
    void theOutcomeOfARoundRunningAtACheckpointIsDeliveredAfterRestore() throws Exception {
        List<TrainingSample> in = samples(ROUND_EVERY * 4 + 10);
        List<RoundOutcome> expected = inline(in);
        int cut = ROUND_EVERY * 2 + 5;
        List<RoundOutcome> actual = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = harness(false)) {
            h.open();
            h.setProcessingTime(0);
            feed(h, in, 0, ROUND_EVERY * 2);
            // Round 2 has just started in the background: the checkpoint must not wait for it.
            feed(h, in, ROUND_EVERY * 2, cut);
            snapshot = h.snapshot(1, 1);
            // Whatever was emitted before the barrier is part of the checkpoint's output.
            actual.addAll(h.extractOutputValues());
        }
        assertNotNull(snapshot);
        try (var h = harness(false)) {
            h.initializeState(snapshot);
            h.open();
            h.setProcessingTime(0);
            feed(h, in, cut, in.size());
            h.endInput();
            actual.addAll(h.extractOutputValues());
        }
        assertSameOutcomes(expected, actual);
    }

    @Test
    void aChangedSignalStartsARoundAtOnceAndReportsTheDrift() throws Exception {
        // A slow sine, then a fast one: the serving model's loss jumps. Rounds 256 samples apart
        // leave room for eight checks between them.
        int roundEvery = 256;
        List<TrainingSample> slow = samples(roundEvery * 3);
        Random r = new Random(5);
        SeriesHistory fast = new SeriesHistory(WINDOW + 1, 1);
        List<TrainingSample> in = new ArrayList<>(slow);
        long t0 = slow.get(slow.size() - 1).ts();
        for (int t = 1; in.size() < slow.size() + 2 * roundEvery; t++) {
            fast.offer(
                    t0 + t * 1000L,
                    new float[] {(float) (5 + 3 * Math.sin(t * 1.9) + 0.1 * r.nextGaussian())},
                    0,
                    Long.MAX_VALUE,
                    100);
            float[][] ex = fast.trainingExample(WINDOW, 1);
            if (ex != null) {
                in.add(new TrainingSample("s", t0 + t * 1000L, ex[0], ex[1]));
            }
        }
        TrainerOperator op =
                new TrainerOperator(
                        SPEC,
                        new TrainingConfig(
                                true, 1.0, 512, roundEvery, 16, 20, 0.01, 1.0, 0.2, false),
                        WINDOW,
                        null);
        try (var h = new OneInputStreamOperatorTestHarness<>(op)) {
            h.open();
            for (int i = 0; i < in.size(); i++) {
                h.processElement(new StreamRecord<>(in.get(i), in.get(i).ts()));
                op.awaitIdle();
            }
            h.endInput();
            List<RoundOutcome> outcomes = h.extractOutputValues();
            List<RoundOutcome> drifts = outcomes.stream().filter(o -> o.drift() != null).toList();
            assertTrue(
                    drifts.stream().allMatch(o -> o.samplesSeen() > slow.size()),
                    "no drift on the unchanged signal: " + drifts);
            assertFalse(drifts.isEmpty(), "a drift was detected");
            RoundOutcome first = drifts.get(0);
            assertTrue(
                    first.samplesSeen() <= slow.size() + roundEvery / 2,
                    "within a round's worth of samples of the change: " + first);
            assertTrue(first.drift().recentLoss() > first.drift().validationLoss());
            assertTrue(first.drift().statistic() > first.drift().threshold());
            long stamped =
                    h.getOutput().stream()
                            .filter(
                                    o ->
                                            o instanceof StreamRecord<?> rec
                                                    && rec.getValue() == first)
                            .mapToLong(o -> ((StreamRecord<?>) o).getTimestamp())
                            .findFirst()
                            .orElseThrow();
            assertEquals(stamped, first.drift().ts(), "the drift's time is its round's");
        }
    }
}

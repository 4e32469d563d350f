package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig.TrainingConfig;
import io.streamcast.event.DriftCheck;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.RoundOutcome;
import io.streamcast.event.TrainingSample;
import io.streamcast.model.CpuBudget;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.OnlineTrainer;
import io.streamcast.model.Pacer;
import io.streamcast.model.SampleReservoir;
import io.streamcast.model.TrainerThread;
import io.streamcast.model.TrainingRound;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global trainer (parallelism 1): feeds sampled windows to an {@link OnlineTrainer} and emits a
 * {@link RoundOutcome} after every round, carrying a {@link ModelUpdate} when a version was
 * promoted. Rounds run on a background thread so that training never holds up the job: with {@code
 * training.priority=idle}, on CPU time nothing else wants ({@link TrainerPriority}), at once and
 * unpaced; at normal priority (a starved idle round, or no idle priority here) within a {@link
 * CpuBudget} of {@code training.cpu-share} of one core (a due round waits for it, its steps rest to
 * stay within it); in synchronous mode (reproducible replays) the task thread waits for them,
 * unbudgeted. Memory and checkpoint size are bounded whatever the input rate: while a round runs or
 * waits for the budget, arriving samples are kept as a bounded uniform sample ({@link
 * SampleReservoir} of {@code training.buffer-size} windows), and the rest are dropped and counted
 * ({@code trainingSamplesDropped}).
 *
 * <p>Ownership: the trainer and all its ND4J objects live on one {@link TrainerThread}
 * ("streamcast-trainer"), from construction and restore through every round to each checkpoint's
 * snapshot; this operator (the task thread) only holds plain Java samples, futures and bytes, and
 * hands samples over in batches of one round's worth.
 *
 * <p>Implementation notes: samples wait on the task thread until the one that makes a round due;
 * then they are handed over, the trainer's state is snapshotted on its thread (the bytes a
 * checkpoint stores while the round runs) and the round starts. A round's result depends only on
 * that starting state, so a checkpoint taken mid-round stores it, the flag that a round was running
 * and the samples kept since; a restore runs the round again and gets the same outcome. Checkpoints
 * therefore never wait for training. Outcomes are collected on the task thread, at the next sample
 * or a short poll timer, and then the kept samples are fed, oldest first. Nothing is dropped unless
 * a round is running, so synchronous replays keep every sample and stay reproducible; the
 * reservoir's sample is seeded.
 *
 * <p>Drift (background rounds only): between rounds, every {@link OnlineTrainer#DRIFT_BATCH}
 * samples are checked on the trainer's thread ({@link OnlineTrainer#checkDrift}); when the check
 * fires, the samples waiting are handed over and a round starts at once, and its outcome carries
 * the check's numbers (published on the models topic). While the drift lasts, rounds weight the
 * newest windows ({@link io.streamcast.model.DriftWeighting}); the trainer is told before the
 * hand-over snapshot, so a drift round re-run after a restore weights them too. Synchronous replays
 * are not checked: their rounds must come at sample counts the forecaster knows in advance.
 */
public final class TrainerOperator extends AbstractStreamOperator<RoundOutcome>
        implements OneInputStreamOperator<TrainingSample, RoundOutcome>, BoundedOneInput {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerOperator.class);

    /** The name of the training thread (the bench tells its CPU time apart by it). */
    public static final String THREAD_NAME = "streamcast-trainer";

    private static final long POLL_MS = 20;

    /** CPU time an idle trainer may save up for one burst of full-speed work. */
    static final long BURST_NANOS = 250_000_000L;

    /**
     * How long a round at idle priority must have run with less than half its CPU share before it
     * competes at normal priority.
     */
    static final long STARVED_AFTER_NANOS = 2_000_000_000L;

    private final NetworkSpec spec;
    private final TrainingConfig config;
    private final int windowSize;
    private final ModelUpdate initialModel;

    private transient TrainerThread trainer;
    private transient ListState<byte[]> trainerState;
    private transient ListState<Boolean> inFlightState;
    private transient ListState<TrainingSample> queuedState;
    private transient Future<TrainingRound> inFlight;

    /**
     * Null unless {@code training.priority=idle} (and the process may change thread priorities).
     */
    private transient TrainerPriority priority;

    /**
     * The background trainer's share of a core (null in synchronous mode, or where the JVM cannot
     * measure a thread's CPU time: then rounds are paced by their wall time).
     */
    private transient CpuBudget budget;

    /**
     * The clock and CPU-time source of {@link #budget}; null: the system's and the trainer
     * thread's.
     */
    private final transient LongSupplier testClock;

    private final transient LongSupplier testCpuTime;

    /**
     * A due round's samples, waiting for the budget; while it waits, samples are kept as while a
     * round runs.
     */
    private transient List<TrainingSample> held;

    /** The trainer's state as the running round began, for checkpoints taken while it runs. */
    private transient Future<byte[]> beforeInFlight;

    private transient boolean rerunOnOpen;

    /**
     * Samples not yet handed to the trainer, fewer than a round's worth; only while no round runs.
     */
    private transient List<TrainingSample> pending;

    /** How many more samples make the next round due. */
    private transient int untilRound;

    /** Samples handed to the trainer so far (its samples seen once the hand-over is done). */
    private transient long handedOver;

    /** Samples that arrived while a round ran (a bounded uniform sample of them). */
    private transient SampleReservoir<TrainingSample> kept;

    /** Restored samples not yet handed over, in order: fed at open. */
    private transient List<TrainingSample> restored;

    /**
     * Samples offered to the reservoir since the round began, to tell when training is a round
     * behind.
     */
    private transient volatile long arrivedDuringRound;

    private transient boolean pollScheduled;

    /** The drift check in progress on the trainer's thread (null when none). */
    private transient Future<DriftCheck> driftCheck;

    /** The check that started the running round (null for a scheduled round). */
    private transient DriftCheck roundDrift;

    private transient Counter drifts;

    /**
     * The event time of the sample that made the round due: its outcome's timestamp, so replays are
     * identical.
     */
    private transient long roundTimestamp;

    private transient volatile TrainingRound lastRound;
    private transient volatile long servingVersion;
    private transient volatile long roundMillis;
    private transient volatile int queuedSamples;
    private transient Counter promoted;
    private transient Counter notPromoted;
    private transient Counter samplesIn;
    private transient Counter samplesDropped;

    /**
     * {@code initialModel} may be null: then training starts from the seed's initial weights as
     * version 0.
     */
    public TrainerOperator(
            NetworkSpec spec, TrainingConfig config, int windowSize, ModelUpdate initialModel) {
        this.spec = spec;
        this.config = config;
        this.windowSize = windowSize;
        this.initialModel = initialModel;
        this.testClock = null;
        this.testCpuTime = null;
    }

    /** For tests: the CPU budget reads {@code clock} and {@code cpuTime} (nanoseconds). */
    TrainerOperator(
            NetworkSpec spec,
            TrainingConfig config,
            int windowSize,
            LongSupplier clock,
            LongSupplier cpuTime) {
        this.spec = spec;
        this.config = config;
        this.windowSize = windowSize;
        this.initialModel = null;
        this.testClock = clock;
        this.testCpuTime = cpuTime;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var store = context.getOperatorStateStore();
        trainerState = store.getListState(new ListStateDescriptor<>("trainer", byte[].class));
        inFlightState =
                store.getListState(new ListStateDescriptor<>("round-in-flight", Boolean.class));
        queuedState =
                store.getListState(
                        new ListStateDescriptor<>("queued-samples", TrainingSample.class));
        trainer = new TrainerThread(spec, config.settings(), windowSize, THREAD_NAME);
        List<byte[]> snapshots = new ArrayList<>();
        trainerState.get().forEach(snapshots::add);
        servingVersion =
                trainer.call(
                        t -> {
                            if (initialModel != null) {
                                t.startFrom(initialModel.params(), initialModel.version());
                            }
                            snapshots.forEach(t::restore);
                            return t.version();
                        });
        for (Boolean running : inFlightState.get()) {
            rerunOnOpen |= running;
        }
        restored = new ArrayList<>();
        queuedState.get().forEach(restored::add);
        pending = new ArrayList<>();
        untilRound = trainer.call(OnlineTrainer::samplesUntilRound);
        handedOver = trainer.call(OnlineTrainer::samplesSeen);
        // The sample depends only on the seed and how many samples the trainer has taken, so
        // replays are repeatable.
        long taken = trainer.call(OnlineTrainer::samplesSeen);
        kept =
                new SampleReservoir<>(
                        config.bufferSize(), spec.seed() ^ (taken * 0x9E3779B97F4A7C15L));
    }

    @Override
    public void open() throws Exception {
        super.open();
        priority =
                config.idlePriority() && !config.synchronous()
                        ? TrainerPriority.ifReversible()
                        : null;
        if (!config.synchronous()) {
            LongSupplier cpuTime = testCpuTime != null ? testCpuTime : trainer.cpuTime();
            if (cpuTime != null) {
                budget =
                        new CpuBudget(
                                config.cpuShare(),
                                BURST_NANOS,
                                testClock != null ? testClock : System::nanoTime,
                                cpuTime);
            }
        }
        MetricGroup metrics = getMetricGroup();
        promoted = metrics.counter("roundsPromoted");
        notPromoted = metrics.counter("roundsNotPromoted");
        samplesIn = metrics.counter("trainingSamplesIn");
        samplesDropped = metrics.counter("trainingSamplesDropped");
        drifts = metrics.counter("driftsDetected");
        metrics.gauge("modelVersion", (Gauge<Long>) () -> servingVersion);
        metrics.gauge(
                "trainingLoss",
                (Gauge<Double>) () -> lastRound == null ? Double.NaN : lastRound.trainLoss());
        metrics.gauge(
                "gradientNorm",
                (Gauge<Double>) () -> lastRound == null ? Double.NaN : lastRound.gradientNorm());
        metrics.gauge("lastRoundMillis", (Gauge<Long>) () -> roundMillis);
        metrics.gauge("trainingSamplesQueued", (Gauge<Integer>) () -> queuedSamples);
        if (rerunOnOpen) {
            // The checkpoint caught a round mid-way: the restored state is where it began, so run
            // it again.
            startRound(List.of(), null);
        }
        for (TrainingSample sample : restored) {
            receive(sample);
        }
        restored = null;
    }

    @Override
    public void processElement(StreamRecord<TrainingSample> element) throws Exception {
        collectIfDone();
        samplesIn.inc();
        receive(element.getValue());
    }

    private void receive(TrainingSample sample) throws Exception {
        if (inFlight != null || held != null) {
            if (!kept.offer(sample)) {
                samplesDropped.inc();
            }
            arrivedDuringRound++;
            if (priority != null
                    && budget == null
                    && inFlight != null
                    && arrivedDuringRound >= config.roundEvery()) {
                // Without a CPU budget: the next round is due already, so training falls behind
                // at idle priority.
                priority.raise();
            }
        } else {
            accept(sample);
        }
        queuedSamples = queuedSamples();
    }

    /**
     * Takes a sample while no round runs; the one that makes a round due hands the batch over and
     * starts it, or holds it until the CPU budget allows.
     */
    private void accept(TrainingSample sample) throws Exception {
        pending.add(sample);
        if (pending.size() >= untilRound) {
            roundTimestamp = sample.ts();
            List<TrainingSample> batch = pending;
            pending = new ArrayList<>();
            if (mayStart()) {
                startRound(batch, null);
            } else {
                held = batch;
                arrivedDuringRound = 0;
                schedulePoll();
            }
        } else if (!config.synchronous()) {
            checkForDrift(sample);
        }
    }

    /**
     * Whether a due round may start now: at once where rounds start at idle priority (they take
     * only CPU time nothing else wants, see {@link #roundPacer}), else when the CPU budget allows
     * it.
     */
    private boolean mayStart() {
        return budget == null || priority != null || budget.allows();
    }

    /**
     * What a round does between its steps: at idle priority nothing (its work is not charged to the
     * budget: it used CPU time nothing else wanted, so the share does not cap training on a machine
     * with cores to spare); at normal priority (raised because starved, or without idle priority)
     * it rests to stay within {@code training.cpu-share}.
     */
    private Pacer roundPacer() {
        if (budget == null) {
            return Pacer.cpuShare(config.cpuShare());
        }
        Pacer withinShare = budget.pacer();
        if (priority == null) {
            return withinShare;
        }
        return workNanos -> {
            if (priority.isIdle()) {
                budget.uncharged();
            } else {
                withinShare.after(workNanos);
            }
        };
    }

    /** Starts the held round if the budget allows it now, or {@code anyway}. */
    private void startHeld(boolean anyway) throws Exception {
        if (held != null && (anyway || mayStart())) {
            List<TrainingSample> batch = held;
            held = null;
            startRound(batch, null);
        }
    }

    /**
     * Between rounds: collects a finished drift check (starting a round if it fired) and starts the
     * next one every {@link OnlineTrainer#DRIFT_BATCH} waiting samples.
     */
    private void checkForDrift(TrainingSample newest) throws Exception {
        if (driftCheck != null && driftCheck.isDone()) {
            DriftCheck check = TrainerThread.await(driftCheck);
            driftCheck = null;
            if (check.drift() && inFlight == null && !pending.isEmpty()) {
                drifts.inc();
                LOG.info(
                        "drift: loss on new windows {} against validation loss {}, statistic {} > {};"
                                + " training now",
                        check.recentLoss(),
                        check.validationLoss(),
                        check.statistic(),
                        check.threshold());
                roundTimestamp = newest.ts();
                List<TrainingSample> batch = pending;
                pending = new ArrayList<>();
                startRound(batch, check.at(roundTimestamp));
                return;
            }
        }
        if (driftCheck == null && pending.size() % OnlineTrainer.DRIFT_BATCH == 0) {
            int n = OnlineTrainer.DRIFT_BATCH;
            float[][] x = new float[n][];
            float[][] y = new float[n][];
            for (int i = 0; i < n; i++) {
                TrainingSample s = pending.get(pending.size() - n + i);
                x[i] = s.input();
                y[i] = s.target();
            }
            long samplesAt = handedOver + pending.size();
            driftCheck = trainer.submit(t -> t.checkDrift(x, y, n, samplesAt));
        }
    }

    /**
     * Hands {@code batch} (ending with the sample that made the round due) to the trainer and runs
     * the round.
     */
    private void startRound(List<TrainingSample> batch, DriftCheck drift) throws Exception {
        roundDrift = drift;
        handedOver += batch.size();
        untilRound = config.settings().roundLength(handedOver);
        if (config.synchronous()) {
            emit(
                    trainer.call(
                            t -> {
                                feed(t, batch, true);
                                return timedRound(t, Pacer.NONE);
                            }));
            return;
        }
        beforeInFlight =
                trainer.submit(
                        t -> {
                            feed(t, batch, drift == null);
                            if (drift != null) {
                                // Before the snapshot: a round re-run after a restore is the
                                // same drift round.
                                t.markDrift();
                            }
                            return t.snapshot();
                        });
        Pacer pacer = roundPacer();
        arrivedDuringRound = 0;
        inFlight =
                trainer.submit(
                        t -> {
                            if (priority != null) {
                                priority.idleForRound();
                            }
                            if (budget != null) {
                                budget.roundStarted();
                            }
                            return timedRound(t, pacer);
                        });
        schedulePoll();
    }

    /**
     * On the trainer's thread: adds the samples; the last one, and only it, must make the round due
     * ({@code due}), or none (a round started by drift).
     */
    private static void feed(OnlineTrainer t, List<TrainingSample> batch, boolean due) {
        for (int i = 0; i < batch.size(); i++) {
            TrainingSample s = batch.get(i);
            if (t.add(s.input(), s.target()) != (due && i == batch.size() - 1)) {
                throw new IllegalStateException(
                        "the trainer and its operator disagree on when a round is due (sample "
                                + (i + 1)
                                + " of "
                                + batch.size()
                                + ")");
            }
        }
    }

    /** On the trainer's thread. */
    private TrainingRound timedRound(OnlineTrainer t, Pacer pacer) {
        long started = System.nanoTime();
        // A round goes on past its steps-per-round (while validation loss falls) only while the
        // trainer keeps up: synchronous replays wait for it, so always; a background round only
        // until a quarter of a round's samples has arrived since it began. Under a high event rate
        // that quarter arrives before the first chunk ends, so the effort per round stays
        // steps-per-round there, and nowhere exceeds training.max-steps-per-round.
        long quarterRound = Math.max(1, config.roundEvery() / 4);
        java.util.function.BooleanSupplier spare =
                () -> config.synchronous() || arrivedDuringRound < quarterRound;
        TrainingRound round = t.dueRound(pacer, spare);
        roundMillis = (System.nanoTime() - started) / 1_000_000;
        return round;
    }

    private void schedulePoll() {
        if (!pollScheduled) {
            pollScheduled = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService()
                    .registerTimer(
                            now + POLL_MS,
                            t -> {
                                pollScheduled = false;
                                collectIfDone();
                                startHeld(false);
                                raiseIfStarved();
                                if (inFlight != null || held != null) {
                                    schedulePoll();
                                }
                            });
        }
    }

    /**
     * A round at idle priority that got less than half its CPU share for a while competes at normal
     * priority (still paced to its share): a machine kept busy still trains.
     */
    private void raiseIfStarved() {
        if (priority != null
                && budget != null
                && inFlight != null
                && budget.starved(STARVED_AFTER_NANOS)) {
            priority.raise();
        }
    }

    private void collectIfDone() throws Exception {
        if (inFlight != null && inFlight.isDone()) {
            collect();
        }
    }

    /**
     * Waits for the running round, emits its outcome, then feeds the kept samples (which may start
     * another).
     */
    private void collect() throws Exception {
        TrainingRound round;
        try {
            round = TrainerThread.await(inFlight);
        } catch (RuntimeException e) {
            throw new IllegalStateException("training round failed", e);
        }
        inFlight = null;
        beforeInFlight = null;
        emit(round);
        while (inFlight == null && held == null && !kept.isEmpty()) {
            accept(kept.poll());
        }
        queuedSamples = queuedSamples();
    }

    private void emit(TrainingRound round) {
        lastRound = round;
        LOG.debug(
                "round at {} samples took {} ms: {}",
                round.samplesSeen(),
                roundMillis,
                round.reason());
        servingVersion = round.version();
        (round.promoted() ? promoted : notPromoted).inc();
        ModelUpdate update =
                round.promoted()
                        ? new ModelUpdate(
                                round.version(),
                                spec.cell().id(),
                                round.trainLoss(),
                                round.validationLoss(),
                                round.gradientNorm(),
                                round.samplesSeen(),
                                round.params())
                        : null;
        output.collect(
                new StreamRecord<>(
                        new RoundOutcome(round.samplesSeen(), update, roundDrift), roundTimestamp));
        roundDrift = null;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // In order of arrival: a held batch came before any sample pending or kept.
        List<TrainingSample> waiting = new ArrayList<>(held != null ? held : List.of());
        waiting.addAll(pending);
        waiting.addAll(kept.items());
        if (inFlight != null) {
            // Waits for the hand-over snapshot only (taken as the round starts), never for the
            // round.
            trainerState.update(List.of(TrainerThread.await(beforeInFlight)));
        } else {
            trainerState.update(List.of(trainer.call(OnlineTrainer::snapshot)));
        }
        inFlightState.update(List.of(inFlight != null));
        queuedState.update(waiting);
    }

    /**
     * Waits for the running round and drift check (for tests: background training in lock-step with
     * the samples fed).
     */
    void awaitIdle() throws Exception {
        startHeld(true);
        while (inFlight != null) {
            collect();
            startHeld(true);
        }
        if (driftCheck != null) {
            TrainerThread.await(driftCheck);
        }
    }

    /** Samples waiting for the trainer (for tests). */
    int queuedSamples() {
        return (held != null ? held.size() : 0) + pending.size() + kept.size();
    }

    /**
     * Samples dropped while the trainer was behind (for tests; the metric is {@code
     * trainingSamplesDropped}).
     */
    long droppedSamples() {
        return kept.dropped();
    }

    @Override
    public void endInput() throws Exception {
        startHeld(true);
        while (inFlight != null) {
            collect();
            startHeld(true);
        }
    }

    @Override
    public void close() throws Exception {
        if (trainer != null) {
            trainer.close();
        }
        super.close();
    }
}

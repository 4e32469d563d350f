package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig.TrainingConfig;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.RoundOutcome;
import io.streamcast.event.TrainingSample;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.OnlineTrainer;
import io.streamcast.model.Pacer;
import io.streamcast.model.TrainingRound;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * {@link RoundOutcome} after every round, carrying a {@link ModelUpdate} when a version was promoted. Rounds run on a
 * background thread so that training never holds up the job (with {@code training.priority=idle}, on CPU time nothing
 * else wants, see {@link TrainerPriority}); in synchronous mode (reproducible replays) they run inline instead.
 *
 * <p>Implementation notes: while a round runs, the trainer is the round's alone: samples that arrive meanwhile wait
 * in a queue and enter the buffer, in arrival order, when the round is over. A round's result depends only on the
 * trainer state it started from, so a checkpoint taken mid-round stores that starting state (captured when the
 * round began), the flag that a round was running and the queued samples; a restore runs the round again and gets
 * the same outcome. Checkpoints therefore never wait for training. Outcomes are collected on the task thread, at
 * the next sample or a short poll timer.
 */
public final class TrainerOperator extends AbstractStreamOperator<RoundOutcome>
        implements OneInputStreamOperator<TrainingSample, RoundOutcome>, BoundedOneInput {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerOperator.class);
    private static final long POLL_MS = 20;

    private final NetworkSpec spec;
    private final TrainingConfig config;
    private final int windowSize;
    private final ModelUpdate initialModel;

    private transient OnlineTrainer trainer;
    private transient ListState<byte[]> trainerState;
    private transient ListState<Boolean> inFlightState;
    private transient ListState<TrainingSample> queuedState;
    private transient ExecutorService background;
    private transient Future<TrainingRound> inFlight;
    /** Null unless {@code training.priority=idle} (and the process may change thread priorities). */
    private transient TrainerPriority priority;
    private transient byte[] beforeInFlight;
    private transient boolean rerunOnOpen;
    private transient ArrayDeque<TrainingSample> queued;
    private transient boolean pollScheduled;
    /** The event time of the sample that made the round due: its outcome's timestamp, so replays are identical. */
    private transient long roundTimestamp;
    private transient volatile TrainingRound lastRound;
    private transient volatile long servingVersion;
    private transient volatile long roundMillis;
    private transient Counter promoted;
    private transient Counter notPromoted;

    /** {@code initialModel} may be null: then training starts from the seed's initial weights as version 0. */
    public TrainerOperator(NetworkSpec spec, TrainingConfig config, int windowSize, ModelUpdate initialModel) {
        this.spec = spec;
        this.config = config;
        this.windowSize = windowSize;
        this.initialModel = initialModel;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var store = context.getOperatorStateStore();
        trainerState = store.getListState(new ListStateDescriptor<>("trainer", byte[].class));
        inFlightState = store.getListState(new ListStateDescriptor<>("round-in-flight", Boolean.class));
        queuedState = store.getListState(new ListStateDescriptor<>("queued-samples", TrainingSample.class));
        trainer = new OnlineTrainer(spec, config.settings(), windowSize);
        if (initialModel != null) {
            trainer.startFrom(initialModel.params(), initialModel.version());
        }
        for (byte[] snapshot : trainerState.get()) {
            trainer.restore(snapshot);
        }
        for (Boolean running : inFlightState.get()) {
            rerunOnOpen |= running;
        }
        queued = new ArrayDeque<>();
        queuedState.get().forEach(queued::add);
        servingVersion = trainer.version();
    }

    @Override
    public void open() throws Exception {
        super.open();
        priority = config.idlePriority() && !config.synchronous() ? TrainerPriority.ifReversible() : null;
        background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "streamcast-trainer");
            t.setDaemon(true);
            return t;
        });
        MetricGroup metrics = getMetricGroup();
        promoted = metrics.counter("roundsPromoted");
        notPromoted = metrics.counter("roundsNotPromoted");
        metrics.gauge("modelVersion", (Gauge<Long>) () -> servingVersion);
        metrics.gauge("trainingLoss", (Gauge<Double>) () -> lastRound == null ? Double.NaN : lastRound.trainLoss());
        metrics.gauge("gradientNorm", (Gauge<Double>) () -> lastRound == null ? Double.NaN : lastRound.gradientNorm());
        metrics.gauge("lastRoundMillis", (Gauge<Long>) () -> roundMillis);
        if (rerunOnOpen) {
            // The checkpoint caught a round mid-way: the restored state is where it began, so run it again.
            startRound();
        }
    }

    @Override
    public void processElement(StreamRecord<TrainingSample> element) throws Exception {
        collectIfDone();
        if (inFlight != null) {
            queued.add(element.getValue());
            if (priority != null && queued.size() >= config.roundEvery()) {
                priority.raise(); // the next round is due already: training falls behind at idle priority
            }
        } else {
            add(element.getValue());
        }
    }

    private void add(TrainingSample sample) throws Exception {
        if (trainer.add(sample.input(), sample.target())) {
            roundTimestamp = sample.ts();
            startRound();
        }
    }

    private void startRound() throws Exception {
        if (config.synchronous()) {
            emit(timedRound(Pacer.NONE));
            return;
        }
        beforeInFlight = trainer.snapshot();
        Pacer pacer = Pacer.cpuShare(config.cpuShare());
        inFlight = background.submit(() -> {
            if (priority != null) {
                priority.idleForRound();
            }
            return timedRound(pacer);
        });
        schedulePoll();
    }

    private TrainingRound timedRound(Pacer pacer) {
        long started = System.nanoTime();
        TrainingRound round = trainer.dueRound(pacer);
        roundMillis = (System.nanoTime() - started) / 1_000_000;
        return round;
    }

    private void schedulePoll() {
        if (!pollScheduled) {
            pollScheduled = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + POLL_MS, t -> {
                pollScheduled = false;
                collectIfDone();
                if (inFlight != null) {
                    schedulePoll();
                }
            });
        }
    }

    private void collectIfDone() throws Exception {
        if (inFlight != null && inFlight.isDone()) {
            collect();
        }
    }

    /** Waits for the running round, emits its outcome, then feeds the queued samples (which may start another). */
    private void collect() throws Exception {
        TrainingRound round;
        try {
            round = inFlight.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("training round failed", e.getCause());
        }
        inFlight = null;
        beforeInFlight = null;
        emit(round);
        while (inFlight == null && !queued.isEmpty()) {
            add(queued.poll());
        }
    }

    private void emit(TrainingRound round) {
        lastRound = round;
        LOG.debug("round at {} samples took {} ms: {}", round.samplesSeen(), roundMillis, round.reason());
        servingVersion = round.version();
        (round.promoted() ? promoted : notPromoted).inc();
        ModelUpdate update = round.promoted()
                ? new ModelUpdate(round.version(), spec.cell(), spec.summary(), round.trainLoss(),
                        round.validationLoss(), round.gradientNorm(), round.samplesSeen(), round.params())
                : null;
        output.collect(new StreamRecord<>(new RoundOutcome(round.samplesSeen(), update), roundTimestamp));
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        trainerState.update(List.of(inFlight != null ? beforeInFlight : trainer.snapshot()));
        inFlightState.update(List.of(inFlight != null));
        queuedState.update(new ArrayList<>(queued));
    }

    @Override
    public void endInput() throws Exception {
        while (inFlight != null) {
            collect();
        }
    }

    @Override
    public void close() throws Exception {
        if (background != null) {
            background.shutdownNow();
        }
        super.close();
    }
}

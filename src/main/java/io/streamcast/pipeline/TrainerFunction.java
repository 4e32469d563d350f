package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig.TrainingConfig;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.RoundOutcome;
import io.streamcast.event.TrainingSample;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.OnlineTrainer;
import io.streamcast.model.TrainingRound;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The global trainer (parallelism 1): feeds sampled windows to an {@link OnlineTrainer} and emits a
 * {@link RoundOutcome} after every round, carrying a {@link ModelUpdate} when a version was promoted. Its whole state (weights, Adam moments, replay buffer, RNG,
 * version) is checkpointed as one snapshot.
 */
public final class TrainerFunction extends ProcessFunction<TrainingSample, RoundOutcome>
        implements CheckpointedFunction {
    private final NetworkSpec spec;
    private final TrainingConfig config;
    private final int windowSize;
    private final ModelUpdate initialModel;
    private transient OnlineTrainer trainer;
    private transient ListState<byte[]> snapshots;
    private transient volatile TrainingRound lastRound;
    private transient Counter promoted;
    private transient Counter rejected;

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        promoted = metrics.counter("roundsPromoted");
        rejected = metrics.counter("roundsNotPromoted");
        metrics.gauge("modelVersion", (Gauge<Long>) () -> trainer.version());
        metrics.gauge("trainingLoss", (Gauge<Double>) () -> lastRound == null ? Double.NaN : lastRound.trainLoss());
        metrics.gauge("gradientNorm", (Gauge<Double>) () -> lastRound == null ? Double.NaN : lastRound.gradientNorm());
    }

    /** {@code initialModel} may be null: then training starts from the seed's initial weights as version 0. */
    public TrainerFunction(NetworkSpec spec, TrainingConfig config, int windowSize, ModelUpdate initialModel) {
        this.spec = spec;
        this.config = config;
        this.windowSize = windowSize;
        this.initialModel = initialModel;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        snapshots = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("trainer", byte[].class));
        trainer = new OnlineTrainer(spec, config, windowSize);
        if (initialModel != null) {
            trainer.startFrom(initialModel.params(), initialModel.version());
        }
        for (byte[] snapshot : snapshots.get()) {
            trainer.restore(snapshot);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        snapshots.clear();
        snapshots.add(trainer.snapshot());
    }

    @Override
    public void processElement(TrainingSample sample, Context ctx, Collector<RoundOutcome> out) {
        TrainingRound round = trainer.offer(sample.input(), sample.target());
        if (round != null) {
            lastRound = round;
            (round.promoted() ? promoted : rejected).inc();
            ModelUpdate promoted = round.promoted()
                    ? new ModelUpdate(round.version(), spec.cell(), spec.summary(), round.trainLoss(),
                            round.validationLoss(), round.gradientNorm(), round.samplesSeen(), round.params())
                    : null;
            out.collect(new RoundOutcome(round.samplesSeen(), promoted));
        }
    }
}

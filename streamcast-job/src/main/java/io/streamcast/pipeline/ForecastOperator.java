package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig.BaselineConfig;
import io.streamcast.config.StreamcastConfig.InferenceConfig;
import io.streamcast.config.StreamcastConfig.IntervalConfig;
import io.streamcast.config.StreamcastConfig.TrainingConfig;
import io.streamcast.event.Forecast;
import io.streamcast.event.ForecastInput;
import io.streamcast.event.ForecastResult;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.RoundOutcome;
import io.streamcast.model.Forecaster;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.SeriesMemory;
import io.streamcast.model.TrainingSettings;
import io.streamcast.model.anomaly.AnomalyScorerConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.SimpleTimerService;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The forecaster: keyed by series on input 1 ({@link ForecastInput}), the trainer's broadcast
 * {@link RoundOutcome}s on input 2; emits one {@link ForecastResult} per input: the next {@link
 * Forecast} and the reading's {@link Score} against the forecast made for it. Inference is batched
 * across series: inputs are buffered and flushed when {@code batchSize} are waiting, {@code
 * maxDelay} after the first, before every checkpoint barrier and at end of input. Its {@link
 * Forecaster} (with its network and every ND4J array in it) is built in {@code open} and used only
 * on the task thread (Flink calls open, elements, timers and snapshots there); new models arrive as
 * {@code float[]} parameters, never as shared objects.
 *
 * <p>Implementation notes: the {@link Forecaster} does the forecasting (step versus rebuild,
 * scoring, intervals); this operator keeps the buffering, the state and the timers. Each series'
 * {@link SeriesMemory} lives in keyed state, read before and written after each batch of distinct
 * series. The serving model is kept in union operator state so that every subtask restores the
 * newest version. A series idle for the configured TTL (processing time) has its state dropped
 * ({@link IdleCleanup}).
 *
 * <p>Synchronous mode (replays at parallelism 1): a reading whose assembler had emitted the sample
 * that triggers the next round waits, with every reading after it, until that round's outcome
 * arrives, so which model answers which reading depends only on the input, never on thread timing.
 */
public final class ForecastOperator extends AbstractStreamOperator<ForecastResult>
        implements TwoInputStreamOperator<ForecastInput, RoundOutcome, ForecastResult>,
                BoundedMultiInput,
                Triggerable<String, VoidNamespace> {

    private final NetworkSpec spec;
    private final int windowSize;
    private final int batchSize;
    private final long maxDelayMs;
    private final IntervalConfig intervals;
    private final BaselineConfig baselines;
    private final ModelUpdate initialModel;
    private final IdleCleanup cleanup;
    private final AnomalyScorerConfig scoring;
    private final boolean synchronous;
    private final TrainingSettings trainingSettings;
    private final boolean rebuildOnNewModel;

    private transient Forecaster forecaster;
    private transient ModelUpdate model;
    private transient ValueState<SeriesMemory> memory;
    private transient ListState<ModelUpdate> modelState;
    private transient ListState<Long> roundsState;
    private transient ListState<ForecastInput> waitingState;
    private transient long roundsThrough;
    private transient boolean trainerDone;
    private transient ArrayDeque<StreamRecord<ForecastInput>> waiting;
    private transient List<StreamRecord<ForecastInput>> pending;
    private transient boolean timerSet;
    private transient TimerService cleanupTimers;
    private transient Counter forecastsOut;
    private transient Histogram batchSizes;
    private transient Histogram batchMicros;

    /**
     * {@code initialModel} may be null: then version 0 is the network the spec's seed initialises.
     */
    public ForecastOperator(
            NetworkSpec spec,
            int windowSize,
            InferenceConfig inference,
            IntervalConfig intervals,
            BaselineConfig baselines,
            TrainingConfig training,
            AnomalyScorerConfig scoring,
            Duration seriesTtl,
            ModelUpdate initialModel) {
        this.spec = spec;
        this.windowSize = windowSize;
        this.batchSize = inference.batchSize();
        this.maxDelayMs = inference.maxDelay().toMillis();
        this.rebuildOnNewModel = inference.rebuildOnNewModel();
        this.intervals = intervals;
        this.baselines = baselines;
        this.initialModel = initialModel;
        this.cleanup = new IdleCleanup(seriesTtl);
        this.scoring = scoring;
        this.synchronous = training.synchronous() && training.enabled();
        this.trainingSettings = training.settings();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        modelState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>("serving-model", ModelUpdate.class));
        model = initialModel;
        for (ModelUpdate restored : modelState.get()) {
            if (model == null || restored.version() > model.version()) {
                model = restored;
            }
        }
        roundsState =
                context.getOperatorStateStore()
                        .getUnionListState(new ListStateDescriptor<>("rounds-through", Long.class));
        for (Long n : roundsState.get()) {
            roundsThrough = Math.max(roundsThrough, n);
        }
        waiting = new ArrayDeque<>();
        waitingState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "waiting-for-round", ForecastInput.class));
        for (ForecastInput in : waitingState.get()) {
            waiting.add(new StreamRecord<>(in, in.ts()));
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        memory = getPartitionedState(new ValueStateDescriptor<>("memory", SeriesMemory.class));
        forecaster =
                new Forecaster(
                        spec,
                        windowSize,
                        intervals.residualWindow(),
                        intervals.coverage(),
                        rebuildOnNewModel,
                        scoring,
                        baselines.combiner(),
                        intervals.adaptationRate());
        if (model != null) {
            forecaster.useModel(model.version(), model.params());
        }
        pending = new ArrayList<>();
        cleanup.open(getKeyedStateStore()::getState);
        cleanupTimers =
                new SimpleTimerService(
                        getInternalTimerService(
                                "idle-series", VoidNamespaceSerializer.INSTANCE, this));
        MetricGroup metrics = getMetricGroup();
        forecastsOut = metrics.counter("forecastsOut");
        batchSizes =
                metrics.histogram("inferenceBatchSize", new DescriptiveStatisticsHistogram(1000));
        batchMicros =
                metrics.histogram(
                        "inferenceLatencyMicros", new DescriptiveStatisticsHistogram(1000));
        metrics.gauge("modelVersion", (Gauge<Long>) this::servingVersion);
        // Mean absolute one-step residual in units of each series' scale, over roughly the last
        // 1000 readings.
        metrics.gauge("residualMae", (Gauge<Double>) forecaster::residualMae);
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        if (cleanup.onTimer(timer.getTimestamp(), cleanupTimers)) {
            memory.clear();
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {}

    private long servingVersion() {
        return forecaster.version();
    }

    @Override
    public void processElement1(StreamRecord<ForecastInput> element) throws Exception {
        if (mustWait(element.getValue()) || (synchronous && !waiting.isEmpty())) {
            waiting.add(element);
        } else {
            buffer(element);
        }
    }

    /**
     * In synchronous mode, readings at or past the next round's sample count wait for that round's
     * outcome.
     */
    private boolean mustWait(ForecastInput in) {
        return synchronous
                && !trainerDone
                && in.samplesEmitted()
                        >= roundsThrough + trainingSettings.roundLength(roundsThrough);
    }

    private void releaseWaiting() throws Exception {
        while (!waiting.isEmpty() && !mustWait(waiting.peek().getValue())) {
            buffer(waiting.poll());
        }
    }

    private void buffer(StreamRecord<ForecastInput> element) throws Exception {
        pending.add(element);
        if (pending.size() >= batchSize) {
            flush();
        } else if (!timerSet) {
            timerSet = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService()
                    .registerTimer(
                            now + maxDelayMs,
                            t -> {
                                timerSet = false;
                                flush();
                            });
        }
    }

    @Override
    public void processElement2(StreamRecord<RoundOutcome> element) throws Exception {
        RoundOutcome outcome = element.getValue();
        ModelUpdate update = outcome.promoted();
        if (update != null && update.version() > servingVersion()) {
            // Readings that arrived before the new version are answered by the version they arrived
            // under.
            flush();
            forecaster.useModel(update.version(), update.params());
            model = update;
        }
        roundsThrough = Math.max(roundsThrough, outcome.samplesSeen());
        releaseWaiting();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        modelState.clear();
        if (model != null) {
            modelState.add(model);
        }
        roundsState.update(List.of(roundsThrough));
        List<ForecastInput> stillWaiting = new ArrayList<>();
        waiting.forEach(r -> stillWaiting.add(r.getValue()));
        waitingState.update(stillWaiting);
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 2) {
            // No more rounds will come: whatever waited for one is answered by the last model.
            trainerDone = true;
            releaseWaiting();
        }
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    /** Answers every buffered reading, in arrival order, in as few network calls as possible. */
    void flush() throws Exception {
        for (List<StreamRecord<ForecastInput>> batch :
                Forecaster.distinctSeriesBatches(pending, r -> r.getValue().series())) {
            answer(batch);
        }
        pending.clear();
    }

    /**
     * Answers readings of distinct series: reads their memories, lets the forecaster answer, writes
     * and emits.
     */
    private void answer(List<StreamRecord<ForecastInput>> batch) throws Exception {
        int n = batch.size();
        long started = System.nanoTime();
        List<ForecastInput> inputs = new ArrayList<>(n);
        SeriesMemory[] memories = new SeriesMemory[n];
        for (int i = 0; i < n; i++) {
            ForecastInput in = batch.get(i).getValue();
            setCurrentKey(in.series());
            inputs.add(in);
            memories[i] = memory.value();
        }
        ForecastResult[] results = forecaster.answer(inputs, memories);
        for (int i = 0; i < n; i++) {
            StreamRecord<ForecastInput> record = batch.get(i);
            setCurrentKey(record.getValue().series());
            cleanup.seen(cleanupTimers);
            forecastsOut.inc();
            memory.update(memories[i]);
            output.collect(record.replace(results[i]));
        }
        batchSizes.update(n);
        batchMicros.update((System.nanoTime() - started) / 1000);
    }
}

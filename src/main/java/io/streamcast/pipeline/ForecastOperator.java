package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig.InferenceConfig;
import io.streamcast.config.StreamcastConfig.IntervalConfig;
import io.streamcast.config.StreamcastConfig.TrainingConfig;
import io.streamcast.event.Forecast;
import io.streamcast.event.ForecastInput;
import io.streamcast.event.ForecastResult;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.RoundOutcome;
import io.streamcast.event.Score;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.RecurrentNetwork;
import io.streamcast.model.SeriesMemory;
import io.streamcast.model.anomaly.AnomalyScorer;
import io.streamcast.model.anomaly.AnomalyScorerConfig;
import io.streamcast.model.anomaly.Verdict;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
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
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The forecaster: keyed by series on input 1 ({@link ForecastInput}), the trainer's broadcast
 * {@link RoundOutcome}s on input 2; emits one {@link ForecastResult} per input: the next {@link Forecast} and the
 * reading's {@link Score} against the forecast made for it. Inference is batched across series: inputs are
 * buffered and flushed when {@code batchSize} are waiting, {@code maxDelay} after the first, before every
 * checkpoint barrier and at end of input. Its network (and every ND4J array in it) is built in {@code open} and used
 * only on the task thread (Flink calls open, elements, timers and snapshots there); new models arrive as
 * {@code float[]} parameters, never as shared objects.
 *
 * <p>Implementation notes: each series' recurrent state lives in keyed state ({@link SeriesMemory}) and advances one
 * step per reading in a batched network call. A new series, one whose reading arrived out of order and (unless
 * {@code inference.state-on-new-model} is {@code carry}) one whose state was computed by an older model version is
 * rebuilt from its window instead (batched by window length). A flush may hold two
 * readings of one series; the batch is cut before the second so that it sees the state the first one left. The
 * serving model is kept in union operator state so that every subtask restores the newest version. A series idle for
 * the configured TTL (processing time) has its state dropped.
 *
 * <p>Synchronous mode (replays at parallelism 1): a reading whose assembler had emitted the sample that triggers the
 * next round waits, with every reading after it, until that round's outcome arrives, so which model answers which
 * reading depends only on the input, never on thread timing.
 */
public final class ForecastOperator extends AbstractStreamOperator<ForecastResult>
        implements TwoInputStreamOperator<ForecastInput, RoundOutcome, ForecastResult>, BoundedMultiInput,
                Triggerable<String, VoidNamespace> {

    private final NetworkSpec spec;
    private final int windowSize;
    private final int batchSize;
    private final long maxDelayMs;
    private final IntervalConfig intervals;
    private final ModelUpdate initialModel;
    private final IdleCleanup cleanup;
    private final AnomalyScorerConfig scoring;
    private final boolean synchronous;
    private final int roundEvery;
    private final boolean rebuildOnNewModel;

    private transient RecurrentNetwork network;
    private transient AnomalyScorer scorer;
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
    private transient InternalTimerService<VoidNamespace> cleanupTimers;
    private transient Counter forecastsOut;
    private transient Histogram batchSizes;
    private transient Histogram batchMicros;
    private transient double residualMae;

    /** {@code initialModel} may be null: then version 0 is the network the spec's seed initialises. */
    public ForecastOperator(NetworkSpec spec, int windowSize, InferenceConfig inference, IntervalConfig intervals,
            TrainingConfig training, AnomalyScorerConfig scoring, Duration seriesTtl, ModelUpdate initialModel) {
        this.spec = spec;
        this.windowSize = windowSize;
        this.batchSize = inference.batchSize();
        this.maxDelayMs = inference.maxDelay().toMillis();
        this.rebuildOnNewModel = inference.rebuildOnNewModel();
        this.intervals = intervals;
        this.initialModel = initialModel;
        this.cleanup = new IdleCleanup(seriesTtl);
        this.scoring = scoring;
        this.synchronous = training.synchronous() && training.enabled();
        this.roundEvery = training.roundEvery();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        modelState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("serving-model", ModelUpdate.class));
        model = initialModel;
        for (ModelUpdate restored : modelState.get()) {
            if (model == null || restored.version() > model.version()) {
                model = restored;
            }
        }
        roundsState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("rounds-through", Long.class));
        for (Long n : roundsState.get()) {
            roundsThrough = Math.max(roundsThrough, n);
        }
        waiting = new ArrayDeque<>();
        waitingState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("waiting-for-round", ForecastInput.class));
        for (ForecastInput in : waitingState.get()) {
            waiting.add(new StreamRecord<>(in, in.ts()));
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        memory = getPartitionedState(new ValueStateDescriptor<>("memory", SeriesMemory.class));
        network = RecurrentNetwork.create(spec);
        scorer = new AnomalyScorer(scoring);
        if (model != null) {
            network.setParams(model.params());
        }
        pending = new ArrayList<>();
        cleanupTimers = getInternalTimerService("idle-series", VoidNamespaceSerializer.INSTANCE, this);
        MetricGroup metrics = getMetricGroup();
        forecastsOut = metrics.counter("forecastsOut");
        batchSizes = metrics.histogram("inferenceBatchSize", new DescriptiveStatisticsHistogram(1000));
        batchMicros = metrics.histogram("inferenceLatencyMicros", new DescriptiveStatisticsHistogram(1000));
        metrics.gauge("modelVersion", (Gauge<Long>) this::servingVersion);
        // Mean absolute one-step residual in units of each series' scale, over roughly the last 1000 readings.
        metrics.gauge("residualMae", (Gauge<Double>) () -> residualMae);
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        SeriesMemory m = memory.value();
        if (m == null) {
            return;
        }
        switch (cleanup.check(m.lastSeenAt, m.cleanupAt, timer.getTimestamp())) {
            case DROP -> memory.clear();
            case RESCHEDULE -> {
                m.cleanupAt = cleanup.checkAt(m.lastSeenAt);
                cleanupTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, m.cleanupAt);
                memory.update(m);
            }
            case KEEP -> {}
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {}

    private long servingVersion() {
        return model == null ? 0 : model.version();
    }

    @Override
    public void processElement1(StreamRecord<ForecastInput> element) throws Exception {
        if (mustWait(element.getValue()) || (synchronous && !waiting.isEmpty())) {
            waiting.add(element);
        } else {
            buffer(element);
        }
    }

    /** In synchronous mode, readings at or past the next round's sample count wait for that round's outcome. */
    private boolean mustWait(ForecastInput in) {
        return synchronous && !trainerDone && in.samplesEmitted() >= roundsThrough + roundEvery;
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
            getProcessingTimeService().registerTimer(now + maxDelayMs, t -> {
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
            // Readings that arrived before the new version are answered by the version they arrived under.
            flush();
            network.setParams(update.params());
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
        List<StreamRecord<ForecastInput>> batch = new ArrayList<>();
        Set<String> inBatch = new HashSet<>();
        for (StreamRecord<ForecastInput> record : pending) {
            if (!inBatch.add(record.getValue().series())) {
                answer(batch);
                batch.clear();
                inBatch.clear();
                inBatch.add(record.getValue().series());
            }
            batch.add(record);
        }
        answer(batch);
        pending.clear();
    }

    /** Answers readings of distinct series: one batched step for current states, one batched rebuild per length. */
    private void answer(List<StreamRecord<ForecastInput>> batch) throws Exception {
        int n = batch.size();
        if (n == 0) {
            return;
        }
        long started = System.nanoTime();
        long version = servingVersion();
        SeriesMemory[] memories = new SeriesMemory[n];
        List<Integer> stepping = new ArrayList<>();
        TreeMap<Integer, List<Integer>> rebuildByLength = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            ForecastInput in = batch.get(i).getValue();
            setCurrentKey(in.series());
            SeriesMemory m = memory.value();
            if (m == null) {
                m = new SeriesMemory(network.stateSize(), spec.horizon(), intervals.residualWindow(),
                        scorer.initial());
            }
            memories[i] = m;
            if (!rebuildOnNewModel && m.modelVersion >= 0) {
                m.modelVersion = version; // carried over to the new weights
            }
            if (m.modelVersion != version || in.reordered() || !network.stateful()) {
                rebuildByLength.computeIfAbsent(in.windowLength(), k -> new ArrayList<>()).add(i);
            } else {
                stepping.add(i);
            }
        }
        float[][] outputs = new float[n][];
        if (!stepping.isEmpty()) {
            int m = stepping.size();
            float[] inputs = new float[m * spec.width()];
            float[][] states = new float[m][];
            for (int j = 0; j < m; j++) {
                int i = stepping.get(j);
                System.arraycopy(batch.get(i).getValue().step(), 0, inputs, j * spec.width(), spec.width());
                states[j] = memories[i].recurrent;
            }
            scatter(network.step(inputs, states, m), stepping, outputs);
        }
        for (var group : rebuildByLength.entrySet()) {
            List<Integer> idx = group.getValue();
            float[][] windows = new float[idx.size()][];
            float[][] states = new float[idx.size()][];
            for (int j = 0; j < idx.size(); j++) {
                windows[j] = batch.get(idx.get(j)).getValue().window();
                states[j] = memories[idx.get(j)].recurrent;
                memories[idx.get(j)].modelVersion = version;
            }
            scatter(network.runWindows(windows, group.getKey(), states, idx.size()), idx, outputs);
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        for (int i = 0; i < n; i++) {
            StreamRecord<ForecastInput> record = batch.get(i);
            setCurrentKey(record.getValue().series());
            ForecastResult result = forecast(record.getValue(), memories[i], outputs[i], version);
            memories[i].lastSeenAt = now;
            if (memories[i].cleanupAt == 0) {
                memories[i].cleanupAt = cleanup.checkAt(now);
                cleanupTimers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, memories[i].cleanupAt);
            }
            forecastsOut.inc();
            memory.update(memories[i]);
            output.collect(record.replace(result));
        }
        batchSizes.update(n);
        batchMicros.update((System.nanoTime() - started) / 1000);
    }

    private void scatter(float[] flat, List<Integer> idx, float[][] outputs) {
        int h = spec.horizon();
        for (int j = 0; j < idx.size(); j++) {
            float[] o = new float[h];
            System.arraycopy(flat, j * h, o, 0, h);
            outputs[idx.get(j)] = o;
        }
    }

    /**
     * Scores the reading against the forecast made for it (if any), then makes the next forecast. A reading that
     * arrived out of order is neither scored nor remembered: the newest reading, and so what is forecast next, did
     * not change.
     */
    private ForecastResult forecast(ForecastInput in, SeriesMemory m, float[] change, long version) {
        int h = spec.horizon();
        Score checked = null;
        if (!in.reordered()) {
            double expected = m.checkActual(in.last(), in.scale());
            if (!Double.isNaN(expected)) {
                double residual = in.last() - expected;
                if (m.scoring == null) {
                    m.scoring = scorer.initial();
                }
                Verdict verdict = scorer.score(m.scoring, in.last(), expected);
                residualMae += (Math.abs(residual) / in.scale() - residualMae) / 1000;
                checked = new Score(in.series(), in.ts(), in.last(), expected, m.lastLower, m.lastUpper, residual,
                        verdict.score(), verdict.surprise(), verdict.channelName());
            }
        }
        long[] targetTs = new long[h];
        double[] mean = new double[h];
        double[] lower = new double[h];
        double[] upper = new double[h];
        for (int k = 0; k < h; k++) {
            targetTs[k] = in.ts() + (k + 1) * in.stepMillis();
            mean[k] = in.last() + in.scale() * change[k];
            double half = in.scale() * m.halfWidth(k, intervals.coverage());
            lower[k] = mean[k] - half;
            upper[k] = mean[k] + half;
        }
        if (!in.reordered()) {
            m.remember(mean);
            m.lastLower = lower[0];
            m.lastUpper = upper[0];
        }
        return new ForecastResult(new Forecast(in.series(), in.ts(), version, spec.cell(),
                in.windowLength() < windowSize, targetTs, mean, lower, upper), checked);
    }
}

package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.DeadLetter.Reason;
import io.streamcast.event.ForecastInput;
import io.streamcast.event.Observation;
import io.streamcast.event.ParsedEvent;
import io.streamcast.event.TrainingSample;
import io.streamcast.model.RateCap;
import io.streamcast.model.SeriesHistory;
import io.streamcast.model.SeriesWindows;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by series ({@link #keyOf}): orders readings within the allowed out-of-orderness, keeps the
 * window and normalisation statistics ({@link SeriesHistory}), and emits one {@link ForecastInput}
 * per accepted reading. Late, duplicate and absurdly-far-ahead readings go to {@link
 * #DEAD_LETTERS}; a deterministic share of completed windows goes to {@link #TRAINING_SAMPLES}.
 * Work happens on arrival, never on event-time timers (docs/design.md §4.1); the only timers are
 * processing-time checks that drop the state of series idle for {@code time.series-ttl}.
 */
public final class WindowAssembler extends KeyedProcessFunction<String, ParsedEvent, ForecastInput>
        implements CheckpointedFunction {
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("assembler-dead-letters") {};
    public static final OutputTag<TrainingSample> TRAINING_SAMPLES =
            new OutputTag<>("training-samples") {};

    private final SeriesWindows windows;
    private final boolean training;

    /** Samples a second this job's assemblers may send together; 0 (or synchronous): no cap. */
    private final double maxSamplesPerSecond;

    /** This subtask's share of {@link #maxSamplesPerSecond}, or null without a cap. */
    private transient RateCap sampleCap;

    /** The cap's clock in nanoseconds; null: {@link System#nanoTime}. For tests. */
    private final transient LongSupplier capClock;

    private final IdleCleanup cleanup;
    private transient ValueState<SeriesHistory> history;
    private transient ListState<Long> samplesState;
    private transient long samplesEmitted;
    private transient Counter eventsIn;
    private transient Map<Reason, Counter> deadLetters;

    /**
     * The key of a parsed event: its series, or for a rejected one a per-source key, so that every
     * dead letter of the job leaves through this operator (one output channel: reproducible order
     * in replays).
     */
    public static String keyOf(ParsedEvent e) {
        return e.isAccepted()
                ? e.observation().series()
                : "\u0000rejected:" + e.deadLetter().source() + "/" + e.deadLetter().partition();
    }

    public WindowAssembler(StreamcastConfig config) {
        this(config, null);
    }

    /** As {@link #WindowAssembler(StreamcastConfig)}, the sample cap reading {@code capClock}. */
    WindowAssembler(StreamcastConfig config, LongSupplier capClock) {
        this.capClock = capClock;
        this.windows = config.seriesWindows();
        this.training = config.training().enabled();
        // A synchronous replay samples the same windows in every run: no cap on processing time.
        this.maxSamplesPerSecond =
                config.training().synchronous() ? 0 : config.training().maxSamplesPerSecond();
        this.cleanup = new IdleCleanup(config.time().seriesTtl());
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        samplesState =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("samples-emitted", Long.class));
        for (Long n : samplesState.get()) {
            samplesEmitted += n;
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        samplesState.update(java.util.List.of(samplesEmitted));
    }

    @Override
    public void open(OpenContext openContext) {
        history =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("history", SeriesHistory.class));
        cleanup.open(getRuntimeContext()::getState);
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        eventsIn = metrics.counter("eventsIn");
        if (training && maxSamplesPerSecond > 0) {
            int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            sampleCap =
                    new RateCap(
                            maxSamplesPerSecond / parallelism,
                            capClock != null ? capClock : System::nanoTime);
        }
        MetricGroup byReason = metrics.addGroup("deadLetters");
        deadLetters = new EnumMap<>(Reason.class);
        for (Reason r : Reason.values()) {
            deadLetters.put(r, byReason.counter(r.name()));
        }
    }

    @Override
    public void processElement(ParsedEvent event, Context ctx, Collector<ForecastInput> out)
            throws Exception {
        eventsIn.inc();
        if (!event.isAccepted()) {
            deadLetters.get(event.deadLetter().reason()).inc();
            ctx.output(DEAD_LETTERS, event.deadLetter());
            return;
        }
        Observation obs = event.observation();
        SeriesHistory h = history.value();
        if (h == null) {
            h = windows.newHistory();
        }
        SeriesHistory.Insertion result = windows.offer(h, obs.ts(), obs.values());
        switch (result) {
            case LATE ->
                    reject(
                            ctx,
                            obs,
                            Reason.LATE,
                            "older than the series' allowed out-of-orderness of "
                                    + windows.maxOutOfOrderMs()
                                    + " ms (newest "
                                    + h.newestTs()
                                    + ")");
            case DUPLICATE ->
                    reject(
                            ctx,
                            obs,
                            Reason.DUPLICATE,
                            "the series already has a reading at ts " + obs.ts());
            case JUMP ->
                    reject(
                            ctx,
                            obs,
                            Reason.TIMESTAMP_OUT_OF_RANGE,
                            "ts jumps "
                                    + (obs.ts() - h.newestTs())
                                    + " ms past the series' newest reading (limit "
                                    + windows.maxJumpMs()
                                    + " ms)");
            default -> {
                cleanup.seen(ctx.timerService());
                history.update(h);
                emit(h, obs, result == SeriesHistory.Insertion.REORDERED, ctx, out);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ForecastInput> out)
            throws Exception {
        if (cleanup.onTimer(timestamp, ctx.timerService())) {
            history.clear();
        }
    }

    private void emit(
            SeriesHistory h,
            Observation obs,
            boolean reordered,
            Context ctx,
            Collector<ForecastInput> out) {
        float[][] example = windows.sample(h, obs.series(), obs.ts());
        if (example != null && (sampleCap == null || sampleCap.tryTake())) {
            samplesEmitted++;
            ctx.output(
                    TRAINING_SAMPLES,
                    new TrainingSample(obs.series(), obs.ts(), example[0], example[1]));
        }
        out.collect(windows.input(h, obs.series(), reordered, samplesEmitted));
    }

    private void reject(Context ctx, Observation obs, Reason reason, String message) {
        deadLetters.get(reason).inc();
        ctx.output(DEAD_LETTERS, DeadLetters.of(obs, reason, message));
    }
}

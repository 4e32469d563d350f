package io.streamcast.pipeline;

import io.streamcast.event.ForecastResult;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.Score;
import io.streamcast.io.OutputEncoder;
import io.streamcast.model.alert.AlertConfig;
import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.model.alert.AlertTracker;
import io.streamcast.model.alert.AlertTrackerState;
import io.streamcast.model.anomaly.AnomalyStep;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by series, chained after the forecaster: writes each reading's forecast and score as output
 * records, and feeds the score to the alerting half of the {@link AnomalyStep} (the series' {@link
 * AlertTracker}), adding the alert lifecycle changes it reports (open, update, resolve). The
 * tracker's state lives in keyed state and is dropped after the series TTL.
 *
 * <p>Implementation notes: the scoring half runs in the forecaster, whose per-series memory holds
 * the scorer's state; this operator's keyed state ("alert") holds the tracker's, and both are in
 * every savepoint, so the two halves stay in two operators. The encoding is here, not in map
 * operators of its own, so that every record of a reading leaves along one edge and the sink writer
 * can run in the forecaster's task, with no serialisation between tasks.
 */
public final class AlertOperator
        extends KeyedProcessFunction<String, ForecastResult, OutputRecord> {
    private final AlertConfig config;
    private final IdleCleanup cleanup;
    private transient AnomalyStep step;
    private transient ValueState<AlertTrackerState> state;
    private transient long openAlerts;
    private transient Counter alertsOpened;

    public AlertOperator(AlertConfig config, Duration seriesTtl) {
        this.config = config;
        this.cleanup = new IdleCleanup(seriesTtl);
    }

    @Override
    public void open(OpenContext openContext) {
        step = AnomalyStep.alertingOnly(config);
        state =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("alert", AlertTrackerState.class));
        cleanup.open(getRuntimeContext()::getState);
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        alertsOpened = metrics.counter("alertsOpened");
        // Open alerts on this subtask since it started (a restore starts the count afresh).
        metrics.gauge("openAlerts", (Gauge<Long>) () -> openAlerts);
    }

    @Override
    public void processElement(ForecastResult result, Context ctx, Collector<OutputRecord> out)
            throws Exception {
        out.collect(OutputEncoder.forecast(result.forecast()));
        Score s = result.score();
        if (s == null) {
            return;
        }
        out.collect(OutputEncoder.score(s));
        AlertTrackerState current = state.value();
        if (current == null) {
            current = step.initialAlerts();
        }
        Optional<AlertEvent> event = step.alert(current, s);
        cleanup.seen(ctx.timerService());
        state.update(current);
        if (event.isPresent()) {
            AlertStatus status = event.get().state();
            if (status == AlertStatus.OPEN) {
                alertsOpened.inc();
                openAlerts++;
            } else if (status == AlertStatus.RESOLVE) {
                openAlerts = Math.max(0, openAlerts - 1);
            }
            out.collect(OutputEncoder.alert(event.get()));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OutputRecord> out)
            throws Exception {
        if (cleanup.onTimer(timestamp, ctx.timerService())) {
            state.clear();
        }
    }
}

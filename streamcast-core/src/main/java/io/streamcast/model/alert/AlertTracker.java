package io.streamcast.model.alert;

import java.util.Optional;

/**
 * Per-series alert lifecycle: turns a series' scored readings into few, explained OPEN, UPDATE and
 * RESOLVE events, with hysteresis and flap suppression. At most one event per reading.
 *
 * <p>Implementation notes. A reading is <em>high</em> when its score is at or above the threshold
 * and its deviation {@code |actual - expected|} passes both minimums (so a confident model cannot
 * alert on a trivial absolute change), and <em>normal</em> when its score is below the reset
 * threshold; readings in between keep an open alert open without counting towards its resolution
 * (hysteresis). Closed: a high reading opens an alert with id {@code series + "-" + ts}, unless the
 * previous alert of the series resolved at most {@code cooldownMs} earlier, in which case that
 * alert re-opens under its old id and opening time (a flapping sensor is one alert, not hundreds).
 * Open: an UPDATE is emitted when the severity rises above the episode's peak, or, if {@code
 * updateEvery > 0}, when that many readings passed since the last event and the reading is still
 * not normal; a run of normal readings spanning {@code resolveAfterMs} of event time resolves it.
 * Everything is decided on the reading's own event time, never a wall clock or a timer, so a replay
 * gives the same events and ids; the flip side is that a series that stops reporting stays open
 * until its next reading. Readings are expected in event-time order per series; a reading with a
 * non-finite score is ignored.
 *
 * <p>The tracker is immutable and may be shared; the {@link AlertTrackerState} is mutated in place
 * (read it from keyed state, call {@link #onReading}, write it back).
 */
public final class AlertTracker {

    private final AlertConfig config;

    public AlertTracker(AlertConfig config) {
        this.config = config;
    }

    public AlertConfig config() {
        return config;
    }

    /** A state for a series that has never alerted. */
    public AlertTrackerState initial() {
        return new AlertTrackerState();
    }

    /**
     * Advances {@code state} by one reading of {@code series}.
     *
     * @return the lifecycle event this reading causes, if any
     */
    public Optional<AlertEvent> onReading(String series, AlertTrackerState state, ScoredReading r) {
        if (!Double.isFinite(r.score())) {
            return Optional.empty();
        }
        return state.active ? whileOpen(series, state, r) : whileClosed(series, state, r);
    }

    private Optional<AlertEvent> whileClosed(
            String series, AlertTrackerState state, ScoredReading r) {
        if (!isHigh(r)) {
            return Optional.empty();
        }
        Severity severity = severityOf(r.score());
        boolean reopen =
                state.alertId != null
                        && state.resolvedAt != AlertTrackerState.NONE
                        && r.ts() - state.resolvedAt <= config.cooldownMs();
        String reason;
        if (reopen) {
            state.reopenCount++;
            reason =
                    "re-opened ("
                            + AlertReasons.ordinal(state.reopenCount)
                            + " time, "
                            + AlertReasons.duration(r.ts() - state.resolvedAt)
                            + " after resolving): "
                            + AlertReasons.deviation(r);
        } else {
            // Deterministic from the series and the opening reading, so replays give the same id.
            state.alertId = series + "-" + r.ts();
            state.openedAt = r.ts();
            state.reopenCount = 0;
            reason = AlertReasons.deviation(r);
        }
        state.active = true;
        state.peakSeverity = severity.ordinal();
        state.normalSince = AlertTrackerState.NONE;
        state.resolvedAt = AlertTrackerState.NONE;
        state.readingsSinceEvent = 0;
        return Optional.of(event(series, state, AlertStatus.OPEN, r, reason));
    }

    private Optional<AlertEvent> whileOpen(
            String series, AlertTrackerState state, ScoredReading r) {
        state.readingsSinceEvent++;
        if (r.score() < config.resetThreshold()) {
            if (state.normalSince == AlertTrackerState.NONE) {
                state.normalSince = r.ts();
            }
            long quietMs = r.ts() - state.normalSince;
            if (quietMs < config.resolveAfterMs()) {
                return Optional.empty();
            }
            String reason =
                    "back to normal for "
                            + AlertReasons.duration(quietMs)
                            + " (anomaly score "
                            + AlertReasons.score(r.score())
                            + " below reset "
                            + AlertReasons.score(config.resetThreshold())
                            + "); value "
                            + AlertReasons.number(r.actual())
                            + ", expected "
                            + AlertReasons.number(r.expected())
                            + "; alert lasted "
                            + AlertReasons.duration(r.ts() - state.openedAt);
            state.active = false;
            state.resolvedAt = r.ts();
            state.normalSince = AlertTrackerState.NONE;
            state.readingsSinceEvent = 0;
            return Optional.of(event(series, state, AlertStatus.RESOLVE, r, reason));
        }
        state.normalSince = AlertTrackerState.NONE;
        Severity severity = severityOf(r.score());
        boolean rose = r.score() >= config.threshold() && severity.ordinal() > state.peakSeverity;
        boolean periodic =
                config.updateEvery() > 0 && state.readingsSinceEvent >= config.updateEvery();
        if (!rose && !periodic) {
            return Optional.empty();
        }
        String reason =
                AlertReasons.deviation(r)
                        + ", for "
                        + AlertReasons.duration(r.ts() - state.openedAt);
        if (rose) {
            state.peakSeverity = severity.ordinal();
            reason += "; severity rose to " + severity;
        }
        state.readingsSinceEvent = 0;
        return Optional.of(event(series, state, AlertStatus.UPDATE, r, reason));
    }

    private boolean isHigh(ScoredReading r) {
        if (r.score() < config.threshold()) {
            return false;
        }
        double deviation = Math.abs(r.actual() - r.expected());
        // Written so a NaN deviation fails: without a usable deviation there is nothing to explain.
        return deviation >= config.minAbsDeviation()
                && deviation >= config.minRelDeviation() * Math.abs(r.expected());
    }

    private Severity severityOf(double score) {
        return score >= config.criticalThreshold() ? Severity.CRITICAL : Severity.WARNING;
    }

    private static AlertEvent event(
            String series,
            AlertTrackerState s,
            AlertStatus status,
            ScoredReading r,
            String reason) {
        return new AlertEvent(
                series,
                s.alertId,
                status,
                r.ts(),
                r.score(),
                Severity.values()[s.peakSeverity],
                r.actual(),
                r.expected(),
                r.lower(),
                r.upper(),
                s.openedAt,
                r.ts() - s.openedAt,
                reason,
                r.channel(),
                r.surprise());
    }
}

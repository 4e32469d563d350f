package io.streamcast.model.anomaly;

import io.streamcast.event.Score;
import io.streamcast.model.alert.AlertConfig;
import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertTracker;
import io.streamcast.model.alert.AlertTrackerState;
import io.streamcast.model.alert.ScoredReading;
import java.util.Optional;

/**
 * Scoring and alerting of a series' checked readings as one step, and so the one place of the
 * one-anomaly-one-alert policy: the {@link AnomalyScorer} turns a reading and the forecast made for
 * it into a score record, holding the score below the threshold after a detection until it calms
 * (one anomaly, one detection), and the {@link AlertTracker} turns score records into an alert's
 * open, update and resolve events (one detection, one alert; a flapping one re-opens under its id).
 * Immutable and shareable; the per-series states are the caller's.
 *
 * <p>Implementation notes: the two halves keep separate states because the job keeps them in two
 * operators' keyed state (the scorer's inside the forecaster's {@code SeriesMemory}, the tracker's
 * in the alerts operator, both in every savepoint), so the job calls {@link #score} in one and
 * {@link #alert} in the other; offline re-scoring holds both states and calls {@link #next}.
 */
public final class AnomalyStep {
    private final AnomalyScorer scorer;
    private final AlertTracker tracker;

    /** A step with both halves. */
    public AnomalyStep(AnomalyScorerConfig scoring, AlertConfig alerts) {
        this(new AnomalyScorer(scoring), new AlertTracker(alerts));
    }

    /**
     * A step with this scorer (e.g. with other internal constants) and tracker; either may be null
     * for a step that runs only the other half.
     */
    public AnomalyStep(AnomalyScorer scorer, AlertTracker tracker) {
        this.scorer = scorer;
        this.tracker = tracker;
    }

    /** A step for a caller that only scores (the forecaster: the alerts are another operator's). */
    public static AnomalyStep scoringOnly(AnomalyScorerConfig scoring) {
        return new AnomalyStep(new AnomalyScorer(scoring), null);
    }

    /**
     * A step for a caller that only alerts (the alerts operator: the scores are the forecaster's).
     */
    public static AnomalyStep alertingOnly(AlertConfig alerts) {
        return new AnomalyStep(null, new AlertTracker(alerts));
    }

    public AnomalyScorer scorer() {
        return scorer;
    }

    /** A fresh scoring state for a new series. */
    public ScorerMemory initialScoring() {
        return scorer.initial();
    }

    /**
     * A series' scoring state as restored: {@code current} if there is one, else {@code layout1}
     * (the state's layout before {@link ScorerMemory}) upgraded, else a fresh one.
     */
    public ScorerMemory restored(ScorerMemory current, ScorerState layout1) {
        if (current != null) {
            return current;
        }
        return layout1 != null ? layout1.upgrade() : scorer.initial();
    }

    /**
     * Scores one checked reading of {@code series} and folds it into {@code state}: the score
     * record, with the residual, the score and the channel that gave it.
     *
     * @param lower the lower bound of the interval forecast with {@code expected}
     * @param upper its upper bound
     * @param model the version of the model that made the forecast, or {@link
     *     AnomalyScorer#UNKNOWN_FORECASTER}
     */
    public Score score(
            ScorerMemory state,
            String series,
            long ts,
            double actual,
            double expected,
            double lower,
            double upper,
            long model) {
        Verdict v = scorer.score(state, actual, expected, model);
        return new Score(
                series,
                ts,
                actual,
                expected,
                lower,
                upper,
                actual - expected,
                v.score(),
                v.surprise(),
                v.channelName(),
                model);
    }

    /**
     * Advances the series' alert {@code state} by one score record: the event it causes, if any.
     */
    public Optional<AlertEvent> alert(AlertTrackerState state, Score s) {
        if (tracker == null) {
            throw new IllegalStateException("this step only scores: it has no alert settings");
        }
        return tracker.onReading(s.series(), state, ScoredReading.of(s));
    }

    /** A fresh alert state for a series that has never alerted. */
    public AlertTrackerState initialAlerts() {
        return new AlertTrackerState();
    }

    /** Both states of one series, for a caller that runs the whole step in one place. */
    public static final class SeriesState {
        public final ScorerMemory scoring;
        public final AlertTrackerState alerts;

        SeriesState(ScorerMemory scoring, AlertTrackerState alerts) {
            this.scoring = scoring;
            this.alerts = alerts;
        }
    }

    /** What one reading yields: its score record and the alert event it causes, if any. */
    public record Outcome(Score score, Optional<AlertEvent> alert) {}

    /** Fresh states for a new series. */
    public SeriesState initial() {
        return new SeriesState(initialScoring(), initialAlerts());
    }

    /** {@link #score} then {@link #alert}, on both states of one series. */
    public Outcome next(
            SeriesState state,
            String series,
            long ts,
            double actual,
            double expected,
            double lower,
            double upper,
            long model) {
        Score s = score(state.scoring, series, ts, actual, expected, lower, upper, model);
        return new Outcome(s, alert(state.alerts, s));
    }
}

package io.streamcast.model.anomaly;

/**
 * Scores each reading of a series against that series' own history: several tests ({@link
 * AnomalyChannel}s) each give a tail probability, the smallest one is corrected for testing several
 * (Bonferroni) and reported as a score in [0, 1] that means the same on every series, so one
 * threshold serves a whole fleet. After a detection (a score at or above the threshold) the score
 * is held below the threshold until it has stayed below it on its own for a number of readings in a
 * row: one anomaly, one detection.
 *
 * <p>Implementation notes. The channels, each judging the reading against its state from before it:
 * {@link SustainedChannel} (sustained misfit, after Numenta's anomaly likelihood), {@link
 * ChangeChannel} (a CUSUM of the robustly normalised residual less the forecaster's bias) and
 * {@link FlatChannel} (a run of identical values against the series' own record of runs). The
 * scorer keeps what they share: the reading count, the last value, the value's resolution (its
 * smallest step so far) and the hold, whose start restarts each channel that accumulates evidence
 * ({@link AnomalyChannel#detected()}) and during which the change channel gathers and learns
 * nothing.
 *
 * <p>Probabilities are kept as logarithms throughout ({@link NormalTail} works in logs), so nothing
 * saturates: the fused surprise {@code S = -log10(min_i p_i * channels)} keeps its order at any
 * extremity. The score is {@code u / (1 + u)} with {@code u = ln(1 + S / 8)}: 0.3 is a fused p of
 * 5.2e-5 (S = 4.3), 0.5 of 1.1e-14, and since {@code u} is at most about 710 for any finite double,
 * the score never rounds to 1 (a Gaussian tail grows as the square of the deviation, so {@code S /
 * (S + c)} would, at a deviation of 1e9 scales). Dropped after measuring on NAB (see
 * docs/anomaly-scoring.md): a point channel (single residuals against a Gaussian on their running
 * mean and variance) and a value-range channel (the value against its running median and spread,
 * exponential tails) both added more false positives than detections. Trade-offs: the references
 * adapt, so a lasting change becomes normal after a few thousand readings; a single enormous
 * residual inflates the sustained channel's variance for a long time (as in Numenta's likelihood).
 *
 * <p>State ({@link ScorerMemory}, about {@link ScorerMemory#BYTES} bytes of fields with the default
 * window) is mutated in place; the per-reading path allocates the {@link Reading} the channels
 * share and the returned {@link Verdict}. The scorer itself is immutable and shareable.
 */
public final class AnomalyScorer {

    /** The score is {@code u / (1 + u)} with {@code u = ln(1 + surprise / SCORE_SCALE)}. */
    public static final double SCORE_SCALE = 8;

    /** Absolute residuals are clipped here so that float sums stay finite. */
    static final double MAX_ABS = 1e30;

    /** The forecaster's version before any forecast's model is known. */
    public static final long UNKNOWN_FORECASTER = -1;

    private static final double LN10 = Math.log(10);

    private final AnomalyScorerConfig config;
    private final ScorerConstants constants;
    private final double longRate;

    /** The Bonferroni correction of the fused evidence: ln of the number of channels. */
    private final double lnChannels;

    public AnomalyScorer(AnomalyScorerConfig config) {
        this(config, ScorerConstants.defaults());
    }

    /**
     * A scorer with other internal constants than {@link ScorerConstants#defaults()}: for the
     * development protocol's robustness table only.
     */
    public AnomalyScorer(AnomalyScorerConfig config, ScorerConstants constants) {
        this.config = config;
        this.constants = constants;
        this.longRate = 1.0 / config.longTermWindow();
        this.lnChannels = Math.log(initial().channels().length);
    }

    public AnomalyScorerConfig config() {
        return config;
    }

    /** A fresh state for a new series. */
    public ScorerMemory initial() {
        return new ScorerMemory(
                new SustainedChannel(config.shortWindow()),
                new ChangeChannel(),
                FlatChannel.fresh());
    }

    /** The score a fused surprise ({@code -log10 p}) maps to, before any suppression. */
    public static double scoreOf(double surprise) {
        double u = Math.log1p(surprise / SCORE_SCALE);
        return u / (1 + u);
    }

    /** The fused surprise a score stands for: the inverse of {@link #scoreOf}. */
    public static double surpriseOf(double score) {
        return Math.expm1(score / (1 - score)) * SCORE_SCALE;
    }

    /**
     * Scores one reading and folds it into {@code state}.
     *
     * @param actual the observed value
     * @param expected the one-step forecast made for it; a non-finite residual is ignored (state
     *     unchanged, {@link Verdict#NONE}) so one bad reading cannot poison the history
     */
    public Verdict score(ScorerMemory s, double actual, double expected) {
        return score(s, actual, expected, UNKNOWN_FORECASTER);
    }

    /**
     * Scores one reading and folds it into {@code state}, knowing which model made the forecast.
     *
     * @param forecaster the version of the model that made {@code expected}, or {@link
     *     #UNKNOWN_FORECASTER}; a change of it restarts the change channel and holds it while the
     *     new model settles
     */
    public Verdict score(ScorerMemory s, double actual, double expected, long forecaster) {
        float[] ring = s.sustained == null ? null : s.sustained.recent;
        if (ring == null || ring.length != config.shortWindow()) {
            throw new IllegalArgumentException(
                    "state was not created by this scorer's initial() (short window "
                            + (ring == null ? "missing" : ring.length)
                            + ", expected "
                            + config.shortWindow()
                            + ")");
        }
        double r = actual - expected;
        if (!Double.isFinite(r)) {
            return Verdict.NONE;
        }
        s.count++;
        if (s.count > 1 && actual != s.lastValue) {
            double step = Math.abs(actual - s.lastValue);
            s.minStep = s.minStep == 0 ? step : Math.min(s.minStep, step);
        }
        boolean scored = s.count > config.warmup();
        Reading reading =
                new Reading(
                        actual,
                        r,
                        Math.min(Math.abs(r), MAX_ABS),
                        forecaster,
                        s.count,
                        s.lastValue,
                        s.minStep,
                        Math.max(1.0 / s.count, longRate),
                        scored,
                        s.quiet > 0,
                        constants);
        AnomalyChannel[] channels = s.channels();
        double best = 0; // the largest -ln p over the channels
        AnomalyChannel winner = null;
        for (AnomalyChannel channel : channels) {
            double lp = channel.observe(reading);
            if (lp > best) {
                best = lp;
                winner = channel;
            }
        }
        s.lastValue = actual;
        if (!scored) {
            return Verdict.NONE;
        }
        // Capped at the largest double: on a series the forecaster has matched exactly (hundreds
        // of zeros forecast as zeros) the short means' variance is 0, and the first residual's
        // tail overflows to an infinite surprise, which the score map would turn into NaN.
        double surprise = Math.max(0, (Math.min(best, Double.MAX_VALUE) - lnChannels) / LN10);
        double score = scoreOf(surprise);
        boolean suppressed = s.quiet > 0;
        if (suppressed) {
            // Re-armed only after the evidence has calmed: a stuck sensor or a level the forecaster
            // keeps missing stays one detection however long it lasts, while a new anomaly soon
            // after a short one is still found.
            s.quiet = score < config.threshold() ? s.quiet - 1 : config.suppression();
            score = Math.min(score, Math.nextDown(config.threshold()));
        } else if (score >= config.threshold()) {
            s.quiet = config.suppression();
            for (AnomalyChannel channel : channels) {
                channel.detected();
            }
        }
        return winner == null
                ? new Verdict(score, surprise, Channel.NONE, 0, 0, suppressed)
                : new Verdict(
                        score,
                        surprise,
                        winner.label(),
                        winner.statistic(),
                        winner.reference(),
                        suppressed);
    }
}

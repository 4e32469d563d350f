package io.streamcast.model.anomaly;

/**
 * Scores each reading of a series against that series' own history: several tests ("channels") each
 * give a tail probability, the smallest one is corrected for testing several (Bonferroni) and
 * reported as a score in [0, 1] that means the same on every series, so one threshold serves a
 * whole fleet. After a detection (a score at or above the threshold) the score is held below the
 * threshold until it has stayed below it on its own for a number of readings in a row: one anomaly,
 * one detection.
 *
 * <p>Implementation notes. Channels, each judging the reading against state from before it:
 *
 * <ul>
 *   <li><b>sustained</b> (after Numenta's anomaly likelihood): the mean {@code m} of the last
 *       {@code shortWindow} absolute residuals {@code |actual - expected|} against an exponentially
 *       weighted mean and variance of {@code m} itself (memory {@code longTermWindow}); tail {@code
 *       P(Z > (m - mean) / sd)}. Comparing means with the distribution of means calibrates to each
 *       series' own noise, heavy tails and autocorrelation included, without assuming a residual
 *       distribution. The spread of {@code m} is floored at the rounding noise that reading the
 *       series at its resolution {@code q} (its smallest step so far) puts into such a mean, {@code
 *       q^2 / 12 / shortWindow}: a series the forecaster matched exactly is judged against its
 *       resolution, not against a spread of zero.
 *   <li><b>change</b>: a two-sided CUSUM of {@code z = residual / s} less its running mean over
 *       about a day of readings ({@link ScorerConstants#biasWindow()}; a forecaster's steady bias
 *       is not a change, a new one is; the bias is not learned during a detection's quiet period),
 *       restarted at zero after every detection and held there while quiet (as Page-Hinkley
 *       restarts), so one level change is one detection, not days of elevated scores; held at zero
 *       during the warm-up too (the bias is learned, but change evidence is gathered only once it
 *       can be judged). {@code s} is floored at half the value's resolution (its smallest step so
 *       far; a series that never moved has no change evidence at all, since every residual on it is
 *       the forecaster's drift). Reference value {@code k = 0.5} (tuned to a one-scale shift, the
 *       textbook choice), where {@code s} is a robust residual scale: the running median of {@code
 *       |residual|}, tracked multiplicatively (up 1% when a residual exceeds it, down 1%
 *       otherwise), so an outlier moves it by 1% at most. A reflected random walk with drift {@code
 *       -k} and variance {@code sigma^2} exceeds {@code h} with probability about {@code exp(-2 k h
 *       / sigma^2)}, with {@code sigma^2} the running variance of {@code z}. It sees a level the
 *       forecaster keeps missing on one side, which a mean of absolute residuals dilutes. A new
 *       model is a new forecaster, not a change in the series: when the forecast comes from another
 *       model than the previous reading's, the CUSUM restarts at zero and gathers no evidence for
 *       {@code 4 sigma^2 / k^2} readings (16 to about 40: the readings a mean needs to come within
 *       {@code k / 2} of a bias), while the bias goes on being learned. Without it, a promotion
 *       that moved the forecasts of clean series a little opened alerts on many of them at once.
 *   <li><b>flat</b>: a run of {@code n} identical values against the series' own record of runs
 *       ({@link RunLengthTail}: the share of its readings that stood at position {@code n} or later
 *       of a run, learned in doubling bins and extended past the longest run on record at the rate
 *       of its last two bins): a stuck sensor on a series that never repeats is found within a few
 *       readings, counts that sit at zero all night expect nights of zeros, and a series that is
 *       flat by nature never alerts.
 * </ul>
 *
 * Probabilities are kept as logarithms throughout ({@link NormalTail} works in logs), so nothing
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
 * <p>State ({@link ScorerState}, {@link ScorerState#BYTES} bytes with the default window) is
 * mutated in place and the per-reading path allocates only the returned {@link Verdict}; the scorer
 * itself is immutable and shareable.
 */
public final class AnomalyScorer {

    /** The score is {@code u / (1 + u)} with {@code u = ln(1 + surprise / SCORE_SCALE)}. */
    public static final double SCORE_SCALE = 8;

    /** Absolute residuals are clipped here so that float sums stay finite. */
    private static final double MAX_ABS = 1e30;

    private static final double LN10 = Math.log(10);
    private static final double LN_CHANNELS = Math.log(Channel.values().length - 1);

    private final AnomalyScorerConfig config;
    private final ScorerConstants constants;
    private final double longRate;

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
    }

    public AnomalyScorerConfig config() {
        return config;
    }

    /** A fresh state for a new series. */
    public ScorerState initial() {
        ScorerState s = new ScorerState(config.shortWindow());
        s.runShares = new float[RunLengthTail.BINS];
        return s;
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
    public Verdict score(ScorerState s, double actual, double expected) {
        return score(s, actual, expected, ScorerState.UNKNOWN_FORECASTER);
    }

    /**
     * Scores one reading and folds it into {@code state}, knowing which model made the forecast.
     *
     * @param forecaster the version of the model that made {@code expected}, or {@link
     *     ScorerState#UNKNOWN_FORECASTER}; a change of it restarts the change channel and holds it
     *     while the new model settles
     */
    public Verdict score(ScorerState s, double actual, double expected, long forecaster) {
        if (s.recent == null || s.recent.length != config.shortWindow()) {
            throw new IllegalArgumentException(
                    "state was not created by this scorer's initial() (short window "
                            + (s.recent == null ? "missing" : s.recent.length)
                            + ", expected "
                            + config.shortWindow()
                            + ")");
        }
        double r = actual - expected;
        if (!Double.isFinite(r)) {
            return Verdict.NONE;
        }
        if (s.runShares == null) {
            s.runShares = RunLengthTail.geometric(s.repeatRate); // restored from before it existed
        }
        s.count++;
        if (forecaster != ScorerState.UNKNOWN_FORECASTER) {
            if (s.forecaster != ScorerState.UNKNOWN_FORECASTER && s.forecaster != forecaster) {
                s.swappedAt = s.count - 1;
                s.cusumUp = 0;
                s.cusumDown = 0;
            }
            s.forecaster = forecaster;
        }
        if (s.count > 1 && actual != s.lastValue) {
            double step = Math.abs(actual - s.lastValue);
            s.minStep = s.minStep == 0 ? step : Math.min(s.minStep, step);
        }

        double abs = Math.min(Math.abs(r), MAX_ABS);
        if (s.count == 1) {
            s.residualScale = Math.max(abs, 1e-12);
        }
        // Values travel as 32-bit floats (SeriesHistory), so residuals below ~1e-6 of the value are
        // rounding, not signal.
        double scale = Math.max(s.residualScale, 1e-6 * Math.abs(actual) + 1e-12);
        // A residual smaller than half the value's own resolution (its smallest step so far) is not
        // evidence of a change: on a series that has never moved, every residual is the
        // forecaster's own drift.
        scale = Math.max(scale, s.minStep == 0 ? Double.POSITIVE_INFINITY : s.minStep * 0.5);
        double z = Math.max(-MAX_ABS, Math.min(MAX_ABS, r / scale));
        double a = Math.abs(z);

        float old = s.recent[s.next];
        s.recent[s.next] = (float) abs;
        s.next = (s.next + 1) % s.recent.length;
        s.recentSum += (float) abs - old;
        if (s.next == 0) {
            // Re-summed once per lap so that rounding from adding and removing very different
            // values cannot build up.
            double sum = 0;
            for (float v : s.recent) {
                sum += v;
            }
            s.recentSum = sum;
        }
        double m = s.recentSum / s.recent.length;
        boolean repeat = actual == s.lastValue && s.count > 1;
        int run = repeat ? s.run + 1 : 1;
        double up = Math.max(0, s.cusumUp + z - s.meanZ - constants.cusumK());
        double down = Math.max(0, s.cusumDown - z + s.meanZ - constants.cusumK());

        boolean scored = s.count > config.warmup();
        double varZ = varZ(s);
        boolean settling = settling(s, varZ);
        double best = 0; // the largest -ln p over the channels
        Channel channel = Channel.NONE;
        double statistic = 0;
        double reference = 0;
        if (scored) {
            // The short means' spread is floored at what reading the series at its own
            // resolution q (its smallest step so far) alone puts into a mean of the window's
            // residuals: q^2 / 12 per reading (Sheppard), over the window. A series the forecaster
            // has matched exactly (hundreds of zeros forecast as zeros) is then judged against its
            // resolution, not against a spread of zero, on which any first move was infinitely
            // surprising.
            double quantum = s.minStep * s.minStep / (12.0 * s.recent.length);
            double sd = Math.sqrt(Math.max(Math.max(s.varOfMeans, quantum), 1e-300));
            double lp = -NormalTail.logUpper((m - s.meanOfMeans) / sd);
            if (lp > best) {
                best = lp;
                channel = Channel.SUSTAINED;
                statistic = m;
                reference = s.meanOfMeans;
            }
            lp = 2 * constants.cusumK() * Math.max(up, down) / varZ;
            if (lp > best && !settling) {
                best = lp;
                channel = Channel.CHANGE;
                statistic = up >= down ? up : -down;
                reference = scale;
            }
            if (run > 1) {
                lp = -RunLengthTail.logTail(s.runShares, 1.0 / s.count, run);
                if (lp > best) {
                    best = lp;
                    channel = Channel.FLAT;
                    statistic = run;
                    reference = s.repeatRate;
                }
            }
        }

        double rate = Math.max(1.0 / s.count, longRate);
        RunLengthTail.learn(s.runShares, run, rate);
        double dm = m - s.meanOfMeans;
        s.meanOfMeans += rate * dm;
        s.varOfMeans = (1 - rate) * (s.varOfMeans + rate * dm * dm);
        double da = a - s.meanAbs;
        s.meanAbs += rate * da;
        s.varAbs = (1 - rate) * (s.varAbs + rate * da * da);
        s.residualScale =
                abs > s.residualScale
                        ? s.residualScale * (1 + constants.scaleStep())
                        : s.residualScale / (1 + constants.scaleStep());
        if (s.quiet > 0) {
            // Restarted after a detection (as Page-Hinkley restarts) and held at zero while quiet,
            // so a change that was found once is not found again from the same accumulated sum. The
            // bias is not learned meanwhile either: a bias learned from the anomaly itself turns
            // the forecaster's catching up afterwards into a change "back", one more alarm.
            s.cusumUp = 0;
            s.cusumDown = 0;
        } else if (!scored || settling) {
            // The bias is learned during the warm-up and while a new forecaster settles, but no
            // change evidence is gathered meanwhile: a CUSUM summed against a bias still being
            // learned (a young forecaster's offset) would alert on the first scored reading.
            s.cusumUp = 0;
            s.cusumDown = 0;
            s.meanZ += Math.max(rate, 1.0 / constants.biasWindow()) * (z - s.meanZ);
        } else {
            s.cusumUp = up;
            s.cusumDown = down;
            s.meanZ += Math.max(rate, 1.0 / constants.biasWindow()) * (z - s.meanZ);
        }
        s.run = run;
        s.repeatRate += rate * ((repeat ? 1 : 0) - s.repeatRate);
        s.lastValue = actual;

        if (!scored) {
            return Verdict.NONE;
        }
        // Capped at the largest double: on a series the forecaster has matched exactly (hundreds
        // of zeros forecast as zeros) the short means' variance is 0, and the first residual's
        // tail overflows to an infinite surprise, which the score map would turn into NaN.
        double surprise = Math.max(0, (Math.min(best, Double.MAX_VALUE) - LN_CHANNELS) / LN10);
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
            s.cusumUp = 0;
            s.cusumDown = 0;
        }
        return new Verdict(score, surprise, channel, statistic, reference, suppressed);
    }

    /**
     * The variance of z, floored at 1 (the median |residual| squared): a series whose residual is a
     * steady bias has almost no variance in z, and a CUSUM divided by almost nothing would call any
     * wobble of the bias a change.
     */
    private static double varZ(ScorerState s) {
        return Math.max(s.varAbs + s.meanAbs * s.meanAbs - s.meanZ * s.meanZ, 1.0);
    }

    /**
     * Whether a swapped-in forecaster is still settling: fewer than {@code 4 varZ / k^2} readings
     * since the swap, the number after which a mean of its residuals is within {@code k / 2} of its
     * bias (one standard error). The first forecaster is covered by the warm-up instead.
     */
    private boolean settling(ScorerState s, double varZ) {
        double k = constants.cusumK();
        return s.swappedAt > 0 && (s.count - s.swappedAt) * k * k < 4 * varZ;
    }
}

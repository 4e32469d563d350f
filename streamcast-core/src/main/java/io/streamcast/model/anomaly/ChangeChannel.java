package io.streamcast.model.anomaly;

/**
 * Change: a two-sided CUSUM of {@code z = residual / s} less its running mean (the forecaster's
 * steady bias is not a change, a new one is), with {@code s} a robust residual scale; tail {@code
 * exp(-2 k h / sigma^2)}, the probability that a reflected random walk with drift {@code -k} and
 * variance {@code sigma^2} exceeds {@code h}. It sees a level the forecaster keeps missing on one
 * side, which a mean of absolute residuals dilutes. A Flink POJO: one series' state of the channel.
 *
 * <p>Implementation notes. {@code s} is the running median of {@code |residual|}, tracked
 * multiplicatively (up {@code scaleStep} when a residual exceeds it, down otherwise), so an outlier
 * moves it by that much at most; it is floored at half the value's resolution (on a series that
 * never moved there is no change evidence at all, since every residual is the forecaster's drift).
 * The bias is learned over about {@code biasWindow} readings. The sums restart at zero after a
 * detection and stay there during its hold, when the bias is not learned either (a bias learned
 * from the anomaly itself turns the forecaster's catching up afterwards into a change "back"); they
 * are held at zero during the warm-up while the bias is learned. A new model is a new forecaster,
 * not a change in the series: when the forecast comes from another model than the previous
 * reading's, the sums restart and gather nothing for {@code 4 sigma^2 / k^2} readings (the readings
 * a mean needs to come within {@code k / 2} of a bias), while the bias goes on being learned.
 */
public final class ChangeChannel implements AnomalyChannel {

    /** Robust residual scale (running median of |residual|). */
    public double residualScale;

    /** The two one-sided CUSUMs. */
    public double cusumUp;

    public double cusumDown;

    /**
     * Running mean of residual / residualScale: the forecaster's usual bias, which the CUSUM takes
     * off.
     */
    public double meanZ;

    /**
     * Running mean and variance of |residual / residualScale| (with meanZ, the CUSUM's variance).
     */
    public double meanAbs;

    public double varAbs;

    /**
     * The version of the model whose forecast the last reading was scored against ({@link
     * AnomalyScorer#UNKNOWN_FORECASTER} before any is known), and the reading count at which it
     * took over (0: the first forecaster).
     */
    public long forecaster = AnomalyScorer.UNKNOWN_FORECASTER;

    public long swappedAt;

    private transient double statistic;
    private transient double reference;

    /** For Flink's POJO serializer, and a fresh state. */
    public ChangeChannel() {}

    @Override
    public Channel label() {
        return Channel.CHANGE;
    }

    @Override
    public double observe(Reading in) {
        long version = in.forecaster();
        if (version != AnomalyScorer.UNKNOWN_FORECASTER) {
            if (forecaster != AnomalyScorer.UNKNOWN_FORECASTER && forecaster != version) {
                swappedAt = in.count() - 1;
                cusumUp = 0;
                cusumDown = 0;
            }
            forecaster = version;
        }
        double abs = in.abs();
        if (in.count() == 1) {
            residualScale = Math.max(abs, 1e-12);
        }
        // Values travel as 32-bit floats (SeriesHistory), so residuals below ~1e-6 of the value are
        // rounding, not signal.
        double scale = Math.max(residualScale, 1e-6 * Math.abs(in.actual()) + 1e-12);
        // A residual smaller than half the value's own resolution (its smallest step so far) is not
        // evidence of a change: on a series that has never moved, every residual is the
        // forecaster's own drift.
        double minStep = in.minStep();
        scale = Math.max(scale, minStep == 0 ? Double.POSITIVE_INFINITY : minStep * 0.5);
        double z =
                Math.max(
                        -AnomalyScorer.MAX_ABS,
                        Math.min(AnomalyScorer.MAX_ABS, in.residual() / scale));
        double a = Math.abs(z);
        ScorerConstants k = in.constants();
        double up = Math.max(0, cusumUp + z - meanZ - k.cusumK());
        double down = Math.max(0, cusumDown - z + meanZ - k.cusumK());
        double varZ = varZ();
        boolean settling = settling(in.count(), varZ, k.cusumK());
        double evidence = 0;
        if (in.scored() && !settling) {
            evidence = 2 * k.cusumK() * Math.max(up, down) / varZ;
            statistic = up >= down ? up : -down;
            reference = scale;
        }

        double rate = in.rate();
        double da = a - meanAbs;
        meanAbs += rate * da;
        varAbs = (1 - rate) * (varAbs + rate * da * da);
        residualScale =
                abs > residualScale
                        ? residualScale * (1 + k.scaleStep())
                        : residualScale / (1 + k.scaleStep());
        if (in.held()) {
            // Held at zero while quiet, so a change that was found once is not found again from
            // the same accumulated sum, and no bias learned from the anomaly itself.
            cusumUp = 0;
            cusumDown = 0;
        } else if (!in.scored() || settling) {
            // The bias is learned during the warm-up and while a new forecaster settles, but no
            // change evidence is gathered meanwhile: a CUSUM summed against a bias still being
            // learned (a young forecaster's offset) would alert on the first scored reading.
            cusumUp = 0;
            cusumDown = 0;
            meanZ += Math.max(rate, 1.0 / k.biasWindow()) * (z - meanZ);
        } else {
            cusumUp = up;
            cusumDown = down;
            meanZ += Math.max(rate, 1.0 / k.biasWindow()) * (z - meanZ);
        }
        return evidence;
    }

    /** Restarted after a detection, as Page-Hinkley restarts. */
    @Override
    public void detected() {
        cusumUp = 0;
        cusumDown = 0;
    }

    /** The CUSUM in robust residual scales, signed: negative when the values fell. */
    @Override
    public double statistic() {
        return statistic;
    }

    /** The robust residual scale. */
    @Override
    public double reference() {
        return reference;
    }

    /**
     * The variance of z, floored at 1 (the median |residual| squared): a series whose residual is a
     * steady bias has almost no variance in z, and a CUSUM divided by almost nothing would call any
     * wobble of the bias a change.
     */
    private double varZ() {
        return Math.max(varAbs + meanAbs * meanAbs - meanZ * meanZ, 1.0);
    }

    /**
     * Whether a swapped-in forecaster is still settling: fewer than {@code 4 varZ / k^2} readings
     * since the swap, the number after which a mean of its residuals is within {@code k / 2} of its
     * bias (one standard error). The first forecaster is covered by the warm-up instead.
     */
    private boolean settling(long count, double varZ, double k) {
        return swappedAt > 0 && (count - swappedAt) * k * k < 4 * varZ;
    }

    @Override
    public ChangeChannel copy() {
        ChangeChannel c = new ChangeChannel();
        c.residualScale = residualScale;
        c.cusumUp = cusumUp;
        c.cusumDown = cusumDown;
        c.meanZ = meanZ;
        c.meanAbs = meanAbs;
        c.varAbs = varAbs;
        c.forecaster = forecaster;
        c.swappedAt = swappedAt;
        return c;
    }
}

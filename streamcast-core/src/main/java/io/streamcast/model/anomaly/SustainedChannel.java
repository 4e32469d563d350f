package io.streamcast.model.anomaly;

/**
 * Sustained misfit (after Numenta's anomaly likelihood): the mean {@code m} of the last {@code
 * shortWindow} absolute residuals against an exponentially weighted mean and variance of {@code m}
 * itself; tail {@code P(Z > (m - mean) / sd)}. Comparing means with the distribution of means
 * calibrates to each series' own noise, heavy tails and autocorrelation included, without assuming
 * a residual distribution. A Flink POJO: one series' state of the channel.
 */
public final class SustainedChannel implements AnomalyChannel {

    /** Ring of the last {@code shortWindow} absolute residuals, its next slot and its sum. */
    public float[] recent;

    public int next;
    public double recentSum;

    /** Running mean and variance of the short-window mean. */
    public double meanOfMeans;

    public double varOfMeans;

    private transient double statistic;
    private transient double reference;

    /** For Flink's POJO serializer. */
    public SustainedChannel() {}

    /** A fresh state with a ring of {@code shortWindow} residuals. */
    public SustainedChannel(int shortWindow) {
        this.recent = new float[shortWindow];
    }

    @Override
    public Channel label() {
        return Channel.SUSTAINED;
    }

    @Override
    public double observe(Reading in) {
        float old = recent[next];
        recent[next] = (float) in.abs();
        next = (next + 1) % recent.length;
        recentSum += (float) in.abs() - old;
        if (next == 0) {
            // Re-summed once per lap so that rounding from adding and removing very different
            // values cannot build up.
            double sum = 0;
            for (float v : recent) {
                sum += v;
            }
            recentSum = sum;
        }
        double m = recentSum / recent.length;
        double evidence = 0;
        if (in.scored()) {
            // The short means' spread is floored at what reading the series at its own
            // resolution q (its smallest step so far) alone puts into a mean of the window's
            // residuals: q^2 / 12 per reading (Sheppard), over the window. A series the forecaster
            // has matched exactly (hundreds of zeros forecast as zeros) is then judged against its
            // resolution, not against a spread of zero, on which any first move was infinitely
            // surprising.
            double quantum = in.minStep() * in.minStep() / (12.0 * recent.length);
            double sd = Math.sqrt(Math.max(Math.max(varOfMeans, quantum), 1e-300));
            evidence = -NormalTail.logUpper((m - meanOfMeans) / sd);
            statistic = m;
            reference = meanOfMeans;
        }
        double rate = in.rate();
        double dm = m - meanOfMeans;
        meanOfMeans += rate * dm;
        varOfMeans = (1 - rate) * (varOfMeans + rate * dm * dm);
        return evidence;
    }

    /** The short-window mean absolute residual. */
    @Override
    public double statistic() {
        return statistic;
    }

    /** The long-run mean of short-window means. */
    @Override
    public double reference() {
        return reference;
    }

    @Override
    public SustainedChannel copy() {
        SustainedChannel c = new SustainedChannel();
        c.recent = recent == null ? null : recent.clone();
        c.next = next;
        c.recentSum = recentSum;
        c.meanOfMeans = meanOfMeans;
        c.varOfMeans = varOfMeans;
        return c;
    }
}

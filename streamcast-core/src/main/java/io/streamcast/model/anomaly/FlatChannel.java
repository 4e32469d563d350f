package io.streamcast.model.anomaly;

/**
 * Flat: a run of {@code n} identical values against the series' own record of runs ({@link
 * RunLengthTail}: the share of its readings that stood at position {@code n} or later of a run,
 * learned in doubling bins and extended past the longest run on record at the rate of its last two
 * bins): a stuck sensor on a series that never repeats is found within a few readings, counts that
 * sit at zero all night expect nights of zeros, and a series that is flat by nature never alerts. A
 * Flink POJO: one series' state of the channel.
 */
public final class FlatChannel implements AnomalyChannel {

    /** The current run of equal values and the running share of repeats. */
    public int run;

    public double repeatRate;

    /** The run-length record ({@link RunLengthTail}). */
    public float[] runShares;

    private transient double statistic;
    private transient double reference;

    /** For Flink's POJO serializer. */
    public FlatChannel() {}

    /** A fresh state: no runs on record. */
    public static FlatChannel fresh() {
        FlatChannel c = new FlatChannel();
        c.runShares = new float[RunLengthTail.BINS];
        return c;
    }

    @Override
    public Channel label() {
        return Channel.FLAT;
    }

    @Override
    public double observe(Reading in) {
        boolean repeat = in.actual() == in.lastValue() && in.count() > 1;
        int n = repeat ? run + 1 : 1;
        double evidence = 0;
        if (in.scored() && n > 1) {
            evidence = -RunLengthTail.logTail(runShares, 1.0 / in.count(), n);
            statistic = n;
            reference = repeatRate;
        }
        double rate = in.rate();
        RunLengthTail.learn(runShares, n, rate);
        run = n;
        repeatRate += rate * ((repeat ? 1 : 0) - repeatRate);
        return evidence;
    }

    /** The run length. */
    @Override
    public double statistic() {
        return statistic;
    }

    /** The share of readings repeating their predecessor. */
    @Override
    public double reference() {
        return reference;
    }

    @Override
    public FlatChannel copy() {
        FlatChannel c = new FlatChannel();
        c.run = run;
        c.repeatRate = repeatRate;
        c.runShares = runShares == null ? null : runShares.clone();
        return c;
    }
}

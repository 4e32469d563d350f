package io.streamcast.model.anomaly;

/**
 * Per-series state of an {@link AnomalyScorer}: a Flink POJO (public no-arg constructor, public
 * fields of primitives and one {@code float[]}), mutated in place by {@link AnomalyScorer#score}.
 * Create one with {@link AnomalyScorer#initial()}, not with the no-arg constructor.
 */
public final class ScorerState {

    /**
     * Bytes of the fields with the default short window of 10: twelve doubles, three longs, three
     * ints, ten floats of residuals and ten of run-length shares.
     */
    public static final int BYTES = 12 * 8 + 3 * 8 + 3 * 4 + 10 * 4 + RunLengthTail.BINS * 4;

    /** {@link #forecaster} before any forecast's model is known. */
    public static final long UNKNOWN_FORECASTER = -1;

    /** Readings seen (including the warm-up). */
    public long count;

    /** Ring of the last {@code shortWindow} absolute residuals, its next slot and its sum. */
    public float[] recent;

    public int next;
    public double recentSum;

    /** Sustained channel: running mean and variance of the short-window mean. */
    public double meanOfMeans;

    public double varOfMeans;

    /**
     * Change channel: robust residual scale (running median of |residual|) and the two one-sided
     * CUSUMs.
     */
    public double residualScale;

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
     * Flat channel: the last value, the current run of equal values and the running share of
     * repeats.
     */
    public double lastValue;

    public int run;
    public double repeatRate;

    /** Calm readings in a row still needed before a detection can fire again (0: armed). */
    public int quiet;

    /**
     * Smallest non-zero step between successive values seen (0: none yet): the value's resolution.
     */
    public double minStep;

    /**
     * Flat channel's run-length record ({@link RunLengthTail}); null in a state restored from
     * before it existed (the scorer then starts it from the repeat rate).
     */
    public float[] runShares;

    /**
     * The version of the model whose forecast the last reading was scored against ({@link
     * #UNKNOWN_FORECASTER} in states restored from before it existed), and the reading count at
     * which it took over (0: the first forecaster): the change channel lets each new forecaster
     * settle before it gathers evidence again.
     */
    public long forecaster = UNKNOWN_FORECASTER;

    public long swappedAt;

    /** For Flink's POJO serializer. */
    public ScorerState() {}

    /** A deep copy, e.g. to score alternatives from the same history. */
    public ScorerState copy() {
        ScorerState c = new ScorerState();
        c.count = count;
        c.recent = recent == null ? null : recent.clone();
        c.next = next;
        c.recentSum = recentSum;
        c.meanOfMeans = meanOfMeans;
        c.varOfMeans = varOfMeans;
        c.residualScale = residualScale;
        c.cusumUp = cusumUp;
        c.cusumDown = cusumDown;
        c.meanZ = meanZ;
        c.meanAbs = meanAbs;
        c.varAbs = varAbs;
        c.lastValue = lastValue;
        c.run = run;
        c.repeatRate = repeatRate;
        c.quiet = quiet;
        c.minStep = minStep;
        c.runShares = runShares == null ? null : runShares.clone();
        c.forecaster = forecaster;
        c.swappedAt = swappedAt;
        return c;
    }

    ScorerState(int shortWindow) {
        this.recent = new float[shortWindow];
    }
}

package io.streamcast.model.anomaly;

/**
 * The scorer's previous per-series state, one flat class for every channel: kept only so that
 * states written before {@link ScorerMemory} (held by {@code SeriesMemory.scoring}) can be read and
 * {@link #upgrade()}d; nothing writes one any more. Its fields and their names are the layout those
 * savepoints hold: do not change them.
 */
public final class ScorerState {

    /** {@link #forecaster} before any forecast's model is known. */
    public static final long UNKNOWN_FORECASTER = AnomalyScorer.UNKNOWN_FORECASTER;

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

    /**
     * The same state in the current layout: each channel's fields moved to its own class, values
     * unchanged, so scoring goes on exactly as it would have. A state from before the run-length
     * record existed starts it from the repeat rate, as the scorer of that time did.
     */
    public ScorerMemory upgrade() {
        SustainedChannel sustained = new SustainedChannel();
        sustained.recent = recent == null ? null : recent.clone();
        sustained.next = next;
        sustained.recentSum = recentSum;
        sustained.meanOfMeans = meanOfMeans;
        sustained.varOfMeans = varOfMeans;
        ChangeChannel change = new ChangeChannel();
        change.residualScale = residualScale;
        change.cusumUp = cusumUp;
        change.cusumDown = cusumDown;
        change.meanZ = meanZ;
        change.meanAbs = meanAbs;
        change.varAbs = varAbs;
        change.forecaster = forecaster;
        change.swappedAt = swappedAt;
        FlatChannel flat = new FlatChannel();
        flat.run = run;
        flat.repeatRate = repeatRate;
        flat.runShares =
                runShares == null ? RunLengthTail.geometric(repeatRate) : runShares.clone();
        ScorerMemory m = new ScorerMemory(sustained, change, flat);
        m.count = count;
        m.lastValue = lastValue;
        m.minStep = minStep;
        m.quiet = quiet;
        return m;
    }
}

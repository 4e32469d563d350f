package io.streamcast.model;

/**
 * One series' memory for {@link ForecastCombiner}, as a plain POJO for Flink keyed state: a ring of
 * its recent values (one season, or the horizon if longer), the network's forecasts still waiting
 * for their actuals, and per horizon step the exponentially weighted absolute errors of every
 * weighting of the three candidates (network, repeat-last, seasonal-naive) that the combiner tries.
 *
 * <p>Size: {@code 4 × max(season, horizon)} bytes of values plus about {@code 9 × horizon ×
 * (horizon + 20)} bytes of forecasts, choices and error sums; with the default season cap (1440
 * steps) at most about 6 KB at horizon 1, and about 9.5 KB of forecasts, choices and error sums at
 * horizon 24.
 */
public class CombinerState {
    /** Seasonal-naive's lag in readings; 0 when the series has no usable season. */
    public int season;

    public int horizon;

    /** Ring of recent raw values, newest at {@code valuesHead}. */
    public float[] values;

    public int valuesHead;
    public int valuesCount;

    /** Ring of the last {@code horizon} network forecasts ({@code horizon × horizon} means). */
    public double[] pendingNet;

    public int pendingHead;
    public int pendingCount;

    /**
     * Per step k, at {@code COMBINATIONS × k + c}: the exponentially weighted sum of the absolute
     * errors of {@link ForecastCombiner#WEIGHTINGS}[c]. (A state whose array has another length,
     * from the squared-error combiner of before, is started afresh.)
     */
    public double[] moments;

    /**
     * Per step k: the total weight of the sums of weightings without ({@code 2k}) and with ({@code
     * 2k+1}) seasonal-naive.
     */
    public double[] weights;

    /**
     * Ring beside {@link #pendingNet}: the weighting the leader rule chose for each of those
     * forecasts, per step (an index into {@link ForecastCombiner#WEIGHTINGS}).
     */
    public byte[] pendingChoice;

    /** Per step: the weighting the leader rule chose at the last serve, until it is remembered. */
    public byte[] choice;

    /**
     * Per step k: the exponentially weighted sums (at twice the half-life of {@link #moments}) of
     * the absolute errors of the leader rule's choices ({@code 2k}) and of repeat-last ({@code
     * 2k+1}), with which the combiner checks that following the leader pays.
     */
    public double[] leaderCheck;

    /** Per step k: forecasts checked, and ({@code horizon + k}) those that had a seasonal value. */
    public int[] checks;

    public CombinerState() {}

    public CombinerState(int season, int horizon) {
        this.season = season;
        this.horizon = horizon;
        values = new float[capacity(season, horizon)];
        pendingNet = new double[horizon * horizon];
        moments = new double[ForecastCombiner.COMBINATIONS * horizon];
        weights = new double[2 * horizon];
        checks = new int[2 * horizon];
        addLeaderCheck();
    }

    /** Starts the leader check (in a new state, or one saved before it existed). */
    void addLeaderCheck() {
        pendingChoice = new byte[horizon * horizon];
        choice = new byte[horizon];
        leaderCheck = new double[2 * horizon];
    }

    /** Values kept: enough for every step's seasonal lag and every pending repeat-last forecast. */
    static int capacity(int season, int horizon) {
        if (season <= 0) {
            return horizon;
        }
        return Math.max(horizon, season * ((horizon + season - 1) / season));
    }

    /** The value {@code back} readings before the newest (0: the newest); NaN when not held. */
    double valueBack(int back) {
        if (back < 0 || back >= valuesCount) {
            return Double.NaN;
        }
        return values[Math.floorMod(valuesHead - back, values.length)];
    }

    void push(double value) {
        valuesHead = (valuesHead + 1) % values.length;
        values[valuesHead] = (float) value;
        valuesCount = Math.min(valuesCount + 1, values.length);
    }
}

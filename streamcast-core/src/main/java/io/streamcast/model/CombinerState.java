package io.streamcast.model;

/**
 * One series' memory for {@link ForecastCombiner}, as a plain POJO for Flink keyed state: a ring of
 * its recent values (one season, or the horizon if longer), the network's forecasts still waiting
 * for their actuals, and per horizon step the exponentially weighted second moments of the three
 * candidates' errors (network, repeat-last, seasonal-naive).
 *
 * <p>Size: {@code 4 × max(season, horizon)} bytes of values plus {@code 8 × horizon × (horizon +
 * 9)} bytes of forecasts and moments; with the default season cap (1440 steps) at most about 6 KB
 * at horizon 1.
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
     * Per step k, at {@code 6k}: the weighted sums of e_n², e_n·e_l, e_n·e_s, e_l², e_l·e_s, e_s²
     * (n network, l repeat-last, s seasonal-naive).
     */
    public double[] moments;

    /**
     * Per step k: the total weight of the moments without ({@code 2k}) and with ({@code 2k+1}) s.
     */
    public double[] weights;

    /** Per step k: forecasts checked, and ({@code horizon + k}) those that had a seasonal value. */
    public int[] checks;

    public CombinerState() {}

    public CombinerState(int season, int horizon) {
        this.season = season;
        this.horizon = horizon;
        values = new float[capacity(season, horizon)];
        pendingNet = new double[horizon * horizon];
        moments = new double[6 * horizon];
        weights = new double[2 * horizon];
        checks = new int[2 * horizon];
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

package io.streamcast.eval.forecast;

/**
 * Prequential forecast accuracy per horizon step: each forecast is scored against the actual that
 * arrived later, next to two naive baselines scored on the very same targets (repeat-last: the last
 * observed value; seasonal naive: the value one season before the target). Errors are on a fixed
 * z-score scale ({@code (x - mean) / std}), so MSE and MAE are comparable with published results
 * that normalise with training-set statistics. When the forecasts say what the network itself
 * forecast (the job serves a combination of it and the baselines), its errors are kept beside the
 * served ones ({@link #addNetwork}).
 */
public final class ForecastMetrics {
    private final double mean;
    private final double std;
    private final double[] absError;
    private final double[] sqError;
    private final double[] lastAbs;
    private final double[] lastSq;
    private final double[] seasonalAbs;
    private final double[] seasonalSq;
    private final long[] count;
    private final long[] covered;
    private final double[] networkAbs;
    private final double[] networkSq;
    private final long[] networkCount;

    public ForecastMetrics(int horizon, double mean, double std) {
        this.mean = mean;
        this.std = std;
        absError = new double[horizon];
        sqError = new double[horizon];
        lastAbs = new double[horizon];
        lastSq = new double[horizon];
        seasonalAbs = new double[horizon];
        seasonalSq = new double[horizon];
        count = new long[horizon];
        covered = new long[horizon];
        networkAbs = new double[horizon];
        networkSq = new double[horizon];
        networkCount = new long[horizon];
    }

    /** Adds the network's own forecast for step index k, for the same target as {@link #add}. */
    public void addNetwork(int k, double network, double actual) {
        double e = (network - actual) / std;
        networkAbs[k] += Math.abs(e);
        networkSq[k] += e * e;
        networkCount[k]++;
    }

    /**
     * Adds one forecast for step index k (0-based): its mean and interval, the actual, the last
     * observed value when the forecast was made, and the seasonal-naive value (NaN when the series
     * is shorter than a season).
     */
    public void add(
            int k,
            double forecast,
            double lower,
            double upper,
            double actual,
            double last,
            double seasonal) {
        double e = (forecast - actual) / std;
        double l = (last - actual) / std;
        double s = Double.isNaN(seasonal) ? l : (seasonal - actual) / std;
        absError[k] += Math.abs(e);
        sqError[k] += e * e;
        lastAbs[k] += Math.abs(l);
        lastSq[k] += l * l;
        seasonalAbs[k] += Math.abs(s);
        seasonalSq[k] += s * s;
        count[k]++;
        if (actual >= lower && actual <= upper) {
            covered[k]++;
        }
    }

    /** The scores of one horizon step. */
    public record Step(
            int step,
            long n,
            double mse,
            double mae,
            double rmse,
            double maseRepeatLast,
            double maseSeasonal,
            double repeatLastMse,
            double repeatLastMae,
            double seasonalMse,
            double seasonalMae,
            double coverage,
            double networkMse,
            double networkMae) {}

    public Step step(int k) {
        long n = Math.max(1, count[k]);
        return new Step(
                k + 1,
                count[k],
                sqError[k] / n,
                absError[k] / n,
                Math.sqrt(sqError[k] / n),
                absError[k] / Math.max(lastAbs[k], 1e-12),
                absError[k] / Math.max(seasonalAbs[k], 1e-12),
                lastSq[k] / n,
                lastAbs[k] / n,
                seasonalSq[k] / n,
                seasonalAbs[k] / n,
                (double) covered[k] / n,
                networkCount[k] == 0 ? Double.NaN : networkSq[k] / networkCount[k],
                networkCount[k] == 0 ? Double.NaN : networkAbs[k] / networkCount[k]);
    }

    /** Averages over all horizon steps (each step weighted by its count). */
    public Step overall() {
        ForecastMetrics all = new ForecastMetrics(1, mean, std);
        for (int k = 0; k < count.length; k++) {
            all.absError[0] += absError[k];
            all.sqError[0] += sqError[k];
            all.lastAbs[0] += lastAbs[k];
            all.lastSq[0] += lastSq[k];
            all.seasonalAbs[0] += seasonalAbs[k];
            all.seasonalSq[0] += seasonalSq[k];
            all.count[0] += count[k];
            all.covered[0] += covered[k];
            all.networkAbs[0] += networkAbs[k];
            all.networkSq[0] += networkSq[k];
            all.networkCount[0] += networkCount[k];
        }
        Step s = all.step(0);
        return new Step(
                0,
                s.n(),
                s.mse(),
                s.mae(),
                s.rmse(),
                s.maseRepeatLast(),
                s.maseSeasonal(),
                s.repeatLastMse(),
                s.repeatLastMae(),
                s.seasonalMse(),
                s.seasonalMae(),
                s.coverage(),
                s.networkMse(),
                s.networkMae());
    }

    public int horizon() {
        return count.length;
    }
}

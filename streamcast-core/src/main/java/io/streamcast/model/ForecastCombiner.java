package io.streamcast.model;

/**
 * Makes a series' served forecast never worse than naive: per horizon step it tracks the running
 * errors of the network, repeat-last and seasonal-naive on that series and serves their
 * minimum-variance non-negative combination (which is one of them alone when that is best). Plain
 * Java, stateless; each series' memory is a {@link CombinerState} the caller keeps.
 *
 * <p>Implementation notes: for each step the exponentially weighted (half-life {@code halfLife}
 * checked forecasts) second-moment matrix M of the candidates' errors is kept; the weights w ≥ 0,
 * Σw = 1 minimising w'Mw are found by trying every subset of candidates (at most 7 small solves),
 * which is exact for three candidates. Errors are clipped at {@link #CLIP} root-mean-squares so
 * that one spike does not set the weights for a half-life, and M is shrunk by {@link #SHRINK}
 * towards its diagonal (inverse-error weighting) so that two nearly equal candidates do not get
 * wild weights. Until a step has {@link #MIN_CHECKS} checked forecasts it serves repeat-last: the
 * network of a new job is untrained. Seasonal-naive takes part once it has as many checks of its
 * own (a season of values must be held first). The season is one day of readings when that is
 * between 2 and {@code maxSeason} steps, unless configured; a series' season is settled by its
 * second reading.
 */
public final class ForecastCombiner {
    public static final int MIN_CHECKS = 10;
    static final double CLIP = 4;
    static final double SHRINK = 0.05;
    static final long DAY_MILLIS = 86_400_000L;

    public static final int NETWORK = 0;
    public static final int REPEAT_LAST = 1;
    public static final int SEASONAL = 2;

    /** What a forecast record's {@code source} says per step. */
    public static final String[] SOURCE_NAMES = {"network", "repeat-last", "seasonal-naive"};

    public static final String BLEND = "blend";

    /** A candidate carrying at least this weight names the source; below, it is a blend. */
    static final double DOMINANT = 0.8;

    private final int configuredSeason;
    private final int maxSeason;
    private final double decay;

    /**
     * {@code season} in readings (0: one day of readings, if between 2 and {@code maxSeason});
     * {@code maxSeason} 0 turns seasonal-naive off unless a season is configured.
     */
    public ForecastCombiner(int season, int maxSeason, int halfLife) {
        if (season < 0 || maxSeason < 0 || halfLife < 1) {
            throw new IllegalArgumentException(
                    "season and maxSeason must be >= 0 and halfLife >= 1: season="
                            + season
                            + " maxSeason="
                            + maxSeason
                            + " halfLife="
                            + halfLife);
        }
        this.configuredSeason = season;
        this.maxSeason = maxSeason;
        this.decay = Math.pow(0.5, 1.0 / halfLife);
    }

    /** Seasonal-naive's lag for a series sampled every {@code stepMillis}; 0 for none. */
    public int season(long stepMillis) {
        if (configuredSeason > 0) {
            return configuredSeason;
        }
        if (stepMillis <= 0) {
            return 0;
        }
        long s = Math.round((double) DAY_MILLIS / stepMillis);
        return s >= 2 && s <= maxSeason ? (int) s : 0;
    }

    /**
     * The state to use for a series sampled every {@code stepMillis}: {@code state} itself, or a
     * fresh one when there was none or its season or horizon no longer apply.
     */
    public CombinerState ensure(CombinerState state, long stepMillis, int horizon) {
        if (state == null || state.horizon != horizon) {
            return new CombinerState(season(stepMillis), horizon);
        }
        // The season is settled by the series' second reading (the first only knows the default
        // step) and then kept: the gaps of an irregular series must not reset the errors.
        if (state.valuesCount <= 1 && state.season != season(stepMillis)) {
            CombinerState fresh = new CombinerState(season(stepMillis), horizon);
            if (state.valuesCount == 1) {
                fresh.push(state.valueBack(0));
                fresh.pendingNet = state.pendingNet;
                fresh.pendingHead = state.pendingHead;
                fresh.pendingCount = state.pendingCount;
            }
            return fresh;
        }
        return state;
    }

    /**
     * Checks the network's and the baselines' waiting forecasts against a new actual, updates the
     * error moments, then remembers the actual.
     */
    public void observe(CombinerState st, double actual) {
        int h = st.horizon;
        for (int age = 0; age < Math.min(st.pendingCount, h); age++) {
            int slot = Math.floorMod(st.pendingHead - age, h);
            int k = age;
            double net = st.pendingNet[slot * h + k];
            double last = st.valueBack(age);
            double seasonal = seasonalFor(st, k + 1, 1); // the target is not pushed yet
            if (Double.isNaN(last)) {
                continue;
            }
            update(st, k, net - actual, last - actual, seasonal - actual);
        }
        st.push(actual);
    }

    /**
     * Seasonal-naive's forecast for a target {@code aheadOfNewest} readings after the newest value
     * held, made {@code steps} ahead: the value {@code season × ceil(steps / season)} readings
     * before the target; NaN when not held (or no season).
     */
    private static double seasonalFor(CombinerState st, int steps, int aheadOfNewest) {
        int s = st.season;
        if (s <= 0) {
            return Double.NaN;
        }
        int lag = s * ((steps + s - 1) / s);
        return st.valueBack(lag - aheadOfNewest);
    }

    private void update(CombinerState st, int k, double en, double el, double es) {
        int base = 6 * k;
        double[] m = st.moments;
        if (st.checks[k] >= MIN_CHECKS) {
            en = clip(en, m[base], st.weights[2 * k]);
            el = clip(el, m[base + 3], st.weights[2 * k]);
        }
        boolean hasSeasonal = !Double.isNaN(es);
        if (hasSeasonal && st.checks[st.horizon + k] >= MIN_CHECKS) {
            es = clip(es, m[base + 5], st.weights[2 * k + 1]);
        }
        double g = 1 - decay;
        m[base] = decay * m[base] + g * en * en;
        m[base + 3] = decay * m[base + 3] + g * el * el;
        st.weights[2 * k] = decay * st.weights[2 * k] + g;
        // Cross terms with seasonal-naive and its own square decay only when it had a value, with
        // their own total weight, so that they are unbiased means once it takes part.
        m[base + 1] = decay * m[base + 1] + g * en * el;
        if (hasSeasonal) {
            m[base + 2] = decay * m[base + 2] + g * en * es;
            m[base + 4] = decay * m[base + 4] + g * el * es;
            m[base + 5] = decay * m[base + 5] + g * es * es;
            st.weights[2 * k + 1] = decay * st.weights[2 * k + 1] + g;
            st.checks[st.horizon + k]++;
        }
        st.checks[k]++;
    }

    private static double clip(double e, double sumSquares, double weight) {
        if (weight <= 0) {
            return e;
        }
        double limit = CLIP * Math.sqrt(sumSquares / weight);
        if (!(limit > 0)) {
            return e;
        }
        return Math.max(-limit, Math.min(limit, e));
    }

    /**
     * Serves step by step: {@code mean[k]} is set to the combination of the network's {@code
     * network[k]}, repeat-last ({@code last}) and seasonal-naive; {@code source[k]} says which (see
     * {@link #SOURCE_NAMES}, {@link #BLEND}). {@code network} is left as it is.
     */
    public void serve(
            CombinerState st, double last, double[] network, double[] mean, String[] source) {
        double[] w = new double[3];
        for (int k = 0; k < st.horizon; k++) {
            double seasonal = seasonalFor(st, k + 1, k + 1);
            weights(st, k, !Double.isNaN(seasonal), w);
            double m = 0;
            int dominant = REPEAT_LAST;
            double[] candidates = {network[k], last, seasonal};
            for (int c = 0; c < 3; c++) {
                if (w[c] > 0) {
                    m += w[c] * candidates[c];
                }
                if (w[c] > w[dominant]) {
                    dominant = c;
                }
            }
            mean[k] = m;
            source[k] = w[dominant] >= DOMINANT ? SOURCE_NAMES[dominant] : BLEND;
        }
    }

    /** Remembers the network's forecast (steps 1..horizon) for checking against later actuals. */
    public void remember(CombinerState st, double[] network) {
        int h = st.horizon;
        st.pendingHead = (st.pendingHead + 1) % h;
        System.arraycopy(network, 0, st.pendingNet, st.pendingHead * h, h);
        st.pendingCount = Math.min(st.pendingCount + 1, h);
    }

    /**
     * The weights of step k into {@code w} (network, repeat-last, seasonal-naive): repeat-last
     * alone until the step has enough checks.
     */
    void weights(CombinerState st, int k, boolean seasonalAvailable, double[] w) {
        w[0] = 0;
        w[1] = 1;
        w[2] = 0;
        if (st.checks[k] < MIN_CHECKS) {
            return;
        }
        boolean useSeasonal = seasonalAvailable && st.checks[st.horizon + k] >= MIN_CHECKS;
        double[][] cov = new double[3][3];
        int b = 6 * k;
        double wa = st.weights[2 * k];
        double ws = st.weights[2 * k + 1];
        cov[0][0] = st.moments[b] / wa;
        cov[0][1] = cov[1][0] = st.moments[b + 1] / wa;
        cov[1][1] = st.moments[b + 3] / wa;
        if (useSeasonal) {
            cov[0][2] = cov[2][0] = st.moments[b + 2] / ws;
            cov[1][2] = cov[2][1] = st.moments[b + 4] / ws;
            cov[2][2] = st.moments[b + 5] / ws;
        }
        for (int i = 0; i < 3; i++) {
            cov[i][i] = cov[i][i] * (1 + SHRINK) + 1e-12;
            for (int j = 0; j < 3; j++) {
                if (i != j) {
                    cov[i][j] *= 1 - SHRINK;
                }
            }
        }
        minimumVariance(cov, useSeasonal ? 3 : 2, w);
    }

    /**
     * The w ≥ 0 with Σw = 1 that minimises w'Σw over the first {@code n} candidates, by solving Σ_T
     * x = 1 on every subset T and keeping the feasible one of least variance 1 / Σx.
     */
    static void minimumVariance(double[][] cov, int n, double[] w) {
        double best = Double.POSITIVE_INFINITY;
        double[] x = new double[3];
        for (int mask = 1; mask < (1 << n); mask++) {
            int[] idx = new int[Integer.bitCount(mask)];
            for (int c = 0, j = 0; c < n; c++) {
                if ((mask & (1 << c)) != 0) {
                    idx[j++] = c;
                }
            }
            if (!solveOnes(cov, idx, x)) {
                continue;
            }
            double sum = 0;
            boolean feasible = true;
            for (int j = 0; j < idx.length; j++) {
                feasible &= x[j] >= 0;
                sum += x[j];
            }
            if (!feasible || !(sum > 0)) {
                continue;
            }
            double variance = 1 / sum;
            if (variance < best) {
                best = variance;
                java.util.Arrays.fill(w, 0);
                for (int j = 0; j < idx.length; j++) {
                    w[idx[j]] = x[j] / sum;
                }
            }
        }
    }

    /** Solves Σ_T x = 1 (Gaussian elimination, at most 3×3); false when singular. */
    private static boolean solveOnes(double[][] cov, int[] idx, double[] x) {
        int m = idx.length;
        double[][] a = new double[m][m + 1];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                a[i][j] = cov[idx[i]][idx[j]];
            }
            a[i][m] = 1;
        }
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (!(Math.abs(a[pivot][col]) > 0)) {
                return false;
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < m; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int c = col; c <= m; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        for (int i = 0; i < m; i++) {
            x[i] = a[i][m] / a[i][i];
        }
        return true;
    }
}

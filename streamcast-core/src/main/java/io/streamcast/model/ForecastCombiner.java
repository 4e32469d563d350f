package io.streamcast.model;

/**
 * Makes a series' served forecast never worse than naive: per horizon step it tracks the running
 * absolute errors of fixed weightings of the network, repeat-last and seasonal-naive on that series
 * and serves the weighting with the least (which is one of them alone when that is best), as long
 * as following that leader has itself done no worse than repeat-last. Plain Java, stateless; each
 * series' memory is a {@link CombinerState} the caller keeps.
 *
 * <p>Implementation notes: the weightings are the {@link #COMBINATIONS} points of the simplex in
 * quarters (w ≥ 0, Σw = 1: each candidate alone, the half-and-half blends, and so on); for each
 * step the exponentially weighted (half-life {@code halfLife} checked forecasts) mean absolute
 * error of every weighting is kept, and the least is the leader (follow the leader over a finite
 * set of experts). Absolute error, the measure users and the reports judge a forecast by, weighs a
 * one-reading spike by its size, not its square, and counts a candidate's long runs of large errors
 * in full: seasonal-naive is excellent on a daily cycle until a level shift, then wrong for as long
 * as the shift lasts and again one season later.
 *
 * <p>Following the leader fails on error streams of isolated large errors that recur: when every
 * candidate errs now and then, the leader is the one hit longest ago, which on periodic spikes is
 * the one about to be hit next (on NAB's spike-density file it served 17% worse than any candidate
 * alone). So the combiner also keeps the running absolute error of the leaders' forecasts and of
 * repeat-last's over twice the half-life, and serves repeat-last while the leaders' is the larger:
 * the check costs nothing where following the leader pays, which is nearly everywhere.
 *
 * <p>Until a step has {@link #MIN_CHECKS} checked forecasts it serves repeat-last: the network of a
 * new job is untrained. Weightings that use seasonal-naive take part once it has as many checks of
 * its own (a season of values must be held first); their errors are averaged over the checks that
 * had a seasonal value. Ties go to the weighting listed first, so repeat-last wins a tie. The
 * season is one day of readings when that is between 2 and {@code maxSeason} steps, unless
 * configured; a series' season is settled by its second reading.
 */
public final class ForecastCombiner {
    public static final int MIN_CHECKS = 10;
    static final long DAY_MILLIS = 86_400_000L;

    public static final int NETWORK = 0;
    public static final int REPEAT_LAST = 1;
    public static final int SEASONAL = 2;

    /** What a forecast record's {@code source} says per step. */
    public static final String[] SOURCE_NAMES = {"network", "repeat-last", "seasonal-naive"};

    public static final String BLEND = "blend";

    /** A candidate carrying at least this weight names the source; below, it is a blend. */
    static final double DOMINANT = 0.8;

    /** The simplex is split in this many parts per candidate. */
    static final int PARTS = 4;

    /**
     * The weightings {network, repeat-last, seasonal-naive} tried, repeat-last alone first (it wins
     * ties), then the network alone.
     */
    static final double[][] WEIGHTINGS = weightings();

    /** How many weightings each horizon step tracks. */
    public static final int COMBINATIONS = WEIGHTINGS.length;

    private static double[][] weightings() {
        java.util.List<double[]> all = new java.util.ArrayList<>();
        all.add(new double[] {0, 1, 0});
        all.add(new double[] {1, 0, 0});
        for (int n = 0; n <= PARTS; n++) {
            for (int l = 0; l <= PARTS - n; l++) {
                int s = PARTS - n - l;
                if (l == PARTS || n == PARTS) {
                    continue; // listed first
                }
                all.add(new double[] {n / (double) PARTS, l / (double) PARTS, s / (double) PARTS});
            }
        }
        return all.toArray(new double[0][]);
    }

    private final int configuredSeason;
    private final int maxSeason;
    private final double decay;

    /** The leader check's decay: half-life twice {@code halfLife}. */
    private final double checkDecay;

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
        this.checkDecay = Math.pow(0.5, 1.0 / (2.0 * halfLife));
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
        if (state == null
                || state.horizon != horizon
                || state.moments.length != COMBINATIONS * horizon) {
            // (a state of the squared-error combiner, whose moments were 6 per step, starts over)
            return new CombinerState(season(stepMillis), horizon);
        }
        if (state.leaderCheck == null) {
            state.addLeaderCheck(); // saved before the check existed: it starts now
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
                fresh.pendingChoice = state.pendingChoice;
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
            update(
                    st,
                    k,
                    st.pendingChoice[slot * h + k],
                    net - actual,
                    last - actual,
                    seasonal - actual);
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

    private void update(CombinerState st, int k, int chosen, double en, double el, double es) {
        int base = COMBINATIONS * k;
        double[] m = st.moments;
        double g = 1 - decay;
        boolean hasSeasonal = !Double.isNaN(es);
        // The leader's error is its weighting's, taken in the loop. (A seasonal value held when
        // serving is held when checking, so the repeat-last fallback is only a guard.)
        double leaderError = Math.abs(el);
        for (int c = 0; c < COMBINATIONS; c++) {
            double[] w = WEIGHTINGS[c];
            if (w[SEASONAL] > 0 && !hasSeasonal) {
                continue;
            }
            double e = error(w, en, el, es);
            m[base + c] = decay * m[base + c] + g * e;
            if (c == chosen) {
                leaderError = e;
            }
        }
        // The leader's sum and repeat-last's share their weights, so they compare as they are.
        st.leaderCheck[2 * k] = checkDecay * st.leaderCheck[2 * k] + (1 - checkDecay) * leaderError;
        st.leaderCheck[2 * k + 1] =
                checkDecay * st.leaderCheck[2 * k + 1] + (1 - checkDecay) * Math.abs(el);
        // Each group's total weight, so that its sums divided by it are means.
        st.weights[2 * k] = decay * st.weights[2 * k] + g;
        if (hasSeasonal) {
            st.weights[2 * k + 1] = decay * st.weights[2 * k + 1] + g;
            st.checks[st.horizon + k]++;
        }
        st.checks[k]++;
    }

    /** The absolute error of weighting {@code w} given its candidates' errors. */
    private static double error(double[] w, double en, double el, double es) {
        return Math.abs(
                w[NETWORK] * en + w[REPEAT_LAST] * el + (w[SEASONAL] > 0 ? w[SEASONAL] * es : 0));
    }

    /**
     * Serves step by step: {@code mean[k]} is set to the combination of the network's {@code
     * network[k]}, repeat-last ({@code last}) and seasonal-naive; {@code source[k]} says which (see
     * {@link #SOURCE_NAMES}, {@link #BLEND}). {@code network} is left as it is. The leader rule's
     * choices wait in the state for {@link #remember}.
     */
    public void serve(
            CombinerState st, double last, double[] network, double[] mean, String[] source) {
        for (int k = 0; k < st.horizon; k++) {
            double seasonal = seasonalFor(st, k + 1, k + 1);
            int leader = leader(st, k, !Double.isNaN(seasonal));
            st.choice[k] = (byte) leader;
            boolean leaderPays = st.leaderCheck[2 * k] <= st.leaderCheck[2 * k + 1];
            double[] w = WEIGHTINGS[leaderPays ? leader : 0];
            int dominant = REPEAT_LAST;
            for (int c = 0; c < 3; c++) {
                if (w[c] > w[dominant]) {
                    dominant = c;
                }
            }
            // Only the candidates a weighting uses: seasonal-naive is NaN while none is held.
            double m = 0;
            if (w[NETWORK] > 0) {
                m += w[NETWORK] * network[k];
            }
            if (w[REPEAT_LAST] > 0) {
                m += w[REPEAT_LAST] * last;
            }
            if (w[SEASONAL] > 0) {
                m += w[SEASONAL] * seasonal;
            }
            mean[k] = m;
            source[k] = w[dominant] >= DOMINANT ? SOURCE_NAMES[dominant] : BLEND;
        }
    }

    /**
     * Remembers the network's forecast (steps 1..horizon), and the leader rule's choices of the
     * last {@link #serve}, for checking against later actuals.
     */
    public void remember(CombinerState st, double[] network) {
        int h = st.horizon;
        st.pendingHead = (st.pendingHead + 1) % h;
        System.arraycopy(network, 0, st.pendingNet, st.pendingHead * h, h);
        System.arraycopy(st.choice, 0, st.pendingChoice, st.pendingHead * h, h);
        st.pendingCount = Math.min(st.pendingCount + 1, h);
    }

    /**
     * The leader of step k, an index into {@link #WEIGHTINGS}: repeat-last until the step has
     * enough checks, then the weighting of least running absolute error.
     */
    int leader(CombinerState st, int k, boolean seasonalAvailable) {
        int best = 0; // repeat-last
        if (st.checks[k] >= MIN_CHECKS) {
            boolean useSeasonal = seasonalAvailable && st.checks[st.horizon + k] >= MIN_CHECKS;
            int base = COMBINATIONS * k;
            double without = st.weights[2 * k];
            double with = st.weights[2 * k + 1];
            double least = Double.POSITIVE_INFINITY;
            for (int c = 0; c < COMBINATIONS; c++) {
                boolean seasonal = WEIGHTINGS[c][SEASONAL] > 0;
                if (seasonal && !useSeasonal) {
                    continue;
                }
                double mae = st.moments[base + c] / (seasonal ? with : without);
                if (mae < least) {
                    least = mae;
                    best = c;
                }
            }
        }
        return best;
    }
}

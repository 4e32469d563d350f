package io.streamcast.model;

import io.streamcast.model.anomaly.ScorerMemory;
import io.streamcast.model.anomaly.ScorerState;
import java.util.Arrays;

/**
 * What the forecaster remembers per series, as a plain POJO for Flink keyed state: the recurrent
 * state and the model version it was computed with, the forecasts still waiting for their actuals,
 * and the recent normalised absolute residuals per horizon step that give conformal intervals.
 *
 * <p>Implementation notes (intervals): split-conformal on a sliding window. For horizon step k the
 * band is {@code mean ± q_k × scale}, where {@code q_k} is the {@code coverage} quantile of the
 * last {@code residualWindow} values of {@code |actual − forecast| / scale} for that step. Dividing
 * by the series' current scale lets the band follow level and variance shifts immediately instead
 * of after a full window. Until {@link #MIN_RESIDUALS} residuals exist, the band falls back to a
 * Gaussian guess of {@code 1.645 × sqrt(k)} scales.
 *
 * <p>Adaptive conformal inference (Gibbs and Candès, 2021): the quantile's level is not the nominal
 * coverage itself but {@code 1 − α_k}, where {@code α_k} moves by {@code rate × (α − miss)} each
 * time a step-k interval is checked ({@code miss} 1 when the actual fell outside it). Long-run
 * coverage then tracks the nominal level per series and step even when the residual window is not
 * exchangeable, as after a level shift or a change of noise.
 */
public class SeriesMemory {
    public static final int MIN_RESIDUALS = 10;

    /** Up to this many values at or above a quantile's rank, one sorted pass beats selection. */
    private static final int KEEP_AT_MOST = 32;

    public float[] recurrent;
    public long modelVersion = -1;

    /**
     * Ring of the last {@code horizon} forecasts (normalised means in series units), newest at
     * {@code pendingHead}.
     */
    public double[] pending;

    public int pendingHead;
    public int pendingCount;

    /** Ring of normalised absolute residuals, {@code residualWindow × horizon}. */
    public float[] residuals;

    public int[] residualCount;
    public int[] residualHead;

    /**
     * The version of the model that made the last forecast, against which the next reading is
     * scored (-1: none yet, or a state restored from before it existed).
     */
    public long servedBy = -1;

    /** The last forecast's one-step band, for scoring the next reading. */
    public double lastLower;

    public double lastUpper;

    /**
     * The anomaly scorer's per-series state (null in states restored from before it existed: see
     * {@link #scoring}).
     */
    public ScorerMemory scorer;

    /**
     * The scorer's state in its layout before {@link ScorerMemory}, only in states restored from
     * then: upgraded into {@link #scorer} at the series' next scored reading and dropped (null in
     * states from before either existed: the scorer starts afresh).
     */
    public ScorerState scoring;

    /**
     * The network-and-baselines combiner's memory (null until the series' first reading under this
     * version, and in states restored from before it existed).
     */
    public CombinerState combiner;

    /**
     * Per step, the adaptive miscoverage target {@code α_k} of the intervals (null in states
     * restored from before it existed: it starts at the nominal).
     */
    public double[] missLevel;

    /**
     * Half-widths of the waiting forecasts' bands in series units, laid out like {@link #pending}
     * (null in states restored from before it existed; NaN where unknown).
     */
    public float[] pendingHalf;

    public SeriesMemory() {}

    public SeriesMemory(int stateSize, int horizon, int residualWindow, ScorerMemory scorer) {
        this.scorer = scorer;
        recurrent = new float[stateSize];
        pending = new double[horizon * horizon];
        residuals = new float[residualWindow * horizon];
        residualCount = new int[horizon];
        residualHead = new int[horizon];
    }

    private int horizon() {
        return residualCount.length;
    }

    private int residualWindow() {
        return residuals.length / horizon();
    }

    /**
     * Checks the waiting forecasts against a new actual: the forecast made k readings ago predicted
     * it at step k. Records each residual and returns the one-step-ahead expectation (NaN if there
     * was none).
     */
    public double checkActual(double actual, double scale) {
        return checkActual(actual, scale, 0, 0);
    }

    /**
     * As {@link #checkActual(double, double)}, also moving each step's miscoverage target by {@code
     * rate × (nominalMiss − miss)} for every waiting band the actual is checked against.
     */
    public double checkActual(double actual, double scale, double nominalMiss, double rate) {
        int h = horizon();
        if (rate > 0 && missLevel == null) {
            missLevel = new double[h];
            Arrays.fill(missLevel, nominalMiss);
        }
        double oneStep = Double.NaN;
        for (int age = 0; age < Math.min(pendingCount, h); age++) {
            int slot = Math.floorMod(pendingHead - age, h);
            int k = age; // forecast made (age+1) readings ago; its step index (age) predicts this
            // reading
            double expected = pending[slot * h + k];
            if (age == 0) {
                oneStep = expected;
            }
            addResidual(k, (float) (Math.abs(actual - expected) / scale));
            if (rate > 0 && pendingHalf != null && !Float.isNaN(pendingHalf[slot * h + k])) {
                double miss = Math.abs(actual - expected) > pendingHalf[slot * h + k] ? 1 : 0;
                // Bounded so that a long run of misses (or hits) cannot take a whole window to
                // undo.
                missLevel[k] =
                        Math.max(-0.5, Math.min(1, missLevel[k] + rate * (nominalMiss - miss)));
            }
        }
        return oneStep;
    }

    private void addResidual(int k, float r) {
        int w = residualWindow();
        residuals[k * w + residualHead[k]] = r;
        residualHead[k] = (residualHead[k] + 1) % w;
        residualCount[k] = Math.min(residualCount[k] + 1, w);
    }

    /**
     * Remembers a new forecast (means for steps 1..horizon) so that later actuals can be checked
     * against it.
     */
    public void remember(double[] means) {
        int h = horizon();
        pendingHead = (pendingHead + 1) % h;
        System.arraycopy(means, 0, pending, pendingHead * h, h);
        pendingCount = Math.min(pendingCount + 1, h);
        if (pendingHalf != null) {
            Arrays.fill(pendingHalf, pendingHead * h, pendingHead * h + h, Float.NaN);
        }
    }

    /** As {@link #remember(double[])}, with the half-widths of the bands served around them. */
    public void remember(double[] means, double[] halfWidths) {
        int h = horizon();
        if (pendingHalf == null) {
            pendingHalf = new float[h * h];
            Arrays.fill(pendingHalf, Float.NaN);
        }
        remember(means);
        for (int k = 0; k < h; k++) {
            pendingHalf[pendingHead * h + k] = (float) halfWidths[k];
        }
    }

    /**
     * The level of step k's band quantile: the nominal {@code coverage}, or {@code 1 − α_k} once
     * adaptive conformal inference has moved it.
     */
    public double level(int k, double coverage) {
        return missLevel == null ? coverage : 1 - missLevel[k];
    }

    /** Half-width of the band for horizon step index k (0-based), in normalised units. */
    public double halfWidth(int k, double coverage) {
        int n = residualCount[k];
        if (n < MIN_RESIDUALS) {
            return 1.645 * Math.sqrt(k + 1);
        }
        if (coverage <= 0) {
            return 0;
        }
        int w = residualWindow();
        // Conformal rank: ceil((n + 1) × coverage), capped at n.
        int rank = Math.max(1, Math.min(n, (int) Math.ceil((n + 1) * coverage)));
        return valueAtRank(residuals, k * w, n, rank - 1);
    }

    /**
     * The value that sorting {@code a[from, from + n)} would put at index {@code k}, leaving {@code
     * a} as it is. Intervals ask for a high quantile, so the few values from that rank up are kept
     * sorted in one pass: mostly a well-predicted comparison per value, where Hoare's selection,
     * with its data-dependent branches, was the forecaster's hottest method in profiles. Low
     * quantiles still use selection.
     */
    static float valueAtRank(float[] a, int from, int n, int k) {
        int fromRankUp = n - k;
        if (fromRankUp <= KEEP_AT_MOST) {
            return smallestOfLargest(a, from, n, fromRankUp);
        }
        return select(Arrays.copyOfRange(a, from, from + n), k);
    }

    /**
     * The smallest of the {@code m} largest values of {@code a[from, from + n)}, which are kept
     * sorted ascending.
     */
    private static float smallestOfLargest(float[] a, int from, int n, int m) {
        float[] largest = new float[m];
        int size = 0;
        for (int i = from; i < from + n; i++) {
            float v = a[i];
            if (size < m) {
                int j = size++;
                for (; j > 0 && largest[j - 1] > v; j--) {
                    largest[j] = largest[j - 1];
                }
                largest[j] = v;
            } else if (v > largest[0]) {
                // v displaces the smallest kept value; the larger ones shift down until v's place.
                int j = 0;
                for (; j + 1 < m && largest[j + 1] < v; j++) {
                    largest[j] = largest[j + 1];
                }
                largest[j] = v;
            }
        }
        return largest[0];
    }

    /**
     * The value that would be at index {@code k} if {@code a} were sorted (Hoare's selection,
     * reordering {@code a}): linear on average, where sorting for one quantile per forecast showed
     * up in profiles.
     */
    static float select(float[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    float t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }
}

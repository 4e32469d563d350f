package io.streamcast.model.anomaly;

import java.util.Random;

/**
 * Micro-benchmark (a plain main, not a test): nanoseconds per reading of the previous chi-square
 * scorer and of {@link AnomalyScorer}, side by side on the same Student-t residual stream spread
 * over 10,000 series states, alternating rounds because this machine's speed drifts. Run: {@code
 * java -cp target/classes:target/test-classes io.streamcast.model.anomaly.ScorerBench}
 */
public final class ScorerBench {
    private static final int SERIES = 10_000;
    private static final int READINGS = 4_000_000;

    private ScorerBench() {}

    public static void main(String[] args) {
        Random rnd = new Random(1);
        double[] residuals = new double[1 << 20];
        for (int i = 0; i < residuals.length; i++) {
            double chi2 = 0;
            for (int k = 0; k < 3; k++) {
                double g = rnd.nextGaussian();
                chi2 += g * g;
            }
            residuals[i] = rnd.nextGaussian() / Math.sqrt(chi2 / 3);
        }
        AnomalyScorer scorer = new AnomalyScorer(AnomalyScorerConfig.defaults());
        ScorerState[] states = new ScorerState[SERIES];
        Legacy legacy = new Legacy();
        double[][] legacyStates = new double[SERIES][];
        int[] legacyNext = new int[SERIES];
        long[] legacyCount = new long[SERIES];
        for (int s = 0; s < SERIES; s++) {
            states[s] = scorer.initial();
            legacyStates[s] = new double[11];
        }
        double sink = 0;
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < READINGS; i++) {
                int s = i % SERIES;
                double r = residuals[i & (residuals.length - 1)];
                sink += legacy.score(legacyStates[s], legacyNext, legacyCount, s, r, 1.0);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < READINGS; i++) {
                int s = i % SERIES;
                double r = residuals[i & (residuals.length - 1)];
                sink += scorer.score(states[s], 100 + r, 100).score();
            }
            long t2 = System.nanoTime();
            System.out.printf(
                    java.util.Locale.ROOT,
                    "round %d: previous chi-square scorer %.1f ns/reading, new scorer %.1f ns/reading%n",
                    round,
                    (t1 - t0) / (double) READINGS,
                    (t2 - t1) / (double) READINGS);
        }
        System.out.println(
                "(checksum "
                        + sink
                        + "); state: new "
                        + ScorerState.BYTES
                        + " bytes per series, previous 8 * 10 + 8 + 8 + 4 = 100 bytes");
    }

    /**
     * The previous scorer's arithmetic (ring of 10 squared residuals, EW mean square, chi-square
     * cdf with 3 dof).
     */
    private static final class Legacy {
        double score(double[] st, int[] next, long[] count, int s, double residual, double scale) {
            double r = residual / scale;
            double square = r * r;
            st[next[s]] = square;
            next[s] = (next[s] + 1) % 10;
            count[s]++;
            double score = 0;
            if (count[s] > 100) {
                double sum = 0;
                for (int k = 0; k < 10; k++) {
                    sum += st[k];
                }
                score = ChiSquare.cdf(3.0 * (sum / 10) / Math.max(st[10], 1e-9), 3.0);
            }
            double rate = Math.max(1.0 / count[s], 1.0 / 2000);
            st[10] += rate * (square - st[10]);
            return score;
        }
    }

    static final class ChiSquare {

        private static final double EPS = 1e-15;
        private static final int MAX_ITERATIONS = 1000;
        private static final double[] LANCZOS = {
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7
        };

        private ChiSquare() {}

        /** P(X <= x) for X ~ chi-square(dof); 0 for x <= 0, 1 for x = +infinity. */
        static double cdf(double x, double dof) {
            if (!(x > 0)) {
                return 0.0;
            }
            if (Double.isInfinite(x)) {
                return 1.0;
            }
            return regularizedGammaP(dof / 2, x / 2);
        }

        static double regularizedGammaP(double a, double x) {
            double logPrefix = -x + a * Math.log(x) - logGamma(a);
            double p;
            if (x < a + 1) {
                double term = 1 / a;
                double sum = term;
                double ap = a;
                for (int n = 0; n < MAX_ITERATIONS && Math.abs(term) > Math.abs(sum) * EPS; n++) {
                    ap += 1;
                    term *= x / ap;
                    sum += term;
                }
                p = sum * Math.exp(logPrefix);
            } else {
                double tiny = 1e-300;
                double b = x + 1 - a;
                double c = 1 / tiny;
                double d = 1 / b;
                double h = d;
                for (int i = 1; i <= MAX_ITERATIONS; i++) {
                    double an = -i * (i - a);
                    b += 2;
                    d = an * d + b;
                    if (Math.abs(d) < tiny) {
                        d = tiny;
                    }
                    c = b + an / c;
                    if (Math.abs(c) < tiny) {
                        c = tiny;
                    }
                    d = 1 / d;
                    double delta = d * c;
                    h *= delta;
                    if (Math.abs(delta - 1) < EPS) {
                        break;
                    }
                }
                p = 1 - Math.exp(logPrefix) * h;
            }
            return Math.min(1.0, Math.max(0.0, p));
        }

        static double logGamma(double z) {
            if (z < 0.5) {
                // Reflection keeps the Lanczos sum in its accurate range.
                return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
            }
            z -= 1;
            double x = LANCZOS[0];
            for (int i = 1; i < LANCZOS.length; i++) {
                x += LANCZOS[i] / (z + i);
            }
            double t = z + 7.5;
            return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
        }
    }
}

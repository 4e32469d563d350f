package io.streamcast.bench;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.model.anomaly.AnomalyScorer;
import io.streamcast.model.anomaly.ScorerState;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Random;

/**
 * {@code bench --scorer}: the anomaly scorer's cost per reading, on one thread, side by side with
 * the previous chi-square scorer it replaced: both score the same Student-t residual stream spread
 * over 10,000 series states, in alternating rounds (and alternating order within a round) because
 * this machine's speed drifts. Reports ns per reading per round, mean and median of each, their
 * ratio and difference, and the state bytes per series. Never used by tests.
 */
final class ScorerBench {
    private static final int SERIES = 10_000;
    private static final int READINGS = 4_000_000;
    private static final int WARMUP_ROUNDS = 1;
    private static final int ROUNDS = 6;

    /**
     * The previous scorer's state per series (AnomalyState): a ring of 10 doubles, their
     * exponentially weighted mean square (double), a reading count (long), the ring's next slot.
     */
    private static final int PREVIOUS_BYTES = 10 * 8 + 8 + 8 + 4;

    private ScorerBench() {}

    static int run(StreamcastConfig config, PrintStream out) {
        // Student-t with 3 degrees of freedom: heavy-tailed, like the residuals the job sees.
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
        AnomalyScorer scorer = new AnomalyScorer(config.scoring());
        ScorerState[] states = new ScorerState[SERIES];
        Previous previous = new Previous(SERIES);
        for (int s = 0; s < SERIES; s++) {
            states[s] = scorer.initial();
        }
        out.printf(
                "scorer bench: %,d series states, %,d readings per scorer per round, Student-t(3) residuals,"
                        + " %d warm-up + %d measured rounds, one thread%n",
                SERIES, READINGS, WARMUP_ROUNDS, ROUNDS);
        double[] previousNs = new double[ROUNDS];
        double[] currentNs = new double[ROUNDS];
        double sink = 0;
        for (int round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
            boolean previousFirst = (round & 1) == 0;
            long tPrev = 0;
            long tCur = 0;
            for (int pass = 0; pass < 2; pass++) {
                long t0 = System.nanoTime();
                if ((pass == 0) == previousFirst) {
                    for (int i = 0; i < READINGS; i++) {
                        sink +=
                                previous.score(
                                        i % SERIES, residuals[i & (residuals.length - 1)], 1.0);
                    }
                    tPrev = System.nanoTime() - t0;
                } else {
                    for (int i = 0; i < READINGS; i++) {
                        double r = residuals[i & (residuals.length - 1)];
                        sink += scorer.score(states[i % SERIES], 100 + r, 100).score();
                    }
                    tCur = System.nanoTime() - t0;
                }
            }
            double p = tPrev / (double) READINGS;
            double c = tCur / (double) READINGS;
            out.printf(
                    "  %-9s previous %6.1f ns/reading, current %6.1f ns/reading%n",
                    round < 0 ? "warm-up" : "round " + round, p, c);
            if (round >= 0) {
                previousNs[round] = p;
                currentNs[round] = c;
            }
        }
        double pMean = Arrays.stream(previousNs).average().orElse(Double.NaN);
        double cMean = Arrays.stream(currentNs).average().orElse(Double.NaN);
        double pMedian = median(previousNs);
        double cMedian = median(currentNs);
        out.printf(
                "  mean      previous %6.1f, current %6.1f ns/reading: current/previous %.2f, difference %+.1f ns%n",
                pMean, cMean, cMean / pMean, cMean - pMean);
        out.printf(
                "  median    previous %6.1f, current %6.1f ns/reading: current/previous %.2f, difference %+.1f ns%n",
                pMedian, cMedian, cMedian / pMedian, cMedian - pMedian);
        out.printf(
                "  state per series: current %d bytes of fields (ScorerState.BYTES), previous %d (object and"
                        + " array headers not counted)   (checksum %.3e)%n",
                ScorerState.BYTES, PREVIOUS_BYTES, sink);
        return 0;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * The previous scorer (main before the anomaly-scorer work, fdd7618), kept here only to compare
     * costs, with its defaults (short window 10, memory 2,000, 3 degrees of freedom, warm-up 100):
     * per series a ring of the last 10 squared normalised residuals and their exponentially
     * weighted mean square; the score is the chi-square cdf of the ring's mean over that mean
     * square.
     */
    private static final class Previous {
        private static final int SHORT_WINDOW = 10;
        private static final double LONG_TERM_RATE = 1.0 / 2000;
        private static final double DOF = 3.0;
        private static final int WARMUP = 100;
        private static final double MIN_VARIANCE = 1e-9;
        private static final double MAX_ABS_NORMALISED = 1e150;

        /** The previous per-series state object (AnomalyState), field for field. */
        private static final class State {
            long count;
            double longTermMeanSquare;
            double[] recent = new double[SHORT_WINDOW];
            int next;
        }

        private final State[] states;

        Previous(int series) {
            states = new State[series];
            for (int s = 0; s < series; s++) {
                states[s] = new State();
            }
        }

        double score(int series, double residual, double scale) {
            State state = states[series];
            if (!Double.isFinite(residual)) {
                return 0.0;
            }
            double r = scale > 0 && Double.isFinite(scale) ? residual / scale : residual;
            r = Math.max(-MAX_ABS_NORMALISED, Math.min(MAX_ABS_NORMALISED, r));
            double square = r * r;
            state.recent[state.next] = square;
            state.next = (state.next + 1) % state.recent.length;
            state.count++;
            double score = 0.0;
            if (state.count > WARMUP) {
                double sum = 0;
                for (double v : state.recent) {
                    sum += v;
                }
                double shortMeanSquare = sum / state.recent.length;
                double reference = Math.max(state.longTermMeanSquare, MIN_VARIANCE);
                score = ChiSquare.cdf(DOF * shortMeanSquare / reference, DOF);
            }
            double rate = Math.max(1.0 / state.count, LONG_TERM_RATE);
            state.longTermMeanSquare += rate * (square - state.longTermMeanSquare);
            return score;
        }
    }

    /** The previous scorer's chi-square cdf (regularised lower incomplete gamma, Lanczos). */
    private static final class ChiSquare {

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

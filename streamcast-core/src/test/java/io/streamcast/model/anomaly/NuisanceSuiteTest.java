package io.streamcast.model.anomaly;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The scorer on synthetic series of the kinds that operations and IoT data are made of, scored
 * against a stand-in for the served forecast (the better of repeat-last and seasonal-naive by
 * running error, as the forecaster serves its baselines): without anomalies, false alarms per
 * 10,000 readings stay under a bound for every kind, from the first reading on; with injected
 * anomalies (spike, 15-sigma level shift lasting 2 hours, variance change, stuck sensor), each is
 * caught on the noisy sine; and anomalies injected into each of the other kinds (surges, outages,
 * drops, steps, stuck values) are caught at least as often as measured. Plain Java, a few seconds.
 */
class NuisanceSuiteTest {

    /** Readings per day at 5-minute steps: the season of the stand-in forecaster. */
    static final int DAY = 288;

    /** Readings per clean series: 100 days. */
    static final int READINGS = 100 * DAY;

    /**
     * False alarms per 10,000 readings allowed on a clean series: 5 (the bound per NAB
     * file), except where the sustained channel's normal reference on short-window means is known
     * to be too light-tailed (bursty traffic measured 5.9-7.6, plateaus 11.5-14.6; see
     * docs/anomaly-scoring.md): those kinds are bounded at what they measure, so that they cannot
     * get worse unnoticed.
     */
    static final double MAX_FALSE_ALARMS_PER_10K = 5;

    static final double MAX_BURSTY_PER_10K = 8;
    static final double MAX_PLATEAUS_PER_10K = 15;

    private final AnomalyScorer scorer = new AnomalyScorer(AnomalyScorerConfig.defaults());
    private final double threshold = AnomalyScorerConfig.defaults().threshold();

    /**
     * The better of repeat-last and seasonal-naive (one day back), chosen by an exponentially
     * weighted absolute error over about a day; repeat-last until a season has been seen.
     */
    static final class BaselineForecaster {
        private final double[] history;
        private double errLast;
        private double errSeasonal;

        BaselineForecaster(int length) {
            history = new double[length];
        }

        double expected(int t) {
            if (t == 0) {
                return 0;
            }
            double last = history[t - 1];
            if (t <= DAY) {
                return last;
            }
            return errSeasonal < errLast ? history[t - DAY] : last;
        }

        void observe(int t, double value) {
            if (t > DAY) {
                errLast += (Math.abs(value - history[t - 1]) - errLast) / DAY;
                errSeasonal += (Math.abs(value - history[t - DAY]) - errSeasonal) / DAY;
            }
            history[t] = value;
        }
    }

    /**
     * Scores a series through the stand-in forecaster; returns the indexes scoring at or above the
     * threshold.
     */
    private int[] detections(double[] values) {
        return detections(values, new int[Channel.values().length]);
    }

    /**
     * As {@link #detections(double[])}, counting the detections of each channel into {@code
     * byChannel}.
     */
    private int[] detections(double[] values, int[] byChannel) {
        ScorerMemory s = scorer.initial();
        BaselineForecaster f = new BaselineForecaster(values.length);
        int[] out = new int[values.length];
        int n = 0;
        for (int t = 0; t < values.length; t++) {
            double expected = f.expected(t);
            if (t > 0) {
                Verdict v = scorer.score(s, values[t], expected);
                if (v.score() >= threshold) {
                    out[n++] = t;
                    byChannel[v.channel().ordinal()]++;
                }
            }
            f.observe(t, values[t]);
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static double[] series(int n, IntToDoubleFunction value) {
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = value.applyAsDouble(t);
        }
        return v;
    }

    private static double daily(int t) {
        return Math.sin(2 * Math.PI * t / DAY);
    }

    /** Counts per 5 minutes, busy by day and near zero at night: long runs of zeros are normal. */
    static double[] countsWithZeros(Random rnd) {
        return series(READINGS, t -> poisson(rnd, 0.05 + 6 * Math.pow(Math.max(0, daily(t)), 2)));
    }

    /** A slowly wandering level read at a resolution of 1: repeats are common. */
    static double[] quantised(Random rnd) {
        double[] level = {20};
        return series(
                READINGS,
                t -> {
                    level[0] = 20 + 0.95 * (level[0] - 20) + 0.7 * rnd.nextGaussian();
                    return Math.round(level[0]);
                });
    }

    /** Request counts with a daily rhythm, log-normal noise and heavy-tailed bursts. */
    static double[] burstyTraffic(Random rnd) {
        return series(
                READINGS,
                t -> {
                    double base = 200 * (1.5 + daily(t)) * Math.exp(0.15 * rnd.nextGaussian());
                    if (rnd.nextDouble() < 0.01) {
                        base *= Math.pow(1 - rnd.nextDouble(), -1 / 2.5); // Pareto(2.5) burst
                    }
                    return Math.round(base);
                });
    }

    /** A set-point that holds for a while and then steps: plateaus of tens of readings. */
    static double[] plateaus(Random rnd) {
        double[] state = {50, 0};
        return series(
                READINGS,
                t -> {
                    if (rnd.nextDouble() < 1.0 / 40) {
                        state[0] += 0.5 * (1 + rnd.nextInt(5)) * (rnd.nextBoolean() ? 1 : -1);
                        state[0] = Math.max(40, Math.min(60, state[0]));
                    }
                    return state[0];
                });
    }

    /** A daily sine of amplitude 10 with Gaussian noise of sigma 0.8. */
    static double[] noisySine(Random rnd) {
        return series(READINGS, t -> 50 + 10 * daily(t) + 0.8 * rnd.nextGaussian());
    }

    @Test
    void cleanSeriesOfEveryKindRarelyAlarm() {
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        String[] kinds = {
            "counts with zeros", "quantised", "bursty traffic", "plateaus", "noisy daily sine"
        };
        for (int k = 0; k < kinds.length; k++) {
            for (int seed = 0; seed < 3; seed++) {
                Random rnd = new Random(100 * k + seed);
                double[] v =
                        switch (k) {
                            case 0 -> countsWithZeros(rnd);
                            case 1 -> quantised(rnd);
                            case 2 -> burstyTraffic(rnd);
                            case 3 -> plateaus(rnd);
                            default -> noisySine(rnd);
                        };
                int[] byChannel = new int[Channel.values().length];
                double rate = detections(v, byChannel).length * 10_000.0 / v.length;
                double bound =
                        k == 2
                                ? MAX_BURSTY_PER_10K
                                : k == 3 ? MAX_PLATEAUS_PER_10K : MAX_FALSE_ALARMS_PER_10K;
                ok &= rate <= bound;
                report.append(
                        String.format(
                                "%s seed %d: %.2f per 10,000 (sustained %d, change %d, flat %d)%n",
                                kinds[k],
                                seed,
                                rate,
                                byChannel[Channel.SUSTAINED.ordinal()],
                                byChannel[Channel.CHANGE.ordinal()],
                                byChannel[Channel.FLAT.ordinal()]));
            }
        }
        System.out.print(report);
        assertTrue(ok, report.toString());
    }

    /** An anomaly written into a clean noisy daily sine from reading {@code at} on. */
    interface Injection {
        /** The value at {@code t}, given the clean value and the sine's noise draw. */
        double apply(int t, double clean, double noise);
    }

    /**
     * Injects one anomaly into each of {@link #INJECTIONS} noisy daily sines (at a different time
     * of day each, after 20 days) and counts those with a detection within {@code within} readings
     * of its start.
     */
    private int caught(Injection injection, int within) {
        int caught = 0;
        for (int k = 0; k < INJECTIONS; k++) {
            Random rnd = new Random(1000 + k);
            int at = 20 * DAY + k * 29;
            double[] v = new double[at + within + DAY];
            for (int t = 0; t < v.length; t++) {
                double noise = 0.8 * rnd.nextGaussian();
                double clean = 50 + 10 * daily(t) + noise;
                v[t] = t >= at ? injection.apply(t - at, clean, noise) : clean;
            }
            for (int d : detections(v)) {
                if (d >= at && d < at + within) {
                    caught++;
                    break;
                }
            }
        }
        return caught;
    }

    /** Injected anomalies per kind. */
    static final int INJECTIONS = 10;

    @Test
    void aSpikeOfTenNoiseWidthsIsCaughtAtOnce() {
        int n = caught((t, clean, noise) -> t == 0 ? clean + 16 : clean, 2);
        assertTrue(n == INJECTIONS, n + " of " + INJECTIONS + " spikes caught");
    }

    @Test
    void aLevelShiftOfFifteenNoiseWidthsLastingTwoHoursIsCaught() {
        int n = caught((t, clean, noise) -> t < 24 ? clean + 12 : clean, 24);
        assertTrue(n == INJECTIONS, n + " of " + INJECTIONS + " level shifts caught");
    }

    @Test
    void aFourfoldVarianceIncreaseForADayIsCaught() {
        int n = caught((t, clean, noise) -> t < DAY ? clean + 3 * noise : clean, DAY);
        assertTrue(n == INJECTIONS, n + " of " + INJECTIONS + " variance changes caught");
    }

    @Test
    void aSensorStuckForTwoHoursIsCaught() {
        double[] stuck = {Double.NaN};
        int n =
                caught(
                        (t, clean, noise) -> {
                            if (t == 0) {
                                stuck[0] = clean;
                            }
                            return t < 24 ? stuck[0] : clean;
                        },
                        24);
        assertTrue(n == INJECTIONS, n + " of " + INJECTIONS + " stuck sensors caught");
    }

    /**
     * An anomaly written into a clean series of one kind: the new value at {@code t} from its
     * start.
     */
    interface KindInjection {
        double apply(int t, double clean);
    }

    /**
     * Injects one anomaly into each of {@link #INJECTIONS} clean series of a kind (seeds 2000+,
     * after 20 days, at {@code phase} readings into the day plus 3 readings more per series) and
     * counts those with a detection within {@code within} readings of its start.
     */
    private int caughtIn(
            java.util.function.Function<Random, double[]> kind,
            int phase,
            KindInjection injection,
            int within) {
        int caught = 0;
        for (int k = 0; k < INJECTIONS; k++) {
            double[] v = kind.apply(new Random(2000 + k));
            int at = 20 * DAY + phase + 3 * k;
            double[] cut = java.util.Arrays.copyOf(v, at + within);
            for (int t = at; t < cut.length; t++) {
                cut[t] = injection.apply(t - at, v[t]);
            }
            for (int d : detections(cut)) {
                if (d >= at && d < at + within) {
                    caught++;
                    break;
                }
            }
        }
        return caught;
    }

    /**
     * One anomaly injected into one kind, and how many of {@link #INJECTIONS} it must catch: all
     * where the scorer reliably does; where it does not, what it measured, so that it cannot get
     * worse unnoticed (the misses are explained in docs/anomaly-scoring.md: the stand-in forecast
     * follows a lasting shift after one reading, so only the jump is a residual).
     */
    record KindCase(
            String name,
            java.util.function.Function<Random, double[]> kind,
            int phase,
            KindInjection injection,
            int within,
            int atLeast) {}

    @Test
    void anomaliesInjectedIntoEveryKindAreCaughtAsMeasured() {
        double[] stuck = {Double.NaN};
        KindCase[] cases = {
            new KindCase(
                    "counts: +10 for 2 hours by day",
                    NuisanceSuiteTest::countsWithZeros,
                    DAY / 4,
                    (t, c) -> t < 24 ? c + 10 : c,
                    24,
                    4),
            new KindCase(
                    "counts: zeros for 2 hours by day",
                    NuisanceSuiteTest::countsWithZeros,
                    DAY / 4 - 12,
                    (t, c) -> t < 24 ? 0 : c,
                    24,
                    0),
            new KindCase(
                    "quantised: +8 for 2 hours",
                    NuisanceSuiteTest::quantised,
                    0,
                    (t, c) -> t < 24 ? c + 8 : c,
                    24,
                    8),
            new KindCase(
                    "quantised: spike of +10",
                    NuisanceSuiteTest::quantised,
                    0,
                    (t, c) -> t == 0 ? c + 10 : c,
                    2,
                    INJECTIONS),
            new KindCase(
                    "quantised: stuck for a day",
                    NuisanceSuiteTest::quantised,
                    0,
                    (t, c) -> {
                        if (t == 0) {
                            stuck[0] = c;
                        }
                        return t < DAY ? stuck[0] : c;
                    },
                    DAY,
                    3),
            new KindCase(
                    "bursty: three times the traffic for 2 hours",
                    NuisanceSuiteTest::burstyTraffic,
                    DAY / 4,
                    (t, c) -> t < 24 ? 3 * c : c,
                    24,
                    INJECTIONS),
            new KindCase(
                    "bursty: twice the traffic for 2 hours",
                    NuisanceSuiteTest::burstyTraffic,
                    DAY / 4,
                    (t, c) -> t < 24 ? 2 * c : c,
                    24,
                    8),
            new KindCase(
                    "bursty: no traffic for an hour",
                    NuisanceSuiteTest::burstyTraffic,
                    DAY / 4,
                    (t, c) -> t < 12 ? 0 : c,
                    12,
                    INJECTIONS),
            new KindCase(
                    "bursty: half the traffic for 2 hours",
                    NuisanceSuiteTest::burstyTraffic,
                    DAY / 4,
                    (t, c) -> t < 24 ? Math.round(c / 2) : c,
                    24,
                    1),
            new KindCase(
                    "plateaus: a step of +10 for 2 hours",
                    NuisanceSuiteTest::plateaus,
                    0,
                    (t, c) -> t < 24 ? c + 10 : c,
                    24,
                    9),
            new KindCase(
                    "plateaus: a spike of +10",
                    NuisanceSuiteTest::plateaus,
                    0,
                    (t, c) -> t == 0 ? c + 10 : c,
                    2,
                    9),
            new KindCase(
                    "plateaus: oscillating by 2 for 2 hours",
                    NuisanceSuiteTest::plateaus,
                    0,
                    (t, c) -> t < 24 ? c + (t % 2 == 0 ? 2 : -2) : c,
                    24,
                    9),
        };
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (KindCase c : cases) {
            int n = caughtIn(c.kind(), c.phase(), c.injection(), c.within());
            ok &= n >= c.atLeast();
            report.append(
                    String.format(
                            "%s: %d of %d caught (at least %d)%n",
                            c.name(), n, INJECTIONS, c.atLeast()));
        }
        System.out.print(report);
        assertTrue(ok, report.toString());
    }

    private static int poisson(Random rnd, double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = rnd.nextDouble();
        while (p > l) {
            k++;
            p *= rnd.nextDouble();
        }
        return k;
    }
}

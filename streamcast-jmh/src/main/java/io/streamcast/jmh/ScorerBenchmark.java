package io.streamcast.jmh;

import io.streamcast.config.ConfigLoader;
import io.streamcast.model.anomaly.AnomalyScorer;
import io.streamcast.model.anomaly.ScorerMemory;
import io.streamcast.model.anomaly.Verdict;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The anomaly scorer's cost per reading ({@link AnomalyScorer#score}), with the configured {@code
 * scores.*} defaults, cycling over 10,000 series states so that each reading meets a state that is
 * not in the first-level cache, as in the job. The scorer runs once per reading in the forecaster,
 * so this number times the event rate is the CPU it takes.
 *
 * <p>Implementation notes: the residuals are a seeded Student-t stream with 3 degrees of freedom
 * (heavy-tailed, like the residuals the job sees), drawn once in setup; the measured call is the
 * scorer alone plus an array read and a counter. The states are advanced by every invocation, so
 * after the first {@code scores.warmup} readings of each series (a few seconds of warm-up at 10,000
 * series) the measurement sees the scorer's steady-state path. Replaces {@code bench --scorer}'s
 * hand-written loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScorerBenchmark {
    static final int SERIES = 10_000;
    private static final int RESIDUALS = 1 << 20;

    private AnomalyScorer scorer;
    private ScorerMemory[] states;
    private double[] residuals;
    private int series;
    private int reading;

    @Setup
    public void setUp() {
        scorer = new AnomalyScorer(ConfigLoader.defaults().scoring());
        states = new ScorerMemory[SERIES];
        for (int s = 0; s < SERIES; s++) {
            states[s] = scorer.initial();
        }
        Random rnd = new Random(1);
        residuals = new double[RESIDUALS];
        for (int i = 0; i < RESIDUALS; i++) {
            double chi2 = 0;
            for (int k = 0; k < 3; k++) {
                double g = rnd.nextGaussian();
                chi2 += g * g;
            }
            residuals[i] = rnd.nextGaussian() / Math.sqrt(chi2 / 3);
        }
    }

    /** One reading of the next series: actual 100 + residual against an expected 100. */
    @Benchmark
    public Verdict score() {
        int s = series;
        series = s + 1 == SERIES ? 0 : s + 1;
        double residual = residuals[reading++ & (RESIDUALS - 1)];
        return scorer.score(states[s], 100 + residual, 100);
    }
}

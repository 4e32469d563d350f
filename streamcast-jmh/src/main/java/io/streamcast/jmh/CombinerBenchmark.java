package io.streamcast.jmh;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig.BaselineConfig;
import io.streamcast.model.CombinerState;
import io.streamcast.model.ForecastCombiner;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The forecast combiner's cost per reading: {@link ForecastCombiner#observe} of the new actual,
 * {@link ForecastCombiner#serve} of the next forecast and {@link ForecastCombiner#remember} of the
 * network's, as the forecaster calls them, over 10,000 series states, at horizon 1 and 24. It runs
 * once per reading beside the network step, and its work grows with the horizon times the number of
 * weightings it tracks ({@link ForecastCombiner#COMBINATIONS}).
 *
 * <p>Implementation notes: the combiner has the configured {@code baselines.*} defaults; the series
 * are read every 15 minutes (a season of 96 readings, so seasonal-naive takes part) and every state
 * is fed two days of readings in setup, so the leader rule is past its {@link
 * ForecastCombiner#MIN_CHECKS} and the measurement sees the steady-state path. Values are a seeded
 * daily sine plus noise, the network's forecasts the value plus noise, both drawn in setup and read
 * from rings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CombinerBenchmark {
    static final int SERIES = 10_000;
    private static final long STEP_MILLIS = 15 * 60_000L;
    private static final int SEASON = 96;
    private static final int RING = 1 << 16;

    @Param({"1", "24"})
    int horizon;

    private ForecastCombiner combiner;
    private CombinerState[] states;
    private double[] values;
    private double[] noise;
    private double[] network;
    private double[] mean;
    private String[] source;
    private int series;
    private int reading;

    @Setup
    public void setUp() {
        BaselineConfig b = ConfigLoader.defaults().baselines();
        combiner = new ForecastCombiner(b.season(), b.maxSeason(), b.halfLife());
        Random r = new Random(1);
        values = new double[RING];
        noise = new double[RING];
        for (int i = 0; i < RING; i++) {
            values[i] = 100 + 10 * Math.sin(2 * Math.PI * i / SEASON) + r.nextGaussian();
            noise[i] = r.nextGaussian();
        }
        network = new double[horizon];
        mean = new double[horizon];
        source = new String[horizon];
        states = new CombinerState[SERIES];
        for (int s = 0; s < SERIES; s++) {
            states[s] = combiner.ensure(null, STEP_MILLIS, horizon);
        }
        for (int i = 0; i < 2 * SEASON * SERIES; i++) {
            reading();
        }
    }

    /** One reading of the next series: observe, serve, remember. */
    @Benchmark
    public void reading(Blackhole bh) {
        reading();
        bh.consume(mean[horizon - 1]);
        bh.consume(source[horizon - 1]);
    }

    private void reading() {
        int s = series;
        series = s + 1 == SERIES ? 0 : s + 1;
        int i = reading++;
        CombinerState st = states[s];
        double actual = values[(i / SERIES) & (RING - 1)];
        combiner.observe(st, actual);
        for (int k = 0; k < horizon; k++) {
            network[k] = values[(i / SERIES + k + 1) & (RING - 1)] + noise[(i + k) & (RING - 1)];
        }
        combiner.serve(st, actual, network, mean, source);
        combiner.remember(st, network);
    }
}

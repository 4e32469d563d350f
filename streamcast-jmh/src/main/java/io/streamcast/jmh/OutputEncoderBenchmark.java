package io.streamcast.jmh;

import io.streamcast.event.Forecast;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.Score;
import io.streamcast.io.OutputEncoder;
import io.streamcast.model.anomaly.AnomalyScorer;
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

/**
 * Encoding one forecast record ({@link OutputEncoder#forecast}, at horizon 1 and 24) and one score
 * record ({@link OutputEncoder#score}) to their JSON bytes. The job writes one of each per reading,
 * so these two numbers together are the output's share of the per-reading cost.
 *
 * <p>Implementation notes: 1,024 distinct records of each kind (series ids, timestamps a minute
 * apart, seeded float32-valued numbers as the model produces) are built in setup and encoded in
 * turn, so neither the number formatter nor the timestamp formatter sees the same value twice in a
 * row. The returned record (key and bytes) is consumed by JMH. Twelve warm-up iterations, not
 * three: on the shared 2-core machine the JIT took about 10 s under load to settle this path (three
 * iterations of 1 s reported 2-4 times the settled cost).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 12, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OutputEncoderBenchmark {
    static final int RECORDS = 1024;
    private static final long START = 1_765_000_000_000L;
    private static final long STEP_MILLIS = 60_000L;

    /** Forecast records of one horizon. */
    @State(Scope.Thread)
    public static class Forecasts {
        @Param({"1", "24"})
        int horizon;

        Forecast[] records;
        int next;

        @Setup
        public void setUp() {
            Random r = new Random(1);
            records = new Forecast[RECORDS];
            for (int i = 0; i < RECORDS; i++) {
                long ts = START + i * STEP_MILLIS;
                long[] targetTs = new long[horizon];
                double[] mean = new double[horizon];
                double[] lower = new double[horizon];
                double[] upper = new double[horizon];
                double[] network = new double[horizon];
                String[] source = new String[horizon];
                for (int k = 0; k < horizon; k++) {
                    targetTs[k] = ts + (k + 1) * STEP_MILLIS;
                    mean[k] = (float) (100 + 10 * r.nextGaussian());
                    lower[k] = (float) (mean[k] - 3 - r.nextDouble());
                    upper[k] = (float) (mean[k] + 3 + r.nextDouble());
                    network[k] = (float) (mean[k] + r.nextGaussian());
                    source[k] = "network";
                }
                records[i] =
                        new Forecast(
                                "sensor-" + (i % 100),
                                ts,
                                7,
                                "lstm",
                                false,
                                targetTs,
                                mean,
                                lower,
                                upper,
                                source,
                                network);
            }
        }
    }

    /** Score records. */
    @State(Scope.Thread)
    public static class Scores {
        Score[] records;
        int next;

        @Setup
        public void setUp() {
            Random r = new Random(2);
            records = new Score[RECORDS];
            for (int i = 0; i < RECORDS; i++) {
                double expected = (float) (100 + 10 * r.nextGaussian());
                double actual = (float) (expected + r.nextGaussian());
                double score = (float) r.nextDouble() * 0.3;
                records[i] =
                        new Score(
                                "sensor-" + (i % 100),
                                START + i * STEP_MILLIS,
                                actual,
                                expected,
                                (float) (expected - 3.2),
                                (float) (expected + 3.2),
                                actual - expected,
                                score,
                                AnomalyScorer.surpriseOf(score),
                                "sustained",
                                7);
            }
        }
    }

    @Benchmark
    public OutputRecord forecast(Forecasts f) {
        Forecast record = f.records[f.next];
        f.next = (f.next + 1) & (RECORDS - 1);
        return OutputEncoder.forecast(record);
    }

    @Benchmark
    public OutputRecord score(Scores s) {
        Score record = s.records[s.next];
        s.next = (s.next + 1) & (RECORDS - 1);
        return OutputEncoder.score(record);
    }
}

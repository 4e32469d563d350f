package io.streamcast.jmh;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.RecurrentNetwork;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The forecaster's network arithmetic per series, on one thread: {@link RecurrentNetwork#step}
 * advancing a batch of 256 series (the default {@code inference.batch-size}) by one reading, and
 * {@link RecurrentNetwork#runWindows} rebuilding their states from whole windows of 48 rows (a new
 * model or a restored series). The step is what every reading costs in the job, so its µs per
 * series bounds the events per second one core can forecast.
 *
 * <p>Implementation notes: the network comes from the configuration defaults with {@code
 * model.hidden} and {@code model.cell} set from the parameters (LSTM, hidden 64 by default: the
 * setting of the documented throughput runs), so its width (input features) and horizon are the
 * job's. Inputs and windows are seeded Gaussian noise built in setup; the recurrent states are
 * updated in place by every invocation, as in the job. Results are per series ({@link
 * OperationsPerInvocation} is the batch). A network is confined to the thread that created it: the
 * state is per thread and built by the benchmark thread. Replaces {@code bench --inference}'s
 * hand-written loop (which also printed FLOP/s against the core's peak).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0"})
public class InferenceBenchmark {
    /** Series per batched call: the default {@code inference.batch-size}. */
    static final int BATCH = 256;

    /** Rows of a rebuilt window: the default {@code window.size}. */
    static final int ROWS = 48;

    @Param({"64"})
    int hidden;

    /** {@code rnn}, {@code lstm} or {@code gru}; {@code bilstm} has no step (it rebuilds only). */
    @Param({"lstm"})
    String cell;

    private RecurrentNetwork net;
    private float[] inputs;
    private float[][] windows;
    private float[][] states;

    @Setup
    public void setUp() {
        StreamcastConfig config =
                ConfigLoader.fromFlat(
                        Map.of(
                                "model.hidden", Integer.toString(hidden),
                                "model.cell", cell,
                                "window.size", Integer.toString(ROWS),
                                "inference.batch-size", Integer.toString(BATCH)));
        NetworkSpec spec = config.networkSpec();
        net = RecurrentNetwork.create(spec);
        Random r = new Random(1);
        inputs = new float[BATCH * spec.width()]; // [batch, width]: one row per series
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) r.nextGaussian();
        }
        windows = new float[BATCH][ROWS * spec.width()]; // per series [rows, width], time-major
        for (float[] w : windows) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
        }
        states = new float[BATCH][net.stateSize()];
    }

    /** One reading for each of 256 series; µs per series. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] step() {
        return net.step(inputs, states, BATCH);
    }

    /** A 48-row window for each of 256 series; µs per series (48 steps each). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float[] rebuildWindow() {
        return net.runWindows(windows, ROWS, states, BATCH);
    }
}

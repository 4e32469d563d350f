package io.streamcast.model;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A stacked recurrent network (Deeplearning4j) with a dense per-step head, driven with per-series state that the
 * caller owns: {@link #step} advances many series by one reading in one batched call, {@link #runWindows} rebuilds
 * states from whole windows. Not thread-safe: one instance per operator subtask.
 *
 * <p>Implementation notes: the output at every time step is the normalised change of the target over the next
 * 1..H steps, so a network that outputs zero is exactly the repeat-last forecast and training only has to learn the
 * correction. DL4J keeps one stored recurrent state per network, so before each batched step the series' states are
 * stacked into {@code [n, hidden]} matrices and installed with {@code rnnSetPreviousState}, and read back afterwards.
 * A series' state is a flat float array: for each layer, h then c ({@code layers × 2 × hidden} floats).
 * Tensor layout is DL4J's {@code [batch, features, time]}.
 */
public final class RecurrentNetwork {
    private static final String H = "prevAct";
    private static final String C = "prevMem";

    private final NetworkSpec spec;
    private final MultiLayerNetwork net;

    private RecurrentNetwork(NetworkSpec spec, MultiLayerNetwork net) {
        this.spec = spec;
        this.net = net;
    }

    /** A freshly initialised network; the same spec (and seed) always gives the same weights. */
    public static RecurrentNetwork create(NetworkSpec spec) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(spec.learningRate()));
        if (spec.gradientClip() > 0) {
            base.gradientNormalization(GradientNormalization.ClipL2PerLayer)
                    .gradientNormalizationThreshold(spec.gradientClip());
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        for (int l = 0; l < spec.layers(); l++) {
            list.layer(new LSTM.Builder()
                    .nIn(l == 0 ? spec.width() : spec.hidden())
                    .nOut(spec.hidden())
                    .activation(Activation.TANH)
                    .build());
        }
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .activation(Activation.IDENTITY)
                .nIn(spec.hidden())
                .nOut(spec.horizon())
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return new RecurrentNetwork(spec, net);
    }

    public NetworkSpec spec() {
        return spec;
    }

    /**
     * Whether series can be served one step per reading from stored state; a cell that reads the window both ways
     * (bidirectional) cannot, and is served by {@link #runWindows} on every reading.
     */
    public boolean stateful() {
        return true;
    }

    /** Floats of recurrent state per series. */
    public int stateSize() {
        return spec.layers() * 2 * spec.hidden();
    }

    public int parameterCount() {
        return (int) net.numParams();
    }

    /** A copy of the flat parameter vector. */
    public float[] params() {
        return net.params().toFloatVector();
    }

    public void setParams(float[] params) {
        if (params.length != net.numParams()) {
            throw new IllegalArgumentException("parameter vector has " + params.length + " values; this network ("
                    + spec.summary() + ") has " + net.numParams());
        }
        net.setParams(Nd4j.create(params, new long[] {1, params.length}, 'c'));
    }

    /**
     * A copy of the Adam optimiser state for checkpoints: the step count (Adam's bias correction depends on it)
     * followed by the moment estimates.
     */
    public float[] optimiserState() {
        INDArray view = net.getUpdater().getStateViewArray();
        float[] moments = view == null ? new float[0] : flat(view);
        float[] state = new float[moments.length + 1];
        state[0] = Float.intBitsToFloat(net.getIterationCount());
        System.arraycopy(moments, 0, state, 1, moments.length);
        return state;
    }

    /** Restores {@link #optimiserState()}; an all-zero array resets Adam to its initial state. */
    public void setOptimiserState(float[] state) {
        net.setIterationCount(Float.floatToRawIntBits(state[0]));
        INDArray view = net.getUpdater().getStateViewArray();
        if (view != null && state.length - 1 == view.length()) {
            float[] moments = java.util.Arrays.copyOfRange(state, 1, state.length);
            view.assign(Nd4j.create(moments, view.shape(), 'c'));
        }
    }

    /**
     * Advances {@code n} series by one reading each. {@code inputs} is {@code n × width} (normalised rows),
     * {@code states[i]} is series i's state, updated in place; returns {@code n × horizon} normalised changes.
     */
    public float[] step(float[] inputs, float[][] states, int n) {
        int hidden = spec.hidden();
        for (int l = 0; l < spec.layers(); l++) {
            float[] h = new float[n * hidden];
            float[] c = new float[n * hidden];
            for (int i = 0; i < n; i++) {
                System.arraycopy(states[i], l * 2 * hidden, h, i * hidden, hidden);
                System.arraycopy(states[i], l * 2 * hidden + hidden, c, i * hidden, hidden);
            }
            Map<String, INDArray> state = new HashMap<>();
            state.put(H, Nd4j.create(h, new long[] {n, hidden}, 'c'));
            state.put(C, Nd4j.create(c, new long[] {n, hidden}, 'c'));
            net.rnnSetPreviousState(l, state);
        }
        INDArray out = net.rnnTimeStep(Nd4j.create(inputs, new long[] {n, spec.width()}, 'c'));
        readStates(states, n);
        net.rnnClearPreviousState();
        return flat(out);
    }

    /**
     * Runs {@code n} windows of {@code rows} steps each from a zero state (time-major, {@code rows × width} per
     * window), writes each series' final state into {@code states[i]} and returns the last step's output,
     * {@code n × horizon}.
     */
    public float[] runWindows(float[][] windows, int rows, float[][] states, int n) {
        net.rnnClearPreviousState();
        INDArray out = net.rnnTimeStep(toNcw(windows, n, rows, spec.width()));
        readStates(states, n);
        net.rnnClearPreviousState();
        float[] last = new float[n * spec.horizon()];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < spec.horizon(); k++) {
                last[i * spec.horizon() + k] = out.getFloat(i, k, rows - 1);
            }
        }
        return last;
    }

    /** The network's output over whole windows (no stored state), {@code [n, horizon, rows]}; for tests and checks. */
    public INDArray output(float[][] windows, int n, int rows) {
        return net.output(toNcw(windows, n, rows, spec.width()));
    }

    /** One Adam step on a mini-batch; returns the loss before the update (NaN/Inf if it diverged). */
    public double fit(DataSet batch) {
        net.fit(batch);
        return net.score();
    }

    /** Mean squared error on {@code data} without changing anything. */
    public double loss(DataSet data) {
        return net.score(data, false);
    }

    /** L2 norm of the raw (unclipped) gradient on {@code data}, to expose and to detect explosions. */
    public double gradientNorm(DataSet data) {
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        double norm = net.gradient().gradient().norm2Number().doubleValue();
        net.clear();
        return norm;
    }

    /** Builds a DL4J data set from time-major samples: inputs {@code [rows][width]}, targets {@code [rows][horizon]}. */
    public DataSet dataSet(float[][] inputs, float[][] targets, int n, int rows) {
        return new DataSet(toNcw(inputs, n, rows, spec.width()), toNcw(targets, n, rows, spec.horizon()));
    }

    private void readStates(float[][] states, int n) {
        int hidden = spec.hidden();
        for (int l = 0; l < spec.layers(); l++) {
            Map<String, INDArray> s = net.rnnGetPreviousState(l);
            float[] h = flat(s.get(H));
            float[] c = flat(s.get(C));
            for (int i = 0; i < n; i++) {
                System.arraycopy(h, i * hidden, states[i], l * 2 * hidden, hidden);
                System.arraycopy(c, i * hidden, states[i], l * 2 * hidden + hidden, hidden);
            }
        }
    }

    /** The values of any array in row-major order. */
    private static float[] flat(INDArray a) {
        return a.dup('c').reshape(new long[] {a.length()}).toFloatVector();
    }

    /** Time-major per-sample arrays to DL4J's {@code [n, width, rows]}. */
    private static INDArray toNcw(float[][] samples, int n, int rows, int width) {
        float[] flat = new float[n * width * rows];
        for (int i = 0; i < n; i++) {
            float[] s = samples[i];
            int base = i * width * rows;
            for (int t = 0; t < rows; t++) {
                for (int f = 0; f < width; f++) {
                    flat[base + f * rows + t] = s[t * width + f];
                }
            }
        }
        return Nd4j.create(flat, new long[] {n, width, rows}, 'c');
    }
}

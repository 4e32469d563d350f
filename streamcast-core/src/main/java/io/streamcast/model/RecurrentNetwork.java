package io.streamcast.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The Deeplearning4j network that is defined, initialised and trained here (a stacked recurrent
 * network with a dense per-step head) and that serves forecasts from per-series state the caller
 * owns: {@link #step} advances many series by one reading in one batched call, {@link #runWindows}
 * rebuilds states from whole windows. The cell ({@link Cell}: rnn, lstm, gru, bilstm) comes from
 * the spec. Confined to the thread that created it: every method that touches its ND4J arrays fails
 * with {@link IllegalStateException} on any other thread, so a network and its arrays never cross
 * threads; only plain Java arrays ({@code float[]}) go in and out. One instance per operator
 * subtask (the forecaster's task thread) or per trainer thread ({@link TrainerThread}).
 *
 * <p>Implementation notes: the output at every time step is the normalised change of the target
 * over the next 1..H steps, so a network that outputs zero is exactly the repeat-last forecast and
 * training only has to learn the correction. Training and whole-window output run through DL4J; a
 * stateful cell is served (stepped, rebuilt from windows, rolled out) by its {@link
 * SteppedNetwork}, a plain-Java copy of the same math rebuilt from DL4J's param tables whenever the
 * parameters change; the bidirectional cell is served by DL4J's output over the whole window.
 * Dropout ({@code spec.dropout()}, a drop probability) sits between recurrent layers as DL4J {@code
 * DropoutLayer}s, which are active only in training. Tensor layout is DL4J's {@code [batch,
 * features, time]}.
 *
 * <p>Autoregressive decoder ({@code spec.decoder()}): the head has one output, the normalised
 * change to the next reading, trained with teacher forcing on the first column of the usual
 * targets. {@link #step} and {@link #runWindows} still return {@code n × horizon} cumulative
 * changes, rolled out on the network's own predictions ({@link SteppedNetwork}), so callers do not
 * see the difference.
 *
 * <p>Why confinement: libnd4j crashed the JVM (SIGSEGV in {@code sd::DataBuffer::primary()} during
 * {@code fit}) when a trainer's networks were built, restored and snapshotted on one thread and
 * trained on another while other threads ran ND4J products. DL4J networks keep per-thread workspace
 * state and are not thread-safe, and ND4J frees an array's native buffer from a deallocator thread
 * once the Java object is unreachable, so an array that crosses threads or is not kept reachable
 * for the whole of a native call can be freed under it. Hence one owner thread per network, checked
 * on every call, and temporaries kept reachable until their native call returns ({@link CellStep}).
 *
 * <p>Truncated BPTT ({@code spec.tbpttLength()} > 0): DL4J's {@code TruncatedBPTT} with equal
 * forward and backward lengths; one {@link #fit} then makes one update per segment of the window,
 * and reports the last segment's loss.
 */
public final class RecurrentNetwork {
    private final NetworkSpec spec;
    private final Cell cell;
    private final MultiLayerNetwork net;

    /** DL4J layer index of each recurrent layer (dropout layers sit in between). */
    private final int[] recurrentIndex;

    /**
     * The only thread allowed to touch {@link #net} and its arrays: the one that created this
     * network.
     */
    private final Thread owner = Thread.currentThread();

    /**
     * The serving path on the current parameters; null when parameters changed since it was built.
     */
    private SteppedNetwork stepped;

    /**
     * The largest raw gradient norm among the updates of the last {@link #fit}; NaN if one was not
     * finite.
     */
    private double fitGradientNorm;

    private RecurrentNetwork(
            NetworkSpec spec, Cell cell, MultiLayerNetwork net, int[] recurrentIndex) {
        this.spec = spec;
        this.cell = cell;
        this.net = net;
        this.recurrentIndex = recurrentIndex;
        // DL4J calls this after computing a gradient and before clipping and Adam touch it: the raw
        // norm comes free with every update instead of costing a separate forward and backward
        // pass.
        net.addListeners(
                new BaseTrainingListener() {
                    @Override
                    public void onGradientCalculation(Model model) {
                        double norm = model.gradient().gradient().norm2Number().doubleValue();
                        fitGradientNorm = Math.max(fitGradientNorm, norm); // NaN stays NaN
                    }
                });
    }

    /** A freshly initialised network; the same spec (and seed) always gives the same weights. */
    public static RecurrentNetwork create(NetworkSpec spec) {
        return create(spec, DataType.FLOAT, new Adam(spec.learningRate()));
    }

    /**
     * As {@link #create(NetworkSpec)} with a given precision and updater; gradient checks want
     * double precision and {@code NoOp}.
     */
    static RecurrentNetwork create(NetworkSpec spec, DataType dataType, IUpdater updater) {
        Cell cell = spec.cell();
        NeuralNetConfiguration.Builder base =
                new NeuralNetConfiguration.Builder()
                        .seed(spec.seed())
                        .dataType(dataType)
                        .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
                        .weightInit(WeightInit.XAVIER)
                        .updater(updater);
        if (spec.gradientClip() > 0) {
            base.gradientNormalization(GradientNormalization.ClipL2PerLayer)
                    .gradientNormalizationThreshold(spec.gradientClip());
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        if (spec.tbpttLength() > 0) {
            list.backpropType(BackpropType.TruncatedBPTT)
                    .tBPTTForwardLength(spec.tbpttLength())
                    .tBPTTBackwardLength(spec.tbpttLength());
        }
        int[] recurrentIndex = new int[spec.layers()];
        int index = 0;
        int nIn = spec.width();
        for (int l = 0; l < spec.layers(); l++) {
            if (l > 0 && spec.dropout() > 0) {
                // DL4J's dropout argument is the probability of keeping an activation.
                list.layer(
                        index++,
                        new DropoutLayer.Builder(1 - spec.dropout()).nIn(nIn).nOut(nIn).build());
            }
            recurrentIndex[l] = index;
            list.layer(index++, cell.layer(nIn, spec.hidden()));
            nIn = cell.outputWidth(spec.hidden());
        }
        // Explicit NCW: DL4J infers the head's format from a preceding DL4J recurrent layer only;
        // after a SameDiff or Bidirectional layer it would read the time axis from dimension 1.
        list.layer(
                index,
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .dataFormat(RNNFormat.NCW)
                        .activation(Activation.IDENTITY)
                        .nIn(nIn)
                        .nOut(spec.outputs())
                        .build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return new RecurrentNetwork(spec, cell, net, recurrentIndex);
    }

    public NetworkSpec spec() {
        return spec;
    }

    /**
     * Whether series can be served one step per reading from stored state; a cell that reads the
     * window both ways (bidirectional) cannot, and is served by {@link #runWindows} on every
     * reading.
     */
    public boolean stateful() {
        return cell.stateful();
    }

    /** Floats of recurrent state per series (0 for a cell that is not stateful). */
    public int stateSize() {
        return spec.layers() * cell.stateVectors() * spec.hidden();
    }

    public int parameterCount() {
        checkOwner();
        return (int) net.numParams();
    }

    /** A copy of the flat parameter vector. */
    public float[] params() {
        checkOwner();
        return net.params().toFloatVector();
    }

    public void setParams(float[] params) {
        checkOwner();
        if (params.length != net.numParams()) {
            throw new IllegalArgumentException(
                    "parameter vector has "
                            + params.length
                            + " values; this network ("
                            + spec.summary()
                            + ") has "
                            + net.numParams()
                            + " (was the model made with other model.* settings, window.features"
                            + " or window.calendar?)");
        }
        net.setParams(
                Nd4j.create(params, new long[] {1, params.length}, 'c')
                        .castTo(net.params().dataType()));
        stepped = null;
    }

    /**
     * A copy of the Adam optimiser state for checkpoints: the step count (Adam's bias correction
     * depends on it) followed by the moment estimates.
     */
    public float[] optimiserState() {
        checkOwner();
        INDArray view = net.getUpdater().getStateViewArray();
        float[] moments = view == null ? new float[0] : flat(view);
        float[] state = new float[moments.length + 1];
        state[0] = Float.intBitsToFloat(net.getIterationCount());
        System.arraycopy(moments, 0, state, 1, moments.length);
        return state;
    }

    /** Restores {@link #optimiserState()}; an all-zero array resets Adam to its initial state. */
    public void setOptimiserState(float[] state) {
        checkOwner();
        net.setIterationCount(Float.floatToRawIntBits(state[0]));
        INDArray view = net.getUpdater().getStateViewArray();
        if (view != null && state.length - 1 == view.length()) {
            float[] moments = java.util.Arrays.copyOfRange(state, 1, state.length);
            view.assign(Nd4j.create(moments, view.shape(), 'c'));
        }
    }

    /**
     * Advances {@code n} series by one reading each. {@code inputs} is {@code n × width}
     * (normalised rows), {@code states[i]} is series i's state, updated in place; returns {@code n
     * × horizon} normalised changes.
     */
    public float[] step(float[] inputs, float[][] states, int n) {
        checkOwner();
        if (!stateful()) {
            throw new IllegalStateException(
                    spec.cell().id() + " cannot be stepped; serve it with runWindows");
        }
        return stepped().step(inputs, states, n);
    }

    /**
     * Runs {@code n} windows of {@code rows} steps each from a zero state (time-major, {@code rows
     * × width} per window), writes each series' final state into {@code states[i]} (nothing for a
     * cell that is not stateful) and returns the last step's output, {@code n × horizon}.
     */
    public float[] runWindows(float[][] windows, int rows, float[][] states, int n) {
        checkOwner();
        float[] last = new float[n * spec.horizon()];
        if (!stateful()) {
            INDArray out = net.output(toNcw(windows, n, rows, spec.width())); // [n, horizon, rows]
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < spec.horizon(); k++) {
                    last[i * spec.horizon() + k] = out.getFloat(i, k, rows - 1);
                }
            }
            return last;
        }
        return stepped().runWindows(windows, rows, states, n);
    }

    /**
     * Scheduled sampling's view of one training example ({@code input} {@code rows × width}, {@code
     * target} {@code rows × horizon}; neither is modified): the last {@code k} input rows replaced
     * by the rows a forecast rollout from row {@code rows − k − 1} would feed (target column: last
     * real value plus this network's predicted changes so far; features held), and the one-step
     * targets of those rows re-based so that they still lead to the true next reading ({@code
     * target + real − fed}, clipped). Computed on the current weights without gradient. Returns
     * {@code {input', target'}}; only the first target column changes (the autoregressive head's).
     */
    float[][] feedOwnPredictions(float[] input, float[] target, int rows, int k) {
        checkOwner();
        if (!stateful() || k < 1 || k >= rows) {
            throw new IllegalArgumentException(
                    "cannot feed "
                            + k
                            + " own predictions into a window of "
                            + rows
                            + " rows of a "
                            + spec.cell().id()
                            + " network");
        }
        return stepped().feedOwnPredictions(input, target, rows, k);
    }

    /**
     * The serving path on the current parameters, (re)built from DL4J's param tables if they
     * changed.
     */
    private SteppedNetwork stepped() {
        if (stepped == null) {
            List<Map<String, INDArray>> layers = new ArrayList<>();
            for (int index : recurrentIndex) {
                layers.add(net.getLayer(index).paramTable());
            }
            stepped =
                    new SteppedNetwork(
                            spec, cell, layers, net.getLayer(net.getnLayers() - 1).paramTable());
        }
        return stepped;
    }

    /**
     * The network's output over whole windows (no stored state), {@code [n, outputs, rows]}
     * (outputs: the horizon, or 1 for the autoregressive decoder); for tests and checks.
     */
    public INDArray output(float[][] windows, int n, int rows) {
        checkOwner();
        return net.output(toNcw(windows, n, rows, spec.width()));
    }

    /**
     * One Adam step on a mini-batch (one per segment with truncated BPTT); returns the loss before
     * the update (NaN/Inf if it diverged). {@link #fitGradientNorm()} then tells how large the raw
     * gradient was.
     */
    public double fit(DataSet batch) {
        checkOwner();
        stepped = null;
        fitGradientNorm = 0;
        net.fit(batch);
        return net.score();
    }

    /**
     * L2 norm of the last {@link #fit}'s raw (unclipped) gradient; the largest if it made several
     * updates.
     */
    public double fitGradientNorm() {
        return fitGradientNorm;
    }

    /** Mean squared error on {@code data} without changing anything (DL4J's score). */
    public double loss(DataSet data) {
        checkOwner();
        return net.score(data, false);
    }

    /**
     * The same loss as {@link #loss(DataSet)} on {@code n} time-major windows ({@code inputs}
     * {@code rows × width}, {@code targets} {@code rows × horizon}): DL4J's MSE score, the squared
     * error summed over time steps and outputs, divided by the number of outputs and windows. A
     * stateful cell computes it on the direct steps, a fraction of what DL4J's layer-by-layer pass
     * costs; the bidirectional cell through DL4J.
     */
    public double loss(float[][] inputs, float[][] targets, int n, int rows) {
        checkOwner();
        if (!stateful()) {
            return loss(dataSet(inputs, targets, n, rows));
        }
        return stepped().loss(inputs, targets, n, rows);
    }

    /**
     * L2 norm of the raw (unclipped) gradient on {@code data}, to expose and to detect explosions.
     */
    public double gradientNorm(DataSet data) {
        checkOwner();
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        double norm = net.gradient().gradient().norm2Number().doubleValue();
        net.clear();
        return norm;
    }

    /**
     * Builds a DL4J data set from time-major samples: inputs {@code [rows][width]}, targets {@code
     * [rows][horizon]} (of which the autoregressive decoder learns the first column, the one-step
     * change).
     */
    public DataSet dataSet(float[][] inputs, float[][] targets, int n, int rows) {
        checkOwner();
        return new DataSet(
                toNcw(inputs, n, rows, spec.width(), spec.width()),
                toNcw(targets, n, rows, spec.horizon(), spec.outputs()));
    }

    /**
     * Fails unless called on the thread that created this network: ND4J arrays and DL4J networks
     * must not cross threads (see the class notes), and a wrong thread should be an exception,
     * never a native crash.
     */
    private void checkOwner() {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new IllegalStateException(
                    "a "
                            + spec.cell().id()
                            + " network created on thread '"
                            + owner.getName()
                            + "' was used on thread '"
                            + current.getName()
                            + "': ND4J objects are confined to their thread;"
                            + " hand parameters over as float[]");
        }
    }

    /** The underlying DL4J network, for gradient checks and tests in this package. */
    MultiLayerNetwork network() {
        checkOwner();
        return net;
    }

    /** The values of any array in row-major order. */
    private static float[] flat(INDArray a) {
        return a.dup('c').reshape(new long[] {a.length()}).toFloatVector();
    }

    /** Time-major per-sample arrays to DL4J's {@code [n, width, rows]}. */
    private static INDArray toNcw(float[][] samples, int n, int rows, int width) {
        return toNcw(samples, n, rows, width, width);
    }

    /**
     * The first {@code keep} of {@code width} values per step of time-major samples, as {@code [n,
     * keep, rows]}.
     */
    private static INDArray toNcw(float[][] samples, int n, int rows, int width, int keep) {
        float[] flat = new float[n * keep * rows];
        for (int i = 0; i < n; i++) {
            float[] s = samples[i];
            int base = i * keep * rows;
            for (int t = 0; t < rows; t++) {
                for (int f = 0; f < keep; f++) {
                    flat[base + f * rows + t] = s[t * width + f];
                }
            }
        }
        return Nd4j.create(flat, new long[] {n, keep, rows}, 'c');
    }
}

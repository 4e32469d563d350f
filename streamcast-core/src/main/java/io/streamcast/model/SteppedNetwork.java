package io.streamcast.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The serving path of a stateful {@link RecurrentNetwork}: a copy of its trained weights that
 * advances many series' states one reading at a time ({@link CellStep} per layer, then the dense
 * head) and rolls autoregressive forecasts forward on its own predictions. Built by the network
 * from its current parameters and confined, like it, to the network's thread.
 *
 * <p>Implementation notes: this runs the same math as DL4J's layers in plain Java (with one BLAS
 * product per layer for a batch), because a GRU (a SameDiff layer) cannot keep DL4J's rnnTimeStep
 * state and ND4J's per-op overhead dominates at these sizes anyway. A series' state is a flat float
 * array: per layer {@code stateVectors × hidden} floats (h, then c for the LSTM); layer l reads
 * layer l−1's new h from the same array.
 *
 * <p>Autoregressive decoder ({@code spec.decoder()}): the head has one output, the normalised
 * change to the next reading. {@link #step} and {@link #runWindows} still return {@code n ×
 * horizon} cumulative changes: after the real reading has advanced the series' states, copies of
 * those states are stepped {@code horizon − 1} more times (batched like the real step) on the
 * network's own predictions. The fed row's target column is the last real normalised value plus the
 * predicted change so far (clipped to ±{@link SeriesHistory#CLIP} like every input); its features
 * are held at their last known normalised values, because nothing forecasts them (persistence is
 * the natural guess for slowly moving covariates, and the same rows are what scheduled sampling
 * trains on, {@link #feedOwnPredictions}). A series' own state only ever sees real readings.
 */
final class SteppedNetwork {
    private final NetworkSpec spec;
    private final Cell cell;
    private final CellStep[] layers;
    private final DenseHead head;

    /** Scratch for the autoregressive head's single output. */
    private final float[] oneStep = new float[1];

    /**
     * From DL4J's param tables: {@code layerParams.get(l)} of recurrent layer l, {@code headParams}
     * of the output layer ({@code W}, {@code b}).
     */
    SteppedNetwork(
            NetworkSpec spec,
            Cell cell,
            List<Map<String, INDArray>> layerParams,
            Map<String, INDArray> headParams) {
        this.spec = spec;
        this.cell = cell;
        this.layers = new CellStep[spec.layers()];
        int nIn = spec.width();
        for (int l = 0; l < layers.length; l++) {
            layers[l] = cell.step(layerParams.get(l), nIn, spec.hidden());
            nIn = spec.hidden();
        }
        this.head = new DenseHead(headParams.get("W"), headParams.get("b"), nIn, spec.outputs());
    }

    /** As {@link RecurrentNetwork#step}. */
    float[] step(float[] inputs, float[][] states, int n) {
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = Arrays.copyOfRange(inputs, i * spec.width(), (i + 1) * spec.width());
        }
        advance(rows, 0, states, n);
        return forecasts(rows, 0, states, n);
    }

    /** As {@link RecurrentNetwork#runWindows} for a stateful cell. */
    float[] runWindows(float[][] windows, int rows, float[][] states, int n) {
        for (int i = 0; i < n; i++) {
            Arrays.fill(states[i], 0f);
        }
        for (int t = 0; t < rows; t++) {
            advance(windows, t * spec.width(), states, n);
        }
        return forecasts(windows, (rows - 1) * spec.width(), states, n);
    }

    /** As {@link RecurrentNetwork#feedOwnPredictions}; the caller checked {@code k}. */
    float[][] feedOwnPredictions(float[] input, float[] target, int rows, int k) {
        int w = spec.width();
        int h = spec.horizon();
        float[][] x = {input.clone()};
        float[] y = target.clone();
        float[][] state = {new float[spec.layers() * cell.stateVectors() * spec.hidden()]};
        int last = rows - k - 1; // the last real row
        for (int t = 0; t <= last; t++) {
            advance(x, t * w, state, 1);
        }
        head.apply(state[0], lastHiddenOffset(), oneStep, 0);
        double change = oneStep[0];
        for (int t = last + 1; t < rows; t++) {
            System.arraycopy(input, last * w, x[0], t * w, w);
            x[0][t * w] = SeriesHistory.clip(input[last * w] + change);
            y[t * h] = SeriesHistory.clip(target[t * h] + input[t * w] - x[0][t * w]);
            if (t < rows - 1) {
                advance(x, t * w, state, 1);
                head.apply(state[0], lastHiddenOffset(), oneStep, 0);
                change += oneStep[0];
            }
        }
        return new float[][] {x[0], y};
    }

    /** As {@link RecurrentNetwork#loss(float[][], float[][], int, int)} for a stateful cell. */
    double loss(float[][] inputs, float[][] targets, int n, int rows) {
        int outputs = spec.outputs();
        float[][] states = new float[n][spec.layers() * cell.stateVectors() * spec.hidden()];
        float[] out = new float[outputs];
        double sum = 0;
        for (int t = 0; t < rows; t++) {
            advance(inputs, t * spec.width(), states, n);
            for (int i = 0; i < n; i++) {
                head.apply(states[i], lastHiddenOffset(), out, 0);
                for (int k = 0; k < outputs; k++) {
                    double error = out[k] - targets[i][t * spec.horizon() + k];
                    sum += error * error;
                }
            }
        }
        return sum / outputs / n;
    }

    /**
     * One reading through all layers for n series: layer l reads layer l−1's new h from the same
     * state arrays.
     */
    private void advance(float[][] x, int xOff, float[][] states, int n) {
        int perLayer = cell.stateVectors() * spec.hidden();
        layers[0].advance(x, xOff, states, 0, n);
        for (int l = 1; l < layers.length; l++) {
            layers[l].advance(states, (l - 1) * perLayer, states, l * perLayer, n);
        }
    }

    /**
     * The {@code n × horizon} forecasts of series whose states have just advanced by the rows at
     * {@code x[i][xOff]}: the head's outputs (direct), or a rollout on the network's own
     * predictions from copies of the states (autoregressive).
     */
    private float[] forecasts(float[][] x, int xOff, float[][] states, int n) {
        int h = spec.horizon();
        float[] out = new float[n * h];
        if (!spec.autoregressive()) {
            for (int i = 0; i < n; i++) {
                head.apply(states[i], lastHiddenOffset(), out, i * h);
            }
            return out;
        }
        double[] change = new double[n];
        for (int i = 0; i < n; i++) {
            head.apply(states[i], lastHiddenOffset(), oneStep, 0);
            change[i] = oneStep[0];
            out[i * h] = oneStep[0];
        }
        if (h == 1) {
            return out;
        }
        float[][] rolled = new float[n][];
        float[][] fed = new float[n][];
        for (int i = 0; i < n; i++) {
            rolled[i] = states[i].clone();
            fed[i] = Arrays.copyOfRange(x[i], xOff, xOff + spec.width()); // features held
        }
        for (int k = 1; k < h; k++) {
            for (int i = 0; i < n; i++) {
                fed[i][0] = SeriesHistory.clip(x[i][xOff] + change[i]);
            }
            advance(fed, 0, rolled, n);
            for (int i = 0; i < n; i++) {
                head.apply(rolled[i], lastHiddenOffset(), oneStep, 0);
                change[i] += oneStep[0];
                out[i * h + k] = (float) change[i];
            }
        }
        return out;
    }

    private int lastHiddenOffset() {
        return (spec.layers() - 1) * cell.stateVectors() * spec.hidden();
    }

    /**
     * The RnnOutputLayer at one time step in plain Java: {@code y = h·W + b}, W {@code [nIn,
     * horizon]}.
     */
    private static final class DenseHead {
        private final float[] w; // [horizon][nIn], transposed
        private final float[] b;
        private final int nIn;
        private final int horizon;

        DenseHead(INDArray w, INDArray b, int nIn, int horizon) {
            this.w = CellStep.transposed(w, nIn, horizon);
            this.b = b.dup('c').reshape(b.length()).toFloatVector();
            this.nIn = nIn;
            this.horizon = horizon;
        }

        void apply(float[] h, int hOff, float[] out, int outOff) {
            for (int k = 0; k < horizon; k++) {
                double s = b[k];
                for (int j = 0; j < nIn; j++) {
                    s += (double) w[k * nIn + j] * h[hOff + j];
                }
                out[outOff + k] = (float) s;
            }
        }
    }
}

package io.streamcast.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One trained recurrent layer advanced by one reading in plain Java, on a copy of the layer's Deeplearning4j weights:
 * the serving path for stateful cells, where ND4J's per-op overhead would dominate. Not thread-safe (scratch space).
 *
 * <p>Implementation notes: DL4J stores input weights as {@code [nIn, G·hidden]} and recurrent weights as
 * {@code [hidden, G·hidden]} (G gate blocks side by side, each {@code hidden} wide); they are copied transposed, one
 * contiguous row per gate unit, so a unit's pre-activation is two dot products. Sums are accumulated in double and
 * the state is stored in float; the test against DL4J's own forward pass is {@code CellStepTest}.
 */
abstract class CellStep {
    final int nIn;
    final int hidden;
    /** {@code [G·hidden][nIn]}, row j = column j of DL4J's input weights. */
    final float[] wx;
    /** {@code [G·hidden][hidden]}, row j = column j of DL4J's recurrent weights. */
    final float[] wh;
    /** {@code [G·hidden]}. */
    final float[] b;
    /** Scratch: pre-activations of all gate units of one series. */
    final double[] pre;

    private CellStep(int nIn, int hidden, int gates, INDArray w, INDArray rw, INDArray bias) {
        this.nIn = nIn;
        this.hidden = hidden;
        this.wx = transposed(w, nIn, gates * hidden);
        this.wh = transposed(rw, hidden, gates * hidden);
        this.b = bias.dup('c').reshape(bias.length()).toFloatVector();
        if (b.length != gates * hidden) {
            throw new IllegalArgumentException("bias has " + b.length + " values, expected " + gates * hidden);
        }
        this.pre = new double[gates * hidden];
    }

    /**
     * Advances one series by one reading: {@code x[xOff .. xOff+nIn)} is the layer input, the layer's state lives at
     * {@code state[sOff ..]} (h, then c for the LSTM) and is updated in place; h' is left at {@code state[sOff ..
     * sOff+hidden)}, where the next layer and the head read it.
     */
    abstract void advance(float[] x, int xOff, float[] state, int sOff);

    /** {@code pre[j] = b[j] + x·wx[j] + h·wh[j]} for gate units {@code [from, to)}; h is read at {@code state[sOff]}. */
    final void preActivations(int from, int to, float[] x, int xOff, float[] h, int hOff) {
        for (int j = from; j < to; j++) {
            double s = b[j];
            int rx = j * nIn;
            for (int k = 0; k < nIn; k++) {
                s += (double) wx[rx + k] * x[xOff + k];
            }
            int rh = j * hidden;
            for (int k = 0; k < hidden; k++) {
                s += (double) wh[rh + k] * h[hOff + k];
            }
            pre[j] = s;
        }
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** A {@code [rows, cols]} DL4J matrix copied to a row-major {@code [cols][rows]} array. */
    static float[] transposed(INDArray m, int rows, int cols) {
        if (m.rank() != 2 || m.size(0) != rows || m.size(1) != cols) {
            throw new IllegalArgumentException("weights of shape " + java.util.Arrays.toString(m.shape())
                    + ", expected [" + rows + ", " + cols + "]");
        }
        float[][] a = m.toFloatMatrix();
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r][c];
            }
        }
        return t;
    }

    /** DL4J {@code SimpleRnn}: {@code h' = tanh(x·W + h·RW + b)}; params W {@code [nIn,H]}, RW {@code [H,H]}, b. */
    static CellStep rnn(Map<String, INDArray> p, int nIn, int hidden) {
        return new CellStep(nIn, hidden, 1, p.get("W"), p.get("RW"), p.get("b")) {
            @Override
            void advance(float[] x, int xOff, float[] state, int sOff) {
                preActivations(0, hidden, x, xOff, state, sOff);
                for (int j = 0; j < hidden; j++) {
                    state[sOff + j] = (float) Math.tanh(pre[j]);
                }
            }
        };
    }

    /**
     * DL4J {@code LSTM} without peepholes (LSTMHelpers): gate blocks in the order [block input a (tanh), forget f,
     * output o, input gate g] (sigmoid gates); {@code c' = f·c + g·a}, {@code h' = o·tanh(c')}.
     */
    static CellStep lstm(Map<String, INDArray> p, int nIn, int hidden) {
        return new CellStep(nIn, hidden, 4, p.get("W"), p.get("RW"), p.get("b")) {
            @Override
            void advance(float[] x, int xOff, float[] state, int sOff) {
                preActivations(0, 4 * hidden, x, xOff, state, sOff);
                int c = sOff + hidden;
                for (int j = 0; j < hidden; j++) {
                    double a = Math.tanh(pre[j]);
                    double f = sigmoid(pre[hidden + j]);
                    double o = sigmoid(pre[2 * hidden + j]);
                    double g = sigmoid(pre[3 * hidden + j]);
                    double cNew = f * state[c + j] + g * a;
                    state[c + j] = (float) cNew;
                    state[sOff + j] = (float) (o * Math.tanh(cNew));
                }
            }
        };
    }

    /**
     * {@link GruLayer}: gate blocks [reset r, update u, candidate]; {@code r, u = sigmoid(x·Wx + h·Wh + b)},
     * {@code ĉ = tanh(x·Wxc + bc + r∘(h·Whc))} (the reset gate scales the recurrent product, the variant libnd4j's
     * {@code gru} op computes in M2.1 although its comments write {@code (r∘h)·Whc}), {@code h' = u∘h + (1−u)∘ĉ}.
     */
    static CellStep gru(Map<String, INDArray> p, int nIn, int hidden) {
        return new CellStep(nIn, hidden, 3, p.get(GruLayer.WX), p.get(GruLayer.WH), p.get(GruLayer.B)) {
            @Override
            void advance(float[] x, int xOff, float[] state, int sOff) {
                preActivations(0, 2 * hidden, x, xOff, state, sOff);
                for (int j = 0; j < hidden; j++) {
                    int g = 2 * hidden + j;
                    double xs = b[g];
                    for (int k = 0; k < nIn; k++) {
                        xs += (double) wx[g * nIn + k] * x[xOff + k];
                    }
                    double hs = 0;
                    for (int k = 0; k < hidden; k++) {
                        hs += (double) wh[g * hidden + k] * state[sOff + k];
                    }
                    pre[g] = xs + sigmoid(pre[j]) * hs;
                }
                for (int j = 0; j < hidden; j++) {
                    double u = sigmoid(pre[hidden + j]);
                    double cand = Math.tanh(pre[2 * hidden + j]);
                    state[sOff + j] = (float) (u * state[sOff + j] + (1 - u) * cand);
                }
            }
        };
    }
}

package io.streamcast.model;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One trained recurrent layer advanced by one reading, on a copy of the layer's Deeplearning4j weights: the serving
 * path for stateful cells, where DL4J's own per-step ops would dominate. Batches of series take two BLAS matrix
 * products (inputs and recurrent states against the weights); a few series are done in plain Java, where the BLAS
 * call overhead would dominate instead. Not thread-safe (scratch space).
 *
 * <p>Implementation notes: both paths compute the input part {@code x·Wx} and the recurrent part {@code h·Wh} of
 * every gate unit, then the same {@link #activate} turns them into the new state, so they differ only in summation
 * order. Weights keep DL4J's layout: {@code Wx [nIn, G·hidden]}, {@code Wh [hidden, G·hidden]}, G gate blocks side
 * by side, each {@code hidden} wide. The gate nonlinearities use {@link #exp}, since on JDK 17 {@code Math.tanh} has
 * no intrinsic and cost more than the multiply-adds. The test against DL4J's forward pass is {@code CellStepTest}.
 */
abstract class CellStep {
    /** Below this many series a batch is stepped in plain Java: a BLAS call costs tens of microseconds. */
    static final int BLAS_FROM = 24;

    final int nIn;
    final int hidden;
    /** Gate units, {@code G·hidden}: the row length of both weight matrices. */
    final int units;
    /** {@code [nIn][G·hidden]}, DL4J's input weights. */
    final float[] wx;
    /** {@code [hidden][G·hidden]}, DL4J's recurrent weights. */
    final float[] wh;
    /** {@code [G·hidden]}. */
    final float[] b;
    private final INDArray wxMatrix;
    private final INDArray whMatrix;
    /** Scratch for one series: input and recurrent parts of every gate unit. */
    private final float[] px;
    private final float[] ph;

    private CellStep(int nIn, int hidden, int gates, INDArray w, INDArray rw, INDArray bias) {
        this.nIn = nIn;
        this.hidden = hidden;
        this.units = gates * hidden;
        this.wx = rowMajor(w, nIn, units);
        this.wh = rowMajor(rw, hidden, units);
        this.b = bias.dup('c').reshape(bias.length()).toFloatVector();
        if (b.length != units) {
            throw new IllegalArgumentException("bias has " + b.length + " values, expected " + units);
        }
        this.wxMatrix = Nd4j.create(wx, new long[] {nIn, units}, 'c');
        this.whMatrix = Nd4j.create(wh, new long[] {hidden, units}, 'c');
        this.px = new float[units];
        this.ph = new float[units];
    }

    /**
     * Turns one series' input part {@code px[pxOff ..]} and recurrent part {@code ph[phOff ..]} (both
     * {@code G·hidden}, bias not yet added) into its new state at {@code state[sOff ..]} (h, then c for the LSTM),
     * which also holds the old state on entry.
     */
    abstract void activate(float[] px, int pxOff, float[] ph, int phOff, float[] state, int sOff);

    /**
     * Advances one series by one reading: {@code x[xOff .. xOff+nIn)} is the layer input, the layer's state lives at
     * {@code state[sOff ..]} and is updated in place; h' is left at {@code state[sOff .. sOff+hidden)}, where the
     * next layer and the head read it.
     */
    final void advance(float[] x, int xOff, float[] state, int sOff) {
        java.util.Arrays.fill(px, 0f);
        java.util.Arrays.fill(ph, 0f);
        accumulate(px, wx, x, xOff, nIn);
        accumulate(ph, wh, state, sOff, hidden);
        activate(px, 0, ph, 0, state, sOff);
    }

    /**
     * Advances {@code n} series by one reading each: series i's layer input is {@code inputs[i][xOff ..]} and its
     * state {@code states[i][sOff ..]}, as in {@link #advance}.
     */
    final void advance(float[][] inputs, int xOff, float[][] states, int sOff, int n) {
        if (n < BLAS_FROM) {
            for (int i = 0; i < n; i++) {
                advance(inputs[i], xOff, states[i], sOff);
            }
            return;
        }
        float[] x = new float[n * nIn];
        float[] h = new float[n * hidden];
        for (int i = 0; i < n; i++) {
            System.arraycopy(inputs[i], xOff, x, i * nIn, nIn);
            System.arraycopy(states[i], sOff, h, i * hidden, hidden);
        }
        float[] allPx = product(x, n, nIn, wxMatrix);
        float[] allPh = product(h, n, hidden, whMatrix);
        for (int i = 0; i < n; i++) {
            activate(allPx, i * units, allPh, i * units, states[i], sOff);
        }
    }

    /** The row-major {@code [n, units]} product of the row-major {@code [n, k]} matrix {@code a} and {@code w}. */
    private float[] product(float[] a, int n, int k, INDArray w) {
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {n, units}, 'c');
        Nd4j.gemm(Nd4j.create(a, new long[] {n, k}, 'c'), w, out, false, false, 1.0, 0.0);
        return out.data().asFloat();
    }

    /** {@code out[j] += Σ_k v[vOff + k] · w[k·units + j]}, one contiguous weight row at a time. */
    private void accumulate(float[] out, float[] w, float[] v, int vOff, int rows) {
        for (int k = 0; k < rows; k++) {
            float a = v[vOff + k];
            int row = k * units;
            for (int j = 0; j < units; j++) {
                out[j] += a * w[row + j];
            }
        }
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + exp(-z));
    }

    static double tanh(double z) {
        return 1.0 - 2.0 / (1.0 + exp(2 * z));
    }

    /**
     * {@code e^z} to a relative error below 1e-8, far inside float precision: {@code 2^n · 2^f} with n the nearest
     * integer to {@code z·log2(e)} and {@code 2^f}, {@code |f| ≤ 1/2}, from its degree-7 Taylor polynomial. The
     * gate nonlinearities call it five times per LSTM unit, and {@code Math.exp} and {@code Math.tanh} (no intrinsic
     * on JDK 17) cost more than all of a step's multiply-adds.
     */
    static double exp(double z) {
        double t = Math.max(-700.0, Math.min(700.0, z)) * 1.4426950408889634;
        double n = Math.rint(t);
        double f = (t - n) * 0.6931471805599453;
        double p = 1.0 + f * (1.0 + f * (1.0 / 2 + f * (1.0 / 6 + f * (1.0 / 24 + f * (1.0 / 120
                + f * (1.0 / 720 + f * (1.0 / 5040)))))));
        return p * Double.longBitsToDouble(((long) n + 1023L) << 52);
    }

    /** A {@code [rows, cols]} DL4J matrix copied to a row-major {@code [rows][cols]} array. */
    static float[] rowMajor(INDArray m, int rows, int cols) {
        checkShape(m, rows, cols);
        return m.dup('c').reshape((long) rows * cols).toFloatVector();
    }

    private static void checkShape(INDArray m, int rows, int cols) {
        if (m.rank() != 2 || m.size(0) != rows || m.size(1) != cols) {
            throw new IllegalArgumentException("weights of shape " + java.util.Arrays.toString(m.shape())
                    + ", expected [" + rows + ", " + cols + "]");
        }
    }

    /** A {@code [rows, cols]} DL4J matrix copied to a row-major {@code [cols][rows]} array. */
    static float[] transposed(INDArray m, int rows, int cols) {
        checkShape(m, rows, cols);
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
            void activate(float[] px, int pxOff, float[] ph, int phOff, float[] state, int sOff) {
                for (int j = 0; j < hidden; j++) {
                    state[sOff + j] = (float) tanh((double) px[pxOff + j] + ph[phOff + j] + b[j]);
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
            void activate(float[] px, int pxOff, float[] ph, int phOff, float[] state, int sOff) {
                int c = sOff + hidden;
                for (int j = 0; j < hidden; j++) {
                    double a = tanh(pre(px, pxOff, ph, phOff, j));
                    double f = sigmoid(pre(px, pxOff, ph, phOff, hidden + j));
                    double o = sigmoid(pre(px, pxOff, ph, phOff, 2 * hidden + j));
                    double g = sigmoid(pre(px, pxOff, ph, phOff, 3 * hidden + j));
                    double cNew = f * state[c + j] + g * a;
                    state[c + j] = (float) cNew;
                    state[sOff + j] = (float) (o * tanh(cNew));
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
            void activate(float[] px, int pxOff, float[] ph, int phOff, float[] state, int sOff) {
                int cand = 2 * hidden;
                for (int j = 0; j < hidden; j++) {
                    double r = sigmoid(pre(px, pxOff, ph, phOff, j));
                    double u = sigmoid(pre(px, pxOff, ph, phOff, hidden + j));
                    double c = tanh((double) px[pxOff + cand + j] + b[cand + j] + r * ph[phOff + cand + j]);
                    state[sOff + j] = (float) (u * state[sOff + j] + (1 - u) * c);
                }
            }
        };
    }

    /** Gate unit j's full pre-activation: input part, recurrent part and bias. */
    final double pre(float[] px, int pxOff, float[] ph, int phOff, int j) {
        return (double) px[pxOff + j] + ph[phOff + j] + b[j];
    }
}

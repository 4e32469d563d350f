package io.streamcast.model;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One trained recurrent layer advanced by one reading, on a copy of the layer's Deeplearning4j
 * weights: the serving path for stateful cells, where DL4J's own per-step ops would dominate. A
 * batch of series takes one BLAS matrix product; a few series are done in plain Java, where the
 * BLAS call overhead would dominate instead. Not thread-safe (scratch space, and an ND4J matrix):
 * confined, like the {@link RecurrentNetwork} that builds it, to one thread.
 *
 * <p>Implementation notes: every cell's pre-activations are one product {@code [x, h, 1] · F} with
 * a fused matrix {@code F} built from DL4J's {@code Wx [nIn, G·hidden]}, {@code Wh [hidden,
 * G·hidden]} and bias (input rows, recurrent rows, bias row); sigmoid columns are pre-scaled by ½
 * (exact in binary floating point), because {@code sigmoid(z) = ½ + ½·tanh(z/2)} lets one {@link
 * #tanh} loop serve every gate. That loop is a clamped rational approximation (absolute error below
 * 4e-7) written so that HotSpot's auto-vectoriser turns it into SIMD code: on JDK 17 {@code
 * Math.tanh} and {@code Math.exp} have no vector form and cost more than all the multiply-adds. The
 * gate loops are kept simple (one index, contiguous arrays) for the same reason. The test against
 * DL4J's forward pass is {@code CellStepTest}.
 */
abstract class CellStep {
    /**
     * Below this many series a batch is stepped in plain Java: a BLAS call costs tens of
     * microseconds.
     */
    static final int BLAS_FROM = 24;

    /** Beyond ±this, the rational approximation is clamped: tanh(7.905) is 1 to within 3e-7. */
    private static final float TANH_CLAMP = 7.90531110763549805f;

    final int nIn;
    final int hidden;

    /**
     * Rows of the fused matrix: the layer input, the recurrent state and a constant 1 for the bias.
     */
    private final int rows;

    /** Columns of the fused matrix: the pre-activation values of one series. */
    final int cols;

    /** {@code [rows][cols]} row-major, the fused matrix {@code F}. */
    private final float[] fused;

    private final INDArray fusedMatrix;

    /** Scratch of {@code hidden} floats for the gate arithmetic of one series. */
    final float[] scratch;

    private CellStep(int nIn, int hidden, int cols, float[] fused) {
        this.nIn = nIn;
        this.hidden = hidden;
        this.rows = nIn + hidden + 1;
        this.cols = cols;
        this.fused = fused;
        this.fusedMatrix = Nd4j.create(fused, new long[] {rows, cols}, 'c');
        this.scratch = new float[hidden];
    }

    /**
     * Turns {@code n} series' pre-activations ({@code z}, {@code n × cols}, overwritten) into their
     * new states at {@code states[i][sOff ..]} (h, then c for the LSTM), which also hold the old
     * states on entry.
     */
    abstract void activate(float[] z, int n, float[][] states, int sOff);

    /**
     * Advances {@code n} series by one reading each: series i's layer input is {@code
     * inputs[i][xOff .. xOff+nIn)} and its state {@code states[i][sOff ..]}, updated in place; h'
     * is left at {@code states[i][sOff .. sOff+hidden)}, where the next layer and the head read it.
     */
    final void advance(float[][] inputs, int xOff, float[][] states, int sOff, int n) {
        float[] a = new float[n * rows];
        for (int i = 0; i < n; i++) {
            System.arraycopy(inputs[i], xOff, a, i * rows, nIn);
            System.arraycopy(states[i], sOff, a, i * rows + nIn, hidden);
            a[i * rows + rows - 1] = 1f;
        }
        float[] z = n < BLAS_FROM ? productInJava(a, n) : productInBlas(a, n);
        activate(z, n, states, sOff);
    }

    private float[] productInBlas(float[] a, int n) {
        INDArray left = Nd4j.create(a, new long[] {n, rows}, 'c');
        INDArray out = Nd4j.create(DataType.FLOAT, new long[] {n, cols}, 'c');
        try {
            Nd4j.gemm(left, fusedMatrix, out, false, false, 1.0, 0.0);
            return out.data().asFloat();
        } finally {
            // ND4J frees a buffer once its Java array is unreachable, and the JIT may consider an
            // argument dead as soon as its pointer is taken: keep every operand reachable until the
            // native product has returned.
            Reference.reachabilityFence(left);
            Reference.reachabilityFence(out);
            Reference.reachabilityFence(fusedMatrix);
        }
    }

    /**
     * {@code z[i] = Σ_k a[i][k] · F[k]}, one contiguous row of {@code F} at a time (a vectorisable
     * inner loop).
     */
    private float[] productInJava(float[] a, int n) {
        float[] z = new float[n * cols];
        for (int i = 0; i < n; i++) {
            int out = i * cols;
            for (int k = 0; k < rows; k++) {
                float v = a[i * rows + k];
                if (v == 0f) {
                    continue;
                }
                int row = k * cols;
                for (int j = 0; j < cols; j++) {
                    z[out + j] += v * fused[row + j];
                }
            }
        }
        return z;
    }

    /**
     * {@code z[k] = tanh(z[k])} for {@code from <= k < to}, to an absolute error below 4e-7:
     * Eigen's rational approximation (odd degree-13 numerator, even degree-6 denominator) on the
     * input clamped to ±7.905.
     */
    static void tanh(float[] z, int from, int to) {
        for (int k = from; k < to; k++) {
            float x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, z[k]));
            float x2 = x * x;
            float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
            p = x2 * p + -8.60467152213735e-11f;
            p = x2 * p + 5.12229709037114e-08f;
            p = x2 * p + 1.48572235717979e-05f;
            p = x2 * p + 6.37261928875436e-04f;
            p = x2 * p + 4.89352455891786e-03f;
            float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
            q = x2 * q + 2.26843463243900e-03f;
            q = x2 * q + 4.89352518554385e-03f;
            z[k] = x * p / q;
        }
    }

    /**
     * The fused matrix for cells whose every gate unit sums its input and recurrent parts: {@code
     * [Wx; Wh; b]}, with the columns from {@code sigmoidFrom} on halved (they feed sigmoids through
     * {@link #tanh}).
     */
    private static float[] fuse(
            INDArray w,
            INDArray rw,
            INDArray bias,
            int nIn,
            int hidden,
            int units,
            int sigmoidFrom) {
        float[] f = new float[(nIn + hidden + 1) * units];
        System.arraycopy(rowMajor(w, nIn, units), 0, f, 0, nIn * units);
        System.arraycopy(rowMajor(rw, hidden, units), 0, f, nIn * units, hidden * units);
        System.arraycopy(biasVector(bias, units), 0, f, (nIn + hidden) * units, units);
        for (int r = 0; r < nIn + hidden + 1; r++) {
            for (int j = sigmoidFrom; j < units; j++) {
                f[r * units + j] *= 0.5f;
            }
        }
        return f;
    }

    private static float[] biasVector(INDArray bias, int units) {
        float[] b = bias.dup('c').reshape(bias.length()).toFloatVector();
        if (b.length != units) {
            throw new IllegalArgumentException(
                    "bias has " + b.length + " values, expected " + units);
        }
        return b;
    }

    /** A {@code [rows, cols]} DL4J matrix copied to a row-major {@code [rows][cols]} array. */
    static float[] rowMajor(INDArray m, int rows, int cols) {
        checkShape(m, rows, cols);
        return m.dup('c').reshape((long) rows * cols).toFloatVector();
    }

    private static void checkShape(INDArray m, int rows, int cols) {
        if (m.rank() != 2 || m.size(0) != rows || m.size(1) != cols) {
            throw new IllegalArgumentException(
                    "weights of shape "
                            + Arrays.toString(m.shape())
                            + ", expected ["
                            + rows
                            + ", "
                            + cols
                            + "]");
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

    /**
     * DL4J {@code SimpleRnn}: {@code h' = tanh(x·W + h·RW + b)}; params W {@code [nIn,H]}, RW
     * {@code [H,H]}, b.
     */
    static CellStep rnn(Map<String, INDArray> p, int nIn, int hidden) {
        return new CellStep(
                nIn,
                hidden,
                hidden,
                fuse(p.get("W"), p.get("RW"), p.get("b"), nIn, hidden, hidden, hidden)) {
            @Override
            void activate(float[] z, int n, float[][] states, int sOff) {
                tanh(z, 0, n * hidden);
                for (int i = 0; i < n; i++) {
                    System.arraycopy(z, i * hidden, states[i], sOff, hidden);
                }
            }
        };
    }

    /**
     * DL4J {@code LSTM} without peepholes (LSTMHelpers): gate blocks in the order [block input a
     * (tanh), forget f, output o, input gate g] (sigmoid gates); {@code c' = f·c + g·a}, {@code h'
     * = o·tanh(c')}.
     */
    static CellStep lstm(Map<String, INDArray> p, int nIn, int hidden) {
        int units = 4 * hidden;
        return new CellStep(
                nIn,
                hidden,
                units,
                fuse(p.get("W"), p.get("RW"), p.get("b"), nIn, hidden, units, hidden)) {
            @Override
            void activate(float[] z, int n, float[][] states, int sOff) {
                tanh(z, 0, n * units);
                float[] c = scratch;
                for (int i = 0; i < n; i++) {
                    float[] s = states[i];
                    int a = i * units;
                    int f = a + hidden;
                    int o = f + hidden;
                    int g = o + hidden;
                    for (int j = 0; j < hidden; j++) {
                        c[j] =
                                (0.5f + 0.5f * z[f + j]) * s[sOff + hidden + j]
                                        + (0.5f + 0.5f * z[g + j]) * z[a + j];
                    }
                    System.arraycopy(c, 0, s, sOff + hidden, hidden);
                    tanh(c, 0, hidden);
                    for (int j = 0; j < hidden; j++) {
                        s[sOff + j] = (0.5f + 0.5f * z[o + j]) * c[j];
                    }
                }
            }
        };
    }

    /**
     * {@link GruLayer}: gate blocks [reset r, update u, candidate]; {@code r, u = sigmoid(x·Wx +
     * h·Wh + b)}, {@code ĉ = tanh(x·Wxc + bc + r∘(h·Whc))} (the reset gate scales the recurrent
     * product, the variant libnd4j's {@code gru} op computes in M2.1 although its comments write
     * {@code (r∘h)·Whc}), {@code h' = u∘h + (1−u)∘ĉ}. The candidate's input and recurrent parts
     * stay apart in the fused product: columns {@code [r, u, x·Wxc + bc, h·Whc]}.
     */
    static CellStep gru(Map<String, INDArray> p, int nIn, int hidden) {
        int gates = 2 * hidden;
        int cols = 4 * hidden;
        float[] wx = rowMajor(p.get(GruLayer.WX), nIn, 3 * hidden);
        float[] wh = rowMajor(p.get(GruLayer.WH), hidden, 3 * hidden);
        float[] b = biasVector(p.get(GruLayer.B), 3 * hidden);
        float[] f = new float[(nIn + hidden + 1) * cols];
        for (int r = 0; r < nIn + hidden + 1; r++) {
            float[] src = r < nIn ? wx : r < nIn + hidden ? wh : b;
            int from = (r < nIn ? r : r < nIn + hidden ? r - nIn : 0) * 3 * hidden;
            int to = r * cols;
            for (int j = 0; j < gates; j++) {
                f[to + j] = 0.5f * src[from + j];
            }
            // Input rows and the bias row feed the candidate's input part, recurrent rows its
            // recurrent part.
            int candidate = r < nIn || r == nIn + hidden ? gates : gates + hidden;
            System.arraycopy(src, from + gates, f, to + candidate, hidden);
        }
        return new CellStep(nIn, hidden, cols, f) {
            @Override
            void activate(float[] z, int n, float[][] states, int sOff) {
                float[] c = scratch;
                for (int i = 0; i < n; i++) {
                    float[] s = states[i];
                    int r = i * cols;
                    int u = r + hidden;
                    int cx = u + hidden;
                    int ch = cx + hidden;
                    tanh(z, r, cx);
                    for (int j = 0; j < hidden; j++) {
                        c[j] = z[cx + j] + (0.5f + 0.5f * z[r + j]) * z[ch + j];
                    }
                    tanh(c, 0, hidden);
                    for (int j = 0; j < hidden; j++) {
                        float update = 0.5f + 0.5f * z[u + j];
                        s[sOff + j] = update * s[sOff + j] + (1f - update) * c[j];
                    }
                }
            }
        };
    }
}

package io.streamcast.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A GRU layer for Deeplearning4j networks (M2.1 has none): a {@link SameDiffLayer} whose forward
 * pass is the GRU written in SameDiff ops, so its gradients come from SameDiff and it trains with
 * the network's updater and clipping.
 *
 * <p>Implementation notes: parameters are {@code Wx [nIn, 3H]}, {@code Wh [H, 3H]}, {@code b [1,
 * 3H]} with gate blocks [reset, update, candidate]; the step formula (reset gate applied to the
 * recurrent product, as libnd4j's {@code gru} op computes it) is on {@link CellStep#gru}. libnd4j's
 * fused {@code gru} op was tried first: its forward pass matches that formula, but in M2.1 its
 * backward pass failed the gradient check (analytic gradients about twice the numerical ones, some
 * with the wrong sign; the factor two is the SameDiffLayer bug described below, the signs are not),
 * so the recurrence is unrolled over time in plain mmul/sigmoid/tanh ops instead. Consequence: DL4J
 * builds the graph for the sequence length of the first input it sees, so one network instance must
 * always be fed the same window length (training and checks do; serving uses {@link CellStep}, any
 * length). The sequence starts from a zero state. Weights are Xavier-initialised per gate block;
 * biases start at zero. Masks are not supported (the job has none).
 *
 * <p>Gradient scale: in M2.1 every {@code SameDiffLayer} returns twice the true gradient (for its
 * parameters and for the error it passes down), whatever its graph. DL4J hands the layer's output
 * error to SameDiff through an {@code ExternalErrorsFunction} whose gradient placeholder is named
 * like the output's own gradient variable ({@code <output>-grad}); SameDiff's gradient function
 * then accumulates that variable with itself ({@code add(<output>-grad, <output>-grad)}) before
 * back-propagating it. The layer instance built here ({@link Impl}) finds that self-sum in the
 * gradient function once and feeds it the error divided by the number of times it is summed, which
 * is exact (a power-of-two scale) and a no-op on a DL4J that does not have the bug. {@code
 * GradientCheckTest} shows the bug on a bare SameDiff graph and checks the corrected gradients
 * against finite differences.
 */
public class GruLayer extends SameDiffLayer {
    static final String WX = "Wx";
    static final String WH = "Wh";
    static final String B = "b";

    private int nIn;
    private int hidden;

    /** For Jackson/serialisation of network configurations. */
    public GruLayer() {}

    public GruLayer(int nIn, int hidden) {
        this.nIn = nIn;
        this.hidden = hidden;
    }

    public int getNIn() {
        return nIn;
    }

    public void setNIn(int nIn) {
        this.nIn = nIn;
    }

    public int getHidden() {
        return hidden;
    }

    public void setHidden(int hidden) {
        this.hidden = hidden;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam(WX, nIn, 3L * hidden);
        params.addWeightParam(WH, hidden, 3L * hidden);
        params.addBiasParam(B, 1, 3L * hidden);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                INDArray p = e.getValue();
                if (e.getKey().equals(B)) {
                    p.assign(0);
                    continue;
                }
                long fanIn = p.size(0);
                for (int g = 0; g < 3; g++) {
                    INDArray block = Nd4j.create(p.dataType(), fanIn, hidden);
                    new WeightInitXavier().init(fanIn, hidden, block.shape(), 'c', block);
                    p.get(
                                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                    org.nd4j.linalg.indexing.NDArrayIndex.interval(
                                            (long) g * hidden, (long) (g + 1) * hidden))
                            .assign(block);
                }
            }
        }
    }

    @Override
    public SDVariable defineLayer(
            SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long steps = input.getShape()[2]; // input [batch, nIn, T]; DL4J fixes T at the first call
        SDVariable wx = params.get(WX);
        SDVariable wh = params.get(WH);
        SDVariable bias = params.get(B);
        SDVariable h =
                sd.fill(
                        sd.stack(
                                0,
                                sd.sizeAt(input, 0).castTo(DataType.LONG),
                                sd.constant(Nd4j.scalar(DataType.LONG, hidden))),
                        input.dataType(),
                        0.0); // [batch, H]
        SDVariable[] out = new SDVariable[(int) steps];
        for (int t = 0; t < steps; t++) {
            SDVariable x =
                    input.get(SDIndex.all(), SDIndex.all(), SDIndex.point(t)); // [batch, nIn]
            SDVariable zx = x.mmul(wx).add(bias); // [batch, 3H]
            SDVariable zh = h.mmul(wh); // [batch, 3H]
            SDVariable r = sd.nn().sigmoid(block(zx, 0).add(block(zh, 0)));
            SDVariable u = sd.nn().sigmoid(block(zx, 1).add(block(zh, 1)));
            SDVariable c = sd.math().tanh(block(zx, 2).add(r.mul(block(zh, 2))));
            h = c.add(u.mul(h.sub(c))); // u∘h + (1−u)∘ĉ
            out[t] = h;
        }
        return sd.stack(2, out); // [batch, H, T]
    }

    /** Gate block g ({@code [batch, H]}) of a {@code [batch, 3H]} pre-activation. */
    private SDVariable block(SDVariable z, int g) {
        return z.get(SDIndex.all(), SDIndex.interval((long) g * hidden, (long) (g + 1) * hidden));
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        // As SameDiffLayer.instantiate, with the gradient-scale correction of Impl.
        Impl layer = new Impl(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /**
     * DL4J's SameDiff layer with the M2.1 double-counting of the output error undone (see the class
     * comment).
     */
    static final class Impl extends org.deeplearning4j.nn.layers.samediff.SameDiffLayer {
        /**
         * How many times the gradient function sums the external error with itself; 0 until
         * inspected.
         */
        private int errorCopies;

        Impl(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(
                INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (errorCopies == 0) {
                try (var ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    if (sameDiff == null) {
                        doInit();
                    }
                    if (!sameDiff.hasGradientFunction()) {
                        sameDiff.createGradFunction(
                                INPUT_KEY); // what the superclass would do on its first call
                    }
                }
                errorCopies =
                        selfSumCount(sameDiff.getFunction("grad"), fn.getGradPlaceholderName());
            }
            // Back-propagation is linear in the error, and dividing by 2 is exact.
            return super.backpropGradient(
                    errorCopies == 1 ? epsilon : epsilon.div(errorCopies), workspaceMgr);
        }

        /**
         * The number of inputs of an add op that sums {@code name} with itself only, or 1 if there
         * is none.
         */
        static int selfSumCount(SameDiff gradFunction, String name) {
            for (SameDiffOp op : gradFunction.getOps().values()) {
                List<String> inputs = op.getInputsToOp();
                if (op.getOp() instanceof AddOp
                        && inputs != null
                        && inputs.size() > 1
                        && inputs.stream().allMatch(name::equals)) {
                    return inputs.size();
                }
            }
            return 1;
        }
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.recurrent(hidden);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (nIn <= 0 || override) {
            nIn = (int) ((InputType.InputTypeRecurrent) inputType).getSize();
        }
    }
}

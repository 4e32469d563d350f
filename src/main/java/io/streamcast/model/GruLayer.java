package io.streamcast.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A GRU layer for Deeplearning4j networks (M2.1 has none): a {@link SameDiffLayer} whose forward pass is the GRU
 * written in SameDiff ops, so its gradients come from SameDiff and it trains with the network's updater and clipping.
 *
 * <p>Implementation notes: parameters are {@code Wx [nIn, 3H]}, {@code Wh [H, 3H]}, {@code b [1, 3H]} with gate blocks
 * [reset, update, candidate]; the step formula (reset gate applied to the recurrent product, as libnd4j's {@code gru}
 * op computes it) is on {@link CellStep#gru}. libnd4j's fused {@code gru} op was tried first: its forward pass matches
 * that formula, but in M2.1 its backward pass failed the gradient check (analytic gradients about twice the numerical
 * ones, some with the wrong sign), so the recurrence is unrolled over time in plain mmul/sigmoid/tanh ops instead.
 * Consequence: DL4J builds the graph for the sequence length of the first input it sees, so one network instance must
 * always be fed the same window length (training and checks do; serving uses {@link CellStep}, any length). The
 * sequence starts from a zero state. Weights are Xavier-initialised per gate block; biases start at zero. Masks are
 * not supported (the job has none).
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
                    p.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval((long) g * hidden, (long) (g + 1) * hidden))
                            .assign(block);
                }
            }
        }
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long steps = input.getShape()[2]; // input [batch, nIn, T]; DL4J fixes T at the first call
        SDVariable wx = params.get(WX);
        SDVariable wh = params.get(WH);
        SDVariable bias = params.get(B);
        SDVariable h = sd.fill(sd.stack(0, sd.sizeAt(input, 0).castTo(DataType.LONG),
                sd.constant(Nd4j.scalar(DataType.LONG, hidden))), input.dataType(), 0.0); // [batch, H]
        SDVariable[] out = new SDVariable[(int) steps];
        for (int t = 0; t < steps; t++) {
            SDVariable x = input.get(SDIndex.all(), SDIndex.all(), SDIndex.point(t)); // [batch, nIn]
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

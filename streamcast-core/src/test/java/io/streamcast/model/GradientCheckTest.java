package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.util.SameDiffUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.ExternalErrorsFunction;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** Analytic gradients match finite differences in double precision. */
@Tag("slow")
class GradientCheckTest {
    private static DataType savedDefault;
    private static DataType savedFloatingPoint;

    /**
     * GradientCheckUtil insists on ND4J's global default being double; restored for the other tests
     * in this JVM.
     */
    @BeforeAll
    static void doublePrecision() {
        savedDefault = Nd4j.dataType();
        savedFloatingPoint = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Configurator.setLevel(
                "org.deeplearning4j.gradientcheck", Level.INFO); // prints each failing parameter
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloatingPoint);
        Configurator.setLevel("org.deeplearning4j.gradientcheck", Level.WARN);
    }

    @ParameterizedTest(name = "{0} layers={1} width={2}")
    @CsvSource({
        "rnn, 1, 2", "rnn, 2, 3",
        "lstm, 1, 2", "lstm, 2, 3",
        "bilstm, 1, 2", "bilstm, 2, 3",
    })
    void analyticGradientsMatchFiniteDifferences(String cell, int layers, int width) {
        assertTrue(check(cell, layers, width), cell + " failed the gradient check");
    }

    /**
     * The GRU is a SameDiff layer: this passes only because {@link GruLayer.Impl} undoes DL4J
     * M2.1's double counting of a SameDiff layer's output error ({@link
     * #sameDiffSumsAnExternalErrorWithItself}).
     */
    @ParameterizedTest(name = "{0} layers={1} width={2}")
    @CsvSource({"gru, 1, 2", "gru, 2, 3"})
    void gruGradientsThroughTheSameDiffLayer(String cell, int layers, int width) {
        assertTrue(check(cell, layers, width), cell + " failed the gradient check");
    }

    /**
     * The root cause of the factor two, on a bare SameDiff graph without DL4J: the error that
     * DL4J's SameDiffLayer feeds in through an {@code ExternalErrorsFunction} reaches the
     * parameters twice, because the gradient function adds the error placeholder ({@code
     * <output>-grad}) to itself. If a DL4J upgrade fixes this, this test fails and {@link
     * GruLayer.Impl}'s correction has become a no-op (it divides by the self-sum count it finds,
     * then 1).
     */
    @Test
    void sameDiffSumsAnExternalErrorWithItself() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.DOUBLE, -1, 2);
        SDVariable w = sd.var("w", Nd4j.createFromArray(new double[][] {{0.5, 1.5}}));
        SDVariable out = sd.math().tanh(in.mul(w)); // [1, 2]
        ExternalErrorsFunction fn = SameDiffUtils.externalErrors(sd, null, out);
        sd.createGradFunction("input");
        INDArray x = Nd4j.createFromArray(new double[][] {{1.0, 2.0}});
        INDArray error = Nd4j.createFromArray(new double[][] {{1.0, 1.0}});
        INDArray dw =
                sd.calculateGradients(
                                Map.of("input", x, fn.getGradPlaceholderName(), error),
                                List.of("w"))
                        .get("w");
        for (int j = 0; j < 2; j++) {
            double z = w.getArr().getDouble(0, j) * x.getDouble(0, j);
            double exact =
                    (1 - Math.tanh(z) * Math.tanh(z))
                            * x.getDouble(0, j); // d tanh(w·x)/dw × error 1
            assertEquals(2 * exact, dw.getDouble(0, j), 1e-12);
        }
        assertEquals(
                2, GruLayer.Impl.selfSumCount(sd.getFunction("grad"), fn.getGradPlaceholderName()));
    }

    private static boolean check(String cell, int layers, int width) {
        int hidden = 3;
        int horizon = 2;
        int batch = 3;
        int steps = 5;
        NetworkSpec spec =
                new NetworkSpec(Cell.of(cell), layers, hidden, width, horizon, 12345, 1.0, 0, 0);
        MultiLayerNetwork net =
                RecurrentNetwork.create(spec, DataType.DOUBLE, new NoOp()).network();
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.DOUBLE, batch, width, steps); // [batch, width, T]
        INDArray y = Nd4j.randn(DataType.DOUBLE, batch, horizon, steps); // [batch, horizon, T]
        long start = System.nanoTime();
        // DL4J's own recurrent gradient checks use these tolerances.
        boolean ok =
                GradientCheckUtil.checkGradients(
                        new GradientCheckUtil.MLNConfig()
                                .net(net)
                                .input(x)
                                .labels(y)
                                .epsilon(1e-6)
                                .maxRelError(1e-3)
                                .minAbsoluteError(1e-8)
                                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        System.out.printf(
                "GradientCheckTest %s layers=%d width=%d params=%d passed=%s (%d ms)%n",
                cell, layers, width, net.numParams(), ok, (System.nanoTime() - start) / 1_000_000);
        return ok;
    }

    @Test
    void theGruGraphDifferentiatedBySameDiffAloneIsCorrect() {
        Nd4j.getRandom().setSeed(3);
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.DOUBLE, -1, 2, 5);
        SDVariable wx = sd.var(GruLayer.WX, Nd4j.randn(DataType.DOUBLE, 2, 9));
        SDVariable wh = sd.var(GruLayer.WH, Nd4j.randn(DataType.DOUBLE, 3, 9));
        SDVariable b = sd.var(GruLayer.B, Nd4j.randn(DataType.DOUBLE, 1, 9));
        SDVariable out =
                new GruLayer(2, 3)
                        .defineLayer(
                                sd,
                                in,
                                Map.of(GruLayer.WX, wx, GruLayer.WH, wh, GruLayer.B, b),
                                null); // [3, 3, 5]
        SDVariable loss = out.mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 3, 3, 5))).sum();
        loss.markAsLoss();
        Map<String, INDArray> feed = Map.of("input", Nd4j.randn(DataType.DOUBLE, 3, 2, 5));
        Map<String, INDArray> grads =
                sd.calculateGradients(feed, GruLayer.WX, GruLayer.WH, GruLayer.B);
        double maxRel = 0;
        for (SDVariable v : new SDVariable[] {wx, wh, b}) {
            INDArray p = v.getArr();
            for (int i = 0; i < p.length(); i++) {
                double value = p.getDouble(i);
                p.putScalar(i, value + 1e-6);
                double plus = sd.output(feed, loss.name()).get(loss.name()).getDouble(0);
                p.putScalar(i, value - 1e-6);
                double minus = sd.output(feed, loss.name()).get(loss.name()).getDouble(0);
                p.putScalar(i, value);
                double numeric = (plus - minus) / 2e-6;
                double analytic = grads.get(v.name()).getDouble(i);
                if (Math.abs(analytic - numeric) > 1e-8) {
                    maxRel =
                            Math.max(
                                    maxRel,
                                    Math.abs(analytic - numeric)
                                            / (Math.abs(analytic) + Math.abs(numeric)));
                }
            }
        }
        System.out.printf("GradientCheckTest gru graph alone: max relative error %.3g%n", maxRel);
        assertEquals(0, maxRel, 1e-5);
    }
}

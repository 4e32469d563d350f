package io.streamcast.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Offline pre-training on a fixed set of examples (the {@code train} command): epochs of Adam steps
 * on shuffled mini-batches of the training examples with the streaming trainer's network,
 * optimiser, clipping and scheduled sampling, the loss on held-back validation examples after every
 * epoch, and the weights of the epoch with the lowest validation loss as the result. Deterministic
 * for a given spec (its seed) and example order.
 *
 * <pre>{@code
 * OfflineTrainer.Result r = new OfflineTrainer(spec, config.training().settings(), windowSize)
 *         .train(trainExamples, validationExamples, 10, epoch -> System.out.println(epoch));
 * }</pre>
 *
 * <p>Implementation notes: an example is {@code {input, target}} as {@link
 * SeriesHistory#trainingExample} builds it. Each epoch visits every training example once in a
 * fresh Fisher–Yates order from a {@link SplitMix64} seeded with the spec's seed; scheduled
 * sampling uses the epoch number as its round. Validation is teacher-forced, in chunks, as the mean
 * loss over all validation examples. With no validation examples the training loss selects the
 * epoch.
 */
public final class OfflineTrainer {
    private static final int VALIDATION_CHUNK = 512;

    /** What one epoch did. */
    public record Epoch(
            int epoch,
            double trainLoss,
            double validationLoss,
            double samplingProbability,
            long millis) {}

    /** The selected weights and how they were reached. */
    public record Result(
            float[] params,
            int bestEpoch,
            double trainLoss,
            double validationLoss,
            double gradientNorm,
            long examplesSeen,
            List<Epoch> epochs) {}

    private final TrainingSettings config;
    private final int windowSize;
    private final RecurrentNetwork network;
    private final SplitMix64 rng;

    public OfflineTrainer(NetworkSpec spec, TrainingSettings config, int windowSize) {
        this.config = config;
        this.windowSize = windowSize;
        this.network = RecurrentNetwork.create(spec);
        this.rng = new SplitMix64(spec.seed());
    }

    /**
     * Trains for {@code epochs} epochs, reporting each to {@code progress}; stops early if the
     * training loss stops being finite (the weights of the best finite epoch are kept).
     */
    public Result train(
            List<float[][]> train,
            List<float[][]> validation,
            int epochs,
            Consumer<Epoch> progress) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException(
                    "no training examples: every series needs at least window + horizon"
                            + " readings");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, was " + epochs);
        }
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        List<Epoch> done = new ArrayList<>();
        float[] best = null;
        Epoch bestEpoch = null;
        long seen = 0;
        for (int e = 0; e < epochs; e++) {
            long started = System.nanoTime();
            shuffle(order);
            double p = config.scheduledSampling().probability(e);
            double lossSum = 0;
            int batches = 0;
            for (int from = 0; from < order.length; from += config.batchSize()) {
                int n = Math.min(config.batchSize(), order.length - from);
                float[][] x = new float[n][];
                float[][] y = new float[n][];
                for (int i = 0; i < n; i++) {
                    float[][] ex = train.get(order[from + i]);
                    x[i] = ex[0];
                    y[i] = ex[1];
                }
                config.scheduledSampling().apply(network, x, y, n, windowSize, p, rng);
                lossSum += network.fit(network.dataSet(x, y, n, windowSize));
                batches++;
                seen += n;
            }
            double trainLoss = lossSum / batches;
            if (!Double.isFinite(trainLoss)) {
                break;
            }
            double validationLoss = validation.isEmpty() ? Double.NaN : loss(validation);
            Epoch epoch =
                    new Epoch(
                            e + 1,
                            trainLoss,
                            validationLoss,
                            p,
                            (System.nanoTime() - started) / 1_000_000);
            done.add(epoch);
            progress.accept(epoch);
            if (bestEpoch == null || selection(epoch) < selection(bestEpoch)) {
                bestEpoch = epoch;
                best = network.params();
            }
        }
        if (best == null) {
            throw new IllegalStateException(
                    "training diverged in the first epoch (loss not finite)");
        }
        network.setParams(best);
        List<float[][]> probe = validation.isEmpty() ? train : validation;
        double gradientNorm =
                network.gradientNorm(dataSet(probe, 0, Math.min(probe.size(), config.batchSize())));
        return new Result(
                best,
                bestEpoch.epoch(),
                bestEpoch.trainLoss(),
                bestEpoch.validationLoss(),
                gradientNorm,
                seen,
                List.copyOf(done));
    }

    private static double selection(Epoch e) {
        return Double.isNaN(e.validationLoss()) ? e.trainLoss() : e.validationLoss();
    }

    /** Mean teacher-forced loss over all {@code examples}. */
    double loss(List<float[][]> examples) {
        double sum = 0;
        for (int from = 0; from < examples.size(); from += VALIDATION_CHUNK) {
            int n = Math.min(VALIDATION_CHUNK, examples.size() - from);
            sum += network.loss(dataSet(examples, from, n)) * n;
        }
        return sum / examples.size();
    }

    private DataSet dataSet(List<float[][]> examples, int from, int n) {
        float[][] x = new float[n][];
        float[][] y = new float[n][];
        for (int i = 0; i < n; i++) {
            x[i] = examples.get(from + i)[0];
            y[i] = examples.get(from + i)[1];
        }
        return network.dataSet(x, y, n, windowSize);
    }

    private void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}

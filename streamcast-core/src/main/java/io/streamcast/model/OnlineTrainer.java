package io.streamcast.model;

import io.streamcast.event.DriftCheck;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic mini-batch retraining on a replay buffer of recent windows, with a validation gate: a
 * candidate replaces the serving model only if its loss on the newest held-back windows is lower,
 * and a round whose loss or gradient diverges is discarded (the candidate is reset to the serving
 * weights). Deterministic for a given seed and input order; its whole state round-trips through
 * {@link #snapshot()} and {@link #restore}. Owns two networks and so is confined like them to the
 * thread that built it (in the job: a {@link TrainerThread}); its API takes and returns plain Java
 * only ({@code float[]}, {@code byte[]}, {@link TrainingRound}), which is what may cross threads.
 *
 * <p>Implementation notes: the candidate network keeps training across rounds (with its Adam
 * moments) instead of restarting from the serving weights, so a round that is merely not better yet
 * is not wasted. Validation uses the newest {@code validationFraction} of the buffer, which
 * training never samples, so promotion is judged on the most recent behaviour of the streams.
 *
 * <p>Autoregressive decoder: mini-batches are teacher-forced windows, a share of which is fed the
 * candidate's own predictions ({@link ScheduledSampling}, with the probability of the rounds run so
 * far). Validation stays teacher-forced (one-step loss), the same yardstick for candidate and
 * serving model.
 *
 * <p>Effort follows the learning curve: after its {@code stepsPerRound} steps a round goes on in
 * chunks of as many steps while the candidate's validation loss fell by at least {@link
 * #MIN_CHUNK_GAIN} over the last chunk (the first chunk: below the serving model's), up to {@code
 * maxStepsPerRound}, and only while the caller says the trainer has capacity to spare. So a lone
 * series that is still learning gets many steps per round and a converged one few, and the effort
 * per round is bounded by {@code maxStepsPerRound} whatever the data. Validation losses are
 * deterministic, so a synchronous replay stays reproducible.
 *
 * <p>Drift: {@link #checkDrift} feeds the ratio of the serving model's loss on a batch of new
 * windows to its validation loss at the last round into a {@link PageHinkley} test; the caller
 * starts a round at once ({@link #markDrift}, then {@link #dueRound}) when it fires. Each round
 * sets the reference anew. The detector is not part of the snapshot: after a restore it starts from
 * the next round. While a drift lasts, rounds weight the windows since the change: half of each
 * mini-batch comes from them and validation uses the newest of them ({@link DriftWeighting}, which
 * says when a drift ends). Without a drift, sampling is uniform over the trainable windows, as it
 * always was; synchronous replays never check for drift.
 *
 * <p>Snapshot format 2 adds the number of rounds run (format 1, without it, still restores, as
 * round 0); format 3 adds where a lasting drift began (older formats restore without one).
 */
public final class OnlineTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineTrainer.class);

    /**
     * A raw gradient norm beyond this means the round diverged even if clipping would have hidden
     * it.
     */
    public static final double EXPLODING_GRADIENT_NORM = 1e4;

    /** The most held-back windows a round validates on (the newest of the holdout). */
    public static final int MAX_VALIDATION = 512;

    private static final int SNAPSHOT_FORMAT = 3;

    /** A further chunk of steps is run only if the last one lowered validation loss this much. */
    public static final double MIN_CHUNK_GAIN = 0.01;

    private final TrainingSettings config;
    private final int windowSize;
    private final RecurrentNetwork candidate;
    private final RecurrentNetwork serving;
    private final ReplayBuffer buffer;
    private SplitMix64 rng;
    private long version;
    private long samplesSeen;
    private int sinceRound;

    /** Training rounds run (not merely skipped), for the scheduled-sampling probability. */
    private long rounds;

    /** The scheduled-sampling probability of the round in progress. */
    private double samplingProbability;

    private int lastRoundSteps;

    /**
     * Drift settings: losses up by a sustained tenth of the validation loss, the excess summing to
     * five times it.
     */
    public static final double DRIFT_DELTA = 0.1;

    public static final double DRIFT_LAMBDA = 5;

    /** A batch's loss ratio counts at most this much: one batch of outliers is not a drift. */
    static final double MAX_DRIFT_RATIO = 4;

    /** On loss ratios, whose mean without drift is 1. */
    private final PageHinkley drift = new PageHinkley(DRIFT_DELTA, DRIFT_LAMBDA, 1);

    /** The serving model's validation loss at the last round (NaN before the first). */
    private double referenceLoss = Double.NaN;

    /** Whether a drift lasts, and which windows are its new regime. */
    private final DriftWeighting weighting = new DriftWeighting();

    public OnlineTrainer(NetworkSpec spec, TrainingSettings config, int windowSize) {
        this.config = config;
        this.windowSize = windowSize;
        this.candidate = RecurrentNetwork.create(spec);
        this.serving = RecurrentNetwork.create(spec);
        this.buffer = new ReplayBuffer(config.bufferSize());
        this.rng = new SplitMix64(spec.seed());
    }

    public long version() {
        return version;
    }

    public float[] servingParams() {
        return serving.params();
    }

    public long samplesSeen() {
        return samplesSeen;
    }

    /**
     * Starts serving (and training from) given weights, e.g. a pre-trained model file, as {@code
     * version}.
     */
    public void startFrom(float[] params, long version) {
        serving.setParams(params);
        candidate.setParams(params);
        this.version = version;
    }

    /**
     * Adds one example ({@code windowSize × width} inputs, {@code windowSize × horizon} targets);
     * every {@code roundEvery} examples it runs a round (or skips it while the buffer is nearly
     * empty) and returns what happened, otherwise null.
     */
    public TrainingRound offer(float[] input, float[] target) {
        return add(input, target) ? dueRound() : null;
    }

    /** How many more {@link #add}s make the next round due (at least 1). */
    public int samplesUntilRound() {
        return Math.max(1, config.roundLength(samplesSeen - sinceRound) - sinceRound);
    }

    /**
     * Adds one example; true when a round is due, which the caller runs with {@link #dueRound()}.
     */
    public boolean add(float[] input, float[] target) {
        buffer.add(input, target);
        samplesSeen++;
        sinceRound++;
        if (sinceRound < config.roundLength(samplesSeen - sinceRound)) {
            return false;
        }
        sinceRound = 0;
        return true;
    }

    /**
     * Samples per drift check: the live trainer checks every this many new samples between rounds
     * (as does the plain-Java replay that imitates it).
     */
    public static final int DRIFT_BATCH = 32;

    /**
     * Checks {@code n} new examples (not yet added) for drift: the serving model's loss on them
     * against its validation loss at the last round. Does nothing before the first round. {@code
     * samplesAt} is the caller's count of samples up to the newest checked (the check reports it).
     */
    public DriftCheck checkDrift(float[][] inputs, float[][] targets, int n, long samplesAt) {
        double loss = serving.loss(inputs, targets, n, windowSize);
        boolean fired = false;
        if (referenceLoss > 0 && Double.isFinite(loss)) {
            fired = drift.add(Math.min(loss / referenceLoss, MAX_DRIFT_RATIO));
            weighting.checked(drift.statistic(), fired, samplesAt);
        }
        return new DriftCheck(fired, loss, referenceLoss, drift.last, DRIFT_LAMBDA, samplesAt);
    }

    /**
     * A drift was detected: the next round is due now (the one after a full round length later),
     * and rounds weight the windows since the change while the drift lasts ({@link
     * DriftWeighting}). Part of the snapshot, so a round re-run after a restore is the same round.
     */
    public void markDrift() {
        sinceRound = 0;
        weighting.detected(samplesSeen);
    }

    /** Whether a drift lasts (its rounds weight the newest windows). */
    public boolean driftLasts() {
        return weighting.lasts();
    }

    /**
     * The round that {@link #add} said is due: skipped while the buffer is nearly empty, otherwise
     * run.
     */
    public TrainingRound dueRound() {
        return dueRound(Pacer.NONE);
    }

    /**
     * As {@link #dueRound()}, with {@code pacer} called after each gradient step and validation
     * pass.
     */
    public TrainingRound dueRound(Pacer pacer) {
        return dueRound(pacer, () -> true);
    }

    /**
     * As {@link #dueRound(Pacer)}; the round goes on past {@code stepsPerRound} steps only while
     * {@code spare} says so (and validation loss still falls).
     */
    public TrainingRound dueRound(Pacer pacer, BooleanSupplier spare) {
        if (buffer.size() - holdout() < Math.min(config.batchSize(), 8)) {
            return new TrainingRound(
                    false,
                    "skipped: only " + buffer.size() + " examples buffered",
                    version,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    samplesSeen,
                    null);
        }
        return runRound(pacer, spare);
    }

    private int holdout() {
        int usual = Math.max(1, (int) Math.round(buffer.size() * config.validationFraction()));
        return weighting.holdout(usual, recent(), config.validationFraction());
    }

    /** Buffered windows since a lasting drift's change (0 with none). */
    private int recent() {
        return weighting.recent(samplesSeen, buffer.size());
    }

    /**
     * One round: {@code stepsPerRound} Adam steps, each checked for an exploding raw gradient,
     * validation, promotion or rejection.
     */
    public TrainingRound runRound() {
        return runRound(Pacer.NONE, () -> true);
    }

    private TrainingRound runRound(Pacer pacer, BooleanSupplier spare) {
        long started = System.nanoTime();
        samplingProbability = config.scheduledSampling().probability(rounds);
        rounds++;
        Split split = split();
        int holdout = split.holdout();
        int trainable = split.trainable();
        int recentTrainable = split.recentTrainable();
        int batch = split.batch();
        double lossSum = 0;
        double gradientNorm = 0;
        int steps = 0;
        int chunk = config.stepsPerRound();
        Windows validation = validation(holdout);
        double servingLoss =
                serving.loss(
                        validation.inputs(), validation.targets(), validation.size(), windowSize);
        started = paced(pacer, started);
        // The first chunk is measured against the serving model: a candidate that has not beaten it
        // by a margin is not learning fast enough to be worth more steps in this round.
        double candidateLoss = servingLoss;
        while (true) {
            for (int s = 0; s < chunk; s++) {
                lossSum += candidate.fit(batch(trainable, recentTrainable, batch));
                gradientNorm = Math.max(gradientNorm, candidate.fitGradientNorm());
                // The step is already applied (clipped), but a discarded round resets the
                // candidate anyway.
                if (!Double.isFinite(gradientNorm) || gradientNorm > EXPLODING_GRADIENT_NORM) {
                    return discard(
                            "gradient norm " + gradientNorm + " exploded",
                            Double.NaN,
                            gradientNorm);
                }
                started = paced(pacer, started);
            }
            steps += chunk;
            double previous = candidateLoss;
            candidateLoss =
                    candidate.loss(
                            validation.inputs(),
                            validation.targets(),
                            validation.size(),
                            windowSize);
            started = paced(pacer, started);
            boolean stillFalling =
                    !Double.isFinite(previous) || candidateLoss < previous * (1 - MIN_CHUNK_GAIN);
            if (!Double.isFinite(candidateLoss)
                    || !stillFalling
                    || steps + chunk > config.maxStepsPerRound()
                    || !spare.getAsBoolean()) {
                break;
            }
        }
        lastRoundSteps = steps;
        double trainLoss = lossSum / steps;
        if (!Double.isFinite(trainLoss)) {
            return discard("training loss is " + trainLoss, trainLoss, gradientNorm);
        }
        if (!Double.isFinite(candidateLoss)) {
            return discard("validation loss is " + candidateLoss, trainLoss, gradientNorm);
        }
        referenceLoss = Math.min(candidateLoss, servingLoss);
        drift.reset();
        weighting.restarted(samplesSeen);
        if (candidateLoss >= servingLoss) {
            String reason =
                    String.format(
                            "not promoted: validation loss %.6f is not below serving %.6f",
                            candidateLoss, servingLoss);
            LOG.info(reason);
            return new TrainingRound(
                    false,
                    reason,
                    version,
                    trainLoss,
                    candidateLoss,
                    servingLoss,
                    gradientNorm,
                    samplesSeen,
                    null);
        }
        float[] params = candidate.params();
        serving.setParams(params);
        version++;
        return new TrainingRound(
                true,
                "promoted",
                version,
                trainLoss,
                candidateLoss,
                servingLoss,
                gradientNorm,
                samplesSeen,
                params);
    }

    /**
     * Lets {@code pacer} rest after the work since {@code since}; returns when the next piece of
     * work starts.
     */
    private static long paced(Pacer pacer, long since) {
        pacer.after(System.nanoTime() - since);
        return System.nanoTime();
    }

    private TrainingRound discard(String why, double trainLoss, double gradientNorm) {
        String reason = "discarded: " + why + "; candidate reset to serving version " + version;
        LOG.warn(reason);
        candidate.setParams(serving.params());
        candidate.setOptimiserState(new float[candidate.optimiserState().length]);
        return new TrainingRound(
                false,
                reason,
                version,
                trainLoss,
                Double.NaN,
                Double.NaN,
                gradientNorm,
                samplesSeen,
                null);
    }

    /**
     * A mini-batch of {@code size} windows from the {@code trainable} oldest, of which the newest
     * {@code recent} are a lasting drift's (weighted, {@link DriftWeighting#pick}).
     */
    private DataSet batch(int trainable, int recent, int size) {
        float[][] x = new float[size][];
        float[][] y = new float[size][];
        pickWindows(trainable, recent, size, x, y);
        config.scheduledSampling()
                .apply(candidate, x, y, size, windowSize, samplingProbability, rng);
        return candidate.dataSet(x, y, size, windowSize);
    }

    private void pickWindows(int trainable, int recent, int size, float[][] x, float[][] y) {
        for (int i = 0; i < size; i++) {
            int pick = DriftWeighting.pick(rng, i, size, trainable, recent);
            x[i] = buffer.input(pick);
            y[i] = buffer.target(pick);
        }
    }

    /**
     * How a round starting now splits the buffer: the newest {@code holdout} windows validate, the
     * {@code trainable} rest train, the newest {@code recentTrainable} of those are a lasting
     * drift's, and mini-batches hold {@code batch} windows.
     */
    private record Split(int holdout, int trainable, int recentTrainable, int batch) {}

    /** Ends a drift whose windows fill half the buffer, then splits the buffer for a round. */
    private Split split() {
        weighting.beforeRound(samplesSeen, buffer.size());
        int holdout = holdout();
        int trainable = buffer.size() - holdout;
        return new Split(
                holdout,
                trainable,
                Math.min(trainable, Math.max(0, recent() - holdout)),
                Math.min(config.batchSize(), trainable));
    }

    /**
     * The inputs of one mini-batch as a round started now would draw it (for tests; advances the
     * random sequence).
     */
    float[][] sampleBatchInputs() {
        Split split = split();
        float[][] x = new float[split.batch()][];
        pickWindows(
                split.trainable(),
                split.recentTrainable(),
                split.batch(),
                x,
                new float[split.batch()][]);
        return x;
    }

    /** The candidate's weights (for tests). */
    float[] candidateParams() {
        return candidate.params();
    }

    /** Adam steps the last round ran. */
    public int lastRoundSteps() {
        return lastRoundSteps;
    }

    /** Training rounds run so far. */
    public long rounds() {
        return rounds;
    }

    /** Examples as the network takes them: time-major inputs and targets, one array per window. */
    private record Windows(float[][] inputs, float[][] targets) {
        int size() {
            return inputs.length;
        }
    }

    /** The newest held-back windows (at most {@link #MAX_VALIDATION}). */
    private Windows validation(int holdout) {
        int n = Math.min(holdout, MAX_VALIDATION);
        float[][] x = new float[n][];
        float[][] y = new float[n][];
        for (int i = 0; i < n; i++) {
            int idx = buffer.size() - n + i;
            x[i] = buffer.input(idx);
            y[i] = buffer.target(idx);
        }
        return new Windows(x, y);
    }

    /**
     * The whole trainer state (weights, Adam moments, buffer, RNG, counters) as bytes for a
     * checkpoint.
     */
    public byte[] snapshot() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(SNAPSHOT_FORMAT);
            out.writeLong(version);
            out.writeLong(samplesSeen);
            out.writeInt(sinceRound);
            out.writeLong(rounds);
            out.writeLong(weighting.since());
            out.writeLong(rng.state());
            writeFloats(out, serving.params());
            writeFloats(out, candidate.params());
            writeFloats(out, candidate.optimiserState());
            out.writeInt(buffer.size());
            for (int i = 0; i < buffer.size(); i++) {
                writeFloats(out, buffer.input(i));
                writeFloats(out, buffer.target(i));
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restores what {@link #snapshot()} wrote into this (freshly built, same-spec) trainer. */
    public void restore(byte[] snapshot) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
            int format = in.readInt();
            if (format < 1 || format > SNAPSHOT_FORMAT) {
                throw new IllegalStateException(
                        "unknown trainer snapshot format "
                                + format
                                + " (this version reads 1 to "
                                + SNAPSHOT_FORMAT
                                + ")");
            }
            version = in.readLong();
            samplesSeen = in.readLong();
            sinceRound = in.readInt();
            rounds = format >= 2 ? in.readLong() : 0;
            weighting.restore(format >= 3 ? in.readLong() : -1, samplesSeen);
            rng = new SplitMix64(in.readLong());
            serving.setParams(readFloats(in));
            candidate.setParams(readFloats(in));
            candidate.setOptimiserState(readFloats(in));
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                buffer.add(readFloats(in), readFloats(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    static float[] readFloats(DataInputStream in) throws IOException {
        float[] values = new float[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }
}

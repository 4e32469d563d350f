package io.streamcast.model;

import java.io.Serializable;

/**
 * Scheduled sampling (Bengio et al. 2015) for the autoregressive decoder: in training, with
 * probability {@link #probability(long) p}, a window's last k input rows are replaced by what the
 * network itself would have fed there during a forecast rollout, so that it learns to forecast from
 * its own predictions and not only from the truth (teacher forcing). p rises linearly from {@code
 * start} to {@code end} over the first {@code rounds} training rounds (the offline {@code train}
 * command counts an epoch as a round); k is uniform in 1..{@link #maxRows}, the {@code span} (0 =
 * horizon − 1, the longest stretch a forecast feeds back).
 *
 * <p>Implementation notes: the replaced rows are computed by the current candidate network without
 * gradient (the usual approximation: gradients do not flow through the sampled inputs), see {@link
 * RecurrentNetwork#feedOwnPredictions}. Randomness comes from the trainer's seeded generator, so
 * training stays reproducible and the draws are part of its snapshot.
 *
 * @param start probability at the first round, in [0, 1]
 * @param end probability from round {@code rounds} on, in [start, 1]
 * @param rounds rounds over which p rises, ≥ 1
 * @param span largest k; 0 means horizon − 1
 */
public record ScheduledSampling(double start, double end, int rounds, int span)
        implements Serializable {

    public ScheduledSampling {
        if (!(start >= 0 && start <= 1 && end >= start && end <= 1)) {
            throw new IllegalArgumentException(
                    "scheduled sampling needs 0 <= start <= end <= 1, was start="
                            + start
                            + " end="
                            + end);
        }
        if (rounds < 1 || span < 0) {
            throw new IllegalArgumentException(
                    "scheduled sampling needs rounds >= 1 and span >= 0, was rounds="
                            + rounds
                            + " span="
                            + span);
        }
    }

    /** No scheduled sampling: pure teacher forcing. */
    public static ScheduledSampling off() {
        return new ScheduledSampling(0, 0, 1, 0);
    }

    /** The probability of feeding a window its own predictions in round {@code round} (0-based). */
    public double probability(long round) {
        return start + (end - start) * Math.min(1.0, Math.max(0, round) / (double) rounds);
    }

    /**
     * The largest number of rows replaced in a window of {@code rows} for this horizon (at least
     * one true row stays).
     */
    public int maxRows(int horizon, int rows) {
        return Math.min(span > 0 ? span : horizon - 1, rows - 1);
    }

    /**
     * Replaces, in place, each of {@code n} examples ({@code inputs[i]} {@code rows × width},
     * {@code targets[i]} {@code rows × horizon}; the arrays are replaced, never written to) with
     * probability {@code p} by its self-fed version from {@link
     * RecurrentNetwork#feedOwnPredictions}. Draws from {@code rng} only if the network is
     * autoregressive and some rows can be replaced, so a direct network's training is unchanged.
     */
    void apply(
            RecurrentNetwork network,
            float[][] inputs,
            float[][] targets,
            int n,
            int rows,
            double p,
            SplitMix64 rng) {
        int most = maxRows(network.spec().horizon(), rows);
        if (!network.spec().autoregressive() || most < 1 || p <= 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            if (unit(rng) < p) {
                int k = 1 + rng.nextInt(most);
                float[][] fed = network.feedOwnPredictions(inputs[i], targets[i], rows, k);
                inputs[i] = fed[0];
                targets[i] = fed[1];
            }
        }
    }

    private static double unit(SplitMix64 rng) {
        return (rng.nextLong() >>> 11) * 0x1.0p-53;
    }
}

package io.streamcast.model;

/**
 * Which windows of the replay buffer a round trains and validates on while a drift lasts: from the
 * drift's detection until the windows that arrived since the change make up half the buffer (or a
 * later drift replaces it), half of every mini-batch is drawn from the trainable windows since the
 * change, and the validation hold-out is the newest share of those windows only. Plain Java,
 * deterministic; {@link OnlineTrainer} owns one.
 *
 * <p>Implementation notes: the change is taken to begin after the last drift check at which the
 * Page–Hinkley statistic stood at zero (its running minimum: the last batch that looked like the
 * old regime), the detector's own estimate of the change point. The hold-out shrinks to {@code
 * validationFraction} of the windows since the change (at least {@link #MIN_HOLDOUT}, never more
 * than usual), so the gate judges candidates on the new regime and the rest of the new windows can
 * be trained on at once; with the usual hold-out (the newest fifth of the buffer by default) every
 * window of a freshly detected change would sit in it and training could not see any. The other
 * half of each mini-batch stays uniform over all trainable windows, so the old regime is not
 * forgotten outright. Once the windows since the change are half the buffer, uniform sampling draws
 * them about as often as the weighting would, and the drift is over.
 */
public final class DriftWeighting {
    /** The fewest windows a round validates on while a drift lasts. */
    public static final int MIN_HOLDOUT = 32;

    /** Samples up to the newest checked when the statistic last stood at zero. */
    private long calmAt;

    /**
     * The sample count after which the lasting drift's new regime began; -1 while no drift lasts.
     */
    private long since = -1;

    /** Takes one drift check's outcome: {@code statistic} after the samples up to {@code at}. */
    void checked(double statistic, boolean fired, long at) {
        if (!fired && statistic <= 0) {
            calmAt = at;
        }
    }

    /** The detector started over after a round at {@code samplesSeen} samples. */
    void restarted(long samplesSeen) {
        calmAt = samplesSeen;
    }

    /** A drift was detected after {@code samplesSeen} samples: it lasts from now. */
    void detected(long samplesSeen) {
        since = Math.min(calmAt, samplesSeen);
    }

    /**
     * Before a round at {@code samplesSeen} samples with {@code buffered} windows: ends the drift
     * once its windows are half the buffer.
     */
    void beforeRound(long samplesSeen, int buffered) {
        if (since >= 0 && 2 * recent(samplesSeen, buffered) >= buffered) {
            since = -1;
        }
    }

    /** Whether a drift lasts. */
    public boolean lasts() {
        return since >= 0;
    }

    /** The sample count after which the lasting drift's new regime began (-1 with none). */
    public long since() {
        return since;
    }

    /** Buffered windows that arrived since the change (0 while no drift lasts). */
    int recent(long samplesSeen, int buffered) {
        return since < 0 ? 0 : (int) Math.min(buffered, samplesSeen - since);
    }

    /**
     * The hold-out: {@code usual} without a drift, else {@code validationFraction} of the {@code
     * recent} windows, at least {@link #MIN_HOLDOUT}, at most {@code usual}.
     */
    int holdout(int usual, int recent, double validationFraction) {
        if (since < 0) {
            return usual;
        }
        return Math.min(
                usual, Math.max(MIN_HOLDOUT, (int) Math.round(recent * validationFraction)));
    }

    /**
     * The buffer index of a mini-batch's {@code i}-th window, of {@code trainable} windows (the
     * oldest) of which the newest {@code recent} are the drift's: the first half of a batch of
     * {@code size} is drawn from those, the rest (and all, with none) uniformly from all.
     */
    static int pick(SplitMix64 rng, int i, int size, int trainable, int recent) {
        if (recent > 0 && i < size / 2) {
            return trainable - recent + rng.nextInt(recent);
        }
        return rng.nextInt(trainable);
    }

    /** For a snapshot: the lasting drift's start (-1 with none). */
    void restore(long since, long samplesSeen) {
        this.since = since;
        this.calmAt = samplesSeen;
    }
}

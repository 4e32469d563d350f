package io.streamcast.model.anomaly;

/**
 * Per-series state of an {@link AnomalyScorer}: what its channels share (the reading count, the
 * last value, the value's resolution, the hold after a detection) and each {@link AnomalyChannel}'s
 * own state. A Flink POJO, mutated in place by {@link AnomalyScorer#score}; create one with {@link
 * AnomalyScorer#initial()}. It replaced {@link ScorerState} (one flat class for every channel),
 * which {@link ScorerState#upgrade()} turns into this.
 */
public final class ScorerMemory {

    /**
     * Bytes of the fields with the default short window of 10: twelve doubles, three longs, three
     * ints, ten floats of residuals and ten of run-length shares (the channels' object headers
     * aside).
     */
    public static final int BYTES = 12 * 8 + 3 * 8 + 3 * 4 + 10 * 4 + RunLengthTail.BINS * 4;

    /** Readings seen (including the warm-up). */
    public long count;

    /** The last value (the flat channel's runs, the resolution). */
    public double lastValue;

    /**
     * Smallest non-zero step between successive values seen (0: none yet): the value's resolution.
     */
    public double minStep;

    /** Calm readings in a row still needed before a detection can fire again (0: armed). */
    public int quiet;

    public SustainedChannel sustained;
    public ChangeChannel change;
    public FlatChannel flat;

    /**
     * The channel fields in fusion order, built at first use (not state: Flink neither writes nor
     * copies it); the fields are set once, by the scorer or by Flink, before any reading.
     */
    private transient AnomalyChannel[] channels;

    /** For Flink's POJO serializer. */
    public ScorerMemory() {}

    ScorerMemory(SustainedChannel sustained, ChangeChannel change, FlatChannel flat) {
        this.sustained = sustained;
        this.change = change;
        this.flat = flat;
    }

    /**
     * The channels in the order they are fused: on equal evidence the earlier one explains the
     * score.
     */
    AnomalyChannel[] channels() {
        if (channels == null) {
            channels = new AnomalyChannel[] {sustained, change, flat};
        }
        return channels;
    }

    /** A deep copy, e.g. to score alternatives from the same history. */
    public ScorerMemory copy() {
        ScorerMemory c =
                new ScorerMemory(
                        sustained == null ? null : sustained.copy(),
                        change == null ? null : change.copy(),
                        flat == null ? null : flat.copy());
        c.count = count;
        c.lastValue = lastValue;
        c.minStep = minStep;
        c.quiet = quiet;
        return c;
    }
}

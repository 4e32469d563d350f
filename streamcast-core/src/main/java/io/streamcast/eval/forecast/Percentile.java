package io.streamcast.eval.forecast;

/**
 * The one percentile rule of the latency summaries (demo and bench): the nearest rank in a sorted
 * sample.
 */
public final class Percentile {
    private Percentile() {}

    /**
     * The value at rank {@code floor(q * n)} (capped at the last) of {@code sorted}, ascending;
     * throws on an empty sample.
     */
    public static long of(long[] sorted, double q) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }

    /** {@link #of} of nanosecond values in milliseconds; NaN for an empty sample. */
    public static double millis(long[] sortedNanos, double q) {
        return sortedNanos.length == 0 ? Double.NaN : of(sortedNanos, q) / 1e6;
    }
}

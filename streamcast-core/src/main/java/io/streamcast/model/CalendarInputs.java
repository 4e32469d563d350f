package io.streamcast.model;

/**
 * The network's calendar inputs for one reading: where its time falls in the day and in the week,
 * each as a sine/cosine pair (UTC), so that a series' daily and weekly cycles need no window that
 * spans them. A pair is 0 where the series' sampling interval makes it meaningless: the time of day
 * needs at least {@link #MIN_PER_CYCLE} readings a day, the day of the week as many a week (an
 * hourly series gets both, a daily one only the day of the week, a weekly one neither). Derived
 * from timestamps alone, so nothing is kept per series.
 */
public final class CalendarInputs {
    /** Values written per reading: sin and cos of the time of day, then of the day of the week. */
    public static final int COLUMNS = 4;

    /** Fewer readings per cycle than this, and the cycle's pair is left at 0. */
    static final int MIN_PER_CYCLE = 4;

    static final long DAY_MILLIS = 86_400_000L;
    static final long WEEK_MILLIS = 7 * DAY_MILLIS;

    /** 1970-01-01 was a Thursday: shifts the week's phase so that 0 is Monday 00:00 UTC. */
    private static final long MONDAY_OFFSET = 3 * DAY_MILLIS;

    private CalendarInputs() {}

    /**
     * Writes the {@link #COLUMNS} calendar values of a reading at {@code ts} of a series sampled
     * every {@code stepMillis} (0 or less: not known yet, all 0) into {@code out} from {@code
     * offset}.
     */
    public static void write(long ts, long stepMillis, float[] out, int offset) {
        pair(ts, 0, DAY_MILLIS, stepMillis, out, offset);
        pair(ts, MONDAY_OFFSET, WEEK_MILLIS, stepMillis, out, offset + 2);
    }

    private static void pair(
            long ts, long shift, long cycle, long stepMillis, float[] out, int offset) {
        if (stepMillis <= 0 || stepMillis * MIN_PER_CYCLE > cycle) {
            out[offset] = 0;
            out[offset + 1] = 0;
            return;
        }
        double angle = 2 * Math.PI * Math.floorMod(ts + shift, cycle) / cycle;
        out[offset] = (float) Math.sin(angle);
        out[offset + 1] = (float) Math.cos(angle);
    }
}

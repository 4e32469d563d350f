package io.streamcast.model;

/**
 * Spreads a background training round over time: after each piece of work (a gradient step, a
 * validation pass) the round sleeps long enough that it uses on average {@code share} of one core.
 * On a machine where the job has few cores, an unpaced round takes a whole core for about a second
 * and the forecasters fall behind meanwhile.
 */
public interface Pacer {
    /** Called after a piece of work that took {@code workNanos}; may sleep. */
    void after(long workNanos);

    /** No pacing: the round runs flat out (inline rounds, where the job waits for it anyway). */
    Pacer NONE = workNanos -> {};

    /**
     * Sleeps {@code work × (1/share − 1)} after each piece of work; {@code share} of 1 or more
     * means no pacing.
     */
    static Pacer cpuShare(double share) {
        if (share >= 1) {
            return NONE;
        }
        double ratio = 1 / share - 1;
        return workNanos -> {
            long sleepNanos = (long) (workNanos * ratio);
            try {
                Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread()
                        .interrupt(); // shutting down: finish the round without pauses
            }
        };
    }
}

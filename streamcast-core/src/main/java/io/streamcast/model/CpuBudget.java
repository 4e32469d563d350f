package io.streamcast.model;

import java.util.function.LongSupplier;

/**
 * A share of one core for background training, measured by the trainer thread's own CPU time: a
 * round may start while the budget has credit ({@link #allows()}), and its {@link #pacer} rests
 * between steps until the credit is back, so that over any stretch of time training uses at most
 * {@code share} of a core (plus a bounded burst) whatever the event rate. Time and CPU time are
 * injected ({@link #CpuBudget(double, long, LongSupplier, LongSupplier)}), so the accounting is
 * deterministic under test. Thread-safe: the task thread asks, the trainer's thread spends.
 *
 * <p>Implementation notes: a token bucket in nanoseconds of CPU. Credit grows by {@code share} of
 * the wall time that passes and shrinks by the CPU time the trainer's thread used, capped at {@code
 * burstNanos} whenever it is read, so that an idle trainer cannot save up more than one burst of
 * full-speed work (the job reads it when a round is due and after every step). CPU time (not the
 * wall time a piece of work took) is what is charged: a trainer preempted by the forecasters is not
 * charged for the time it waited, and one running at idle priority is charged only for what it got.
 * {@link #starved} tells the task thread that the trainer got less than half its share over a
 * round, for a trainer at idle priority on a machine kept busy (then it should compete at normal
 * priority, still within the budget).
 */
public final class CpuBudget {
    /** Sleeps the calling thread; {@link #pacer} uses {@link Thread#sleep} in the job. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final double share;
    private final long burstNanos;
    private final LongSupplier clock;
    private final LongSupplier cpuTime;
    private double credit;
    private long lastClock;
    private long lastCpu;
    private long roundClock;
    private long roundCpu;

    /**
     * {@code share} of one core (in (0, 1]; 1 means unlimited for one thread), at most {@code
     * burstNanos} of saved-up CPU time; {@code clock} and {@code cpuTime} in nanoseconds (the
     * latter the trainer thread's CPU time). Starts with a full burst, so that a young model trains
     * at once.
     */
    public CpuBudget(double share, long burstNanos, LongSupplier clock, LongSupplier cpuTime) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1], was " + share);
        }
        if (burstNanos < 0) {
            throw new IllegalArgumentException("burstNanos must not be negative: " + burstNanos);
        }
        this.share = share;
        this.burstNanos = burstNanos;
        this.clock = clock;
        this.cpuTime = cpuTime;
        this.lastClock = clock.getAsLong();
        this.lastCpu = cpuTime.getAsLong();
        this.credit = burstNanos;
        this.roundClock = lastClock;
        this.roundCpu = lastCpu;
    }

    public double share() {
        return share;
    }

    private void update() {
        long now = clock.getAsLong();
        long cpu = cpuTime.getAsLong();
        credit = Math.min(burstNanos, credit + share * (now - lastClock) - (cpu - lastCpu));
        lastClock = now;
        lastCpu = cpu;
    }

    /** How long until the budget has credit again (0: now). */
    public synchronized long waitNanos() {
        update();
        return credit >= 0 ? 0 : (long) Math.ceil(-credit / share);
    }

    /**
     * Takes note of the trainer's work since the last reading without charging it: work done on CPU
     * time nothing else wanted (the trainer at idle priority) costs the rest of the machine
     * nothing. The credit keeps growing with the time that passed.
     */
    public synchronized void uncharged() {
        long now = clock.getAsLong();
        credit = Math.min(burstNanos, credit + share * (now - lastClock));
        lastClock = now;
        lastCpu = cpuTime.getAsLong();
    }

    /** Whether the trainer may start work now. */
    public boolean allows() {
        return waitNanos() == 0;
    }

    /** Marks the start of a round, for {@link #starved}. */
    public synchronized void roundStarted() {
        roundClock = clock.getAsLong();
        roundCpu = cpuTime.getAsLong();
    }

    /**
     * Whether, at least {@code afterNanos} into the round, the trainer has had less than half the
     * CPU time its share allowed since the round started.
     */
    public synchronized boolean starved(long afterNanos) {
        long elapsed = clock.getAsLong() - roundClock;
        return elapsed >= afterNanos && cpuTime.getAsLong() - roundCpu < share * elapsed / 2;
    }

    /**
     * A pacer that, after each piece of work, sleeps until the budget has credit again; an
     * interrupt (shutting down) ends the pauses.
     */
    public Pacer pacer(Sleeper sleeper) {
        return workNanos -> {
            long wait = waitNanos();
            if (wait > 0 && !Thread.currentThread().isInterrupted()) {
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /** The pacer of the job: {@link Thread#sleep}. */
    public Pacer pacer() {
        return pacer(nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }
}

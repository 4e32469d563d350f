package io.streamcast.cli;

import java.io.PrintStream;

/**
 * A simulator's producer on its own thread (the demo and bench consume on theirs), keeping what
 * ended it, so that the command fails with a message when producing failed instead of exiting 0
 * with a crashed thread behind it.
 */
public final class ProducerThread {
    private final Thread thread;
    private volatile Throwable failure;

    public ProducerThread(String name, Runnable produce) {
        this.thread =
                new Thread(
                        () -> {
                            try {
                                produce.run();
                            } catch (Throwable t) {
                                failure = t;
                            }
                        },
                        name);
    }

    public void start() {
        thread.start();
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    public void join() throws InterruptedException {
        thread.join();
    }

    /** What ended the producer, or null while it runs or when it finished normally. */
    public Throwable failure() {
        return failure;
    }

    /**
     * 0 when the producer finished normally; else prints to {@code err} which command failed, after
     * how many events and why, and returns 1.
     */
    public int exitCode(String command, long sent, PrintStream err) {
        Throwable t = failure;
        if (t == null) {
            return 0;
        }
        err.println(
                "streamcast: "
                        + command
                        + ": the simulator's producer failed after "
                        + sent
                        + " events sent: "
                        + t.getClass().getSimpleName()
                        + ": "
                        + t.getMessage()
                        + (t.getCause() != null && t.getCause() != t
                                ? " (" + t.getCause().getMessage() + ")"
                                : ""));
        return 1;
    }
}

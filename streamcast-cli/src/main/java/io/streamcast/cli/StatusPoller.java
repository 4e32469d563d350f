package io.streamcast.cli;

import java.time.Duration;

/**
 * Reads a local job's numbers ({@link JobMetrics}) every few seconds on a daemon thread and hands
 * them to a {@link RunReporter}. Often enough that the closing line's totals are at most {@link
 * #POLL} old; a read that fails (the job restarting, the REST server busy) is skipped and tried
 * again at the next turn.
 */
final class StatusPoller implements AutoCloseable {
    static final Duration POLL = Duration.ofSeconds(2);

    private final JobMetrics metrics;
    private final RunReporter reporter;
    private final long pollMillis;
    private final Thread thread;
    private volatile boolean running = true;

    StatusPoller(JobMetrics metrics, RunReporter reporter, Duration every) {
        this.metrics = metrics;
        this.reporter = reporter;
        this.pollMillis = Math.min(POLL.toMillis(), every.toMillis());
        this.thread = new Thread(this::run, "streamcast-run-status");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(pollMillis);
                JobMetrics.Snapshot s = metrics.read();
                if (running) {
                    reporter.accept(s, System.currentTimeMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (java.io.IOException | RuntimeException skipped) {
                // Next turn.
            }
        }
    }

    /** Stops polling; the reporter keeps the last numbers read. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

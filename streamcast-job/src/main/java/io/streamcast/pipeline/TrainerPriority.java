package io.streamcast.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPU priority of the trainer's background thread for {@code training.priority=idle}: idle
 * (Linux SCHED_IDLE, which runs only on CPU time no other thread of the machine wants) while
 * training keeps up, so that rounds never delay forecasts; normal while it is a whole round behind,
 * so that a machine the forecasters keep busy still trains. Java has no API for scheduling classes:
 * this runs util-linux's {@code chrt} on the thread's id.
 */
final class TrainerPriority {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerPriority.class);

    /** Scheduling policies as a thread's {@code /proc/.../stat} reports them. */
    static final int SCHED_OTHER = 0;

    static final int SCHED_IDLE = 5;

    private String threadId;
    private boolean idle;

    /**
     * Whether this round was raised already (or tried to be): the task thread calls raise for every
     * queued sample.
     */
    private boolean raisedThisRound;

    private TrainerPriority() {}

    /**
     * A priority control, or null (with a warning saying why) where a thread could not be brought
     * back from idle to normal priority: not Linux, no {@code chrt}, or no permission (an
     * unprivileged process needs CAP_SYS_NICE or an RLIMIT_NICE of 20 to leave SCHED_IDLE). A
     * trainer that could not be raised could starve, so it stays normal.
     */
    static TrainerPriority ifReversible() throws InterruptedException {
        // chrt runs from this (normal) thread on the probe's id: a thread at idle priority must
        // start no process, as the JDK's process-reaper thread it may create would inherit the idle
        // class and delay every waitFor.
        CountDownLatch probed = new CountDownLatch(1);
        String[] id = new String[1];
        CountDownLatch started = new CountDownLatch(1);
        Thread probe =
                new Thread(
                        () -> {
                            id[0] = currentThreadId();
                            started.countDown();
                            try {
                                probed.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "streamcast-priority-probe");
        probe.start();
        started.await();
        boolean reversible = id[0] != null && chrt("--idle", id[0]) && chrt("--other", id[0]);
        probed.countDown();
        probe.join();
        if (!reversible) {
            LOG.warn(
                    "training.priority=idle: this process cannot move a thread to idle priority and back (needs"
                            + " Linux, util-linux's chrt, and root, CAP_SYS_NICE or 'ulimit -e 20'): the trainer runs at"
                            + " normal priority");
            return null;
        }
        return new TrainerPriority();
    }

    /**
     * On the trainer's thread, as a round starts: back to idle priority (a no-op if it is there
     * already, so that the thread starts {@code chrt} only while at normal priority).
     */
    synchronized void idleForRound() {
        if (threadId == null) {
            threadId = currentThreadId();
        }
        if (!idle && threadId != null) {
            idle = chrt("--idle", threadId);
        }
        raisedThisRound = false;
    }

    /** Whether the trainer's thread is at idle priority now. */
    synchronized boolean isIdle() {
        return idle;
    }

    /**
     * From any thread: the trainer is a whole round behind, so let its current round compete for
     * CPU.
     */
    synchronized void raise() {
        if (idle && !raisedThisRound) {
            raisedThisRound = true;
            idle = !chrt("--other", threadId);
            if (idle) {
                LOG.warn(
                        "could not return the trainer's thread {} to normal priority: this round stays idle",
                        threadId);
            }
        }
    }

    private static String currentThreadId() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null; // not Linux
        }
    }

    private static boolean chrt(String policy, String threadId) {
        try {
            Process p =
                    new ProcessBuilder("chrt", policy, "-p", "0", threadId)
                            .redirectErrorStream(true)
                            .start();
            String output = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return true;
            }
            LOG.debug("'chrt {} -p 0 {}' failed: {}", policy, threadId, output);
        } catch (IOException e) {
            LOG.debug("could not run chrt", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** The scheduling policy in a thread's {@code /proc/<pid>/task/<tid>/stat} (field 41). */
    static int policy(Path stat) throws IOException {
        String line = Files.readString(stat);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its
        // closing one.
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[41 - 3]);
    }
}

package io.streamcast.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling thread's CPU scheduling priority (its Linux nice value), so that background work such as
 * training rounds runs in the CPU time that latency-critical threads leave over instead of competing with them.
 * Best effort: where it cannot (not Linux, no {@code renice}), it logs why and the thread keeps its priority.
 *
 * <p>Implementation notes: Java has no API for this. On Linux the nice value is per thread, and {@code renice -p}
 * of a thread id changes only that thread; {@code /proc/thread-self/stat} names the calling thread's id. The value
 * goes without {@code -n}, which some renice implementations read as an increment: without it, util-linux and
 * busybox both take it as the absolute value.
 */
public final class ThreadNiceness {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadNiceness.class);
    private static final Path SELF = Path.of("/proc/thread-self/stat");

    private ThreadNiceness() {}

    /**
     * Sets the calling thread's nice value to {@code niceness} (1-19: higher yields more; 0 leaves it alone).
     * Returns whether the thread now runs at that value.
     */
    public static boolean lowerCurrentThread(int niceness) {
        if (niceness <= 0) {
            return true;
        }
        OptionalInt tid = statField(0);
        if (tid.isEmpty()) {
            LOG.warn("cannot lower thread {}'s CPU priority: no {} (not Linux?)", Thread.currentThread().getName(),
                    SELF);
            return false;
        }
        try {
            Process renice = new ProcessBuilder("renice", String.valueOf(niceness), "-p",
                    String.valueOf(tid.getAsInt())).redirectErrorStream(true).start();
            String output = new String(renice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                LOG.warn("cannot lower thread {}'s CPU priority: renice said: {}", Thread.currentThread().getName(),
                        output);
                return false;
            }
        } catch (IOException e) {
            LOG.warn("cannot lower thread {}'s CPU priority: {}", Thread.currentThread().getName(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return currentNiceness().orElse(0) == niceness;
    }

    /** The calling thread's nice value, if this system tells it. */
    public static OptionalInt currentNiceness() {
        return statField(18);
    }

    /**
     * A numeric field of the calling thread's {@code stat} line (0-based: 0 is the thread id, 18 the nice value). The
     * thread's name, field 1, is parenthesised and may hold spaces, so fields after it are counted from its ')'.
     */
    private static OptionalInt statField(int index) {
        try {
            String stat = Files.readString(SELF, StandardCharsets.US_ASCII);
            if (index == 0) {
                return OptionalInt.of(Integer.parseInt(stat.substring(0, stat.indexOf(' '))));
            }
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return OptionalInt.of(Integer.parseInt(after[index - 2]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}

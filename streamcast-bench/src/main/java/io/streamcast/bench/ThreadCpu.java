package io.streamcast.bench;

import io.streamcast.pipeline.TrainerOperator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads that no reading costs: the background trainer and the JIT's
 * compiler threads, read from Linux's {@code /proc/self/task}. The process CPU includes both, and
 * both take what the job leaves: an idle-priority trainer runs whenever a core is free and the
 * compilers work for minutes after start, so CPU per reading is the process CPU without them. Empty
 * where {@code /proc} is not readable.
 *
 * <p>Implementation notes: the JVM's compiler threads are not Java threads that {@code
 * ThreadMXBean} lists, hence {@code /proc}; a thread's name there is its first 15 characters.
 * Threads that end between two samples take their time with them (the trainer lives as long as the
 * job).
 */
final class ThreadCpu {
    /**
     * Linux's clock ticks per second for {@code /proc}'s times (USER_HZ, 100 on every platform).
     */
    private static final double TICKS_PER_SECOND = 100;

    private static final Path TASKS = Path.of("/proc/self/task");

    /** The trainer thread's name as /proc shows it: at most 15 characters. */
    private static final String TRAINER_NAME =
            TrainerOperator.THREAD_NAME.substring(
                    0, Math.min(15, TrainerOperator.THREAD_NAME.length()));

    /** Accumulated CPU seconds of the trainer thread and of the JIT's compiler threads. */
    record Sample(double trainerSeconds, double compilerSeconds) {}

    private ThreadCpu() {}

    static Optional<Sample> sample() {
        double trainer = 0;
        double compiler = 0;
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended while listing
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                Role role = Role.of(name);
                if (role == Role.OTHER) {
                    continue;
                }
                double seconds = seconds(stat);
                if (role == Role.TRAINER) {
                    trainer += seconds;
                } else {
                    compiler += seconds;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(new Sample(trainer, compiler));
    }

    /** User and system time of one {@code stat} line (fields 14 and 15), in seconds. */
    static double seconds(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after[0] is field 3 (the state), so fields 14 and 15 are at 11 and 12.
        return (Long.parseLong(after[11]) + Long.parseLong(after[12])) / TICKS_PER_SECOND;
    }

    enum Role {
        TRAINER,
        COMPILER,
        OTHER;

        /** The role of a thread by its (at most 15-character) name. */
        static Role of(String name) {
            if (name.equals(TRAINER_NAME)) {
                return TRAINER;
            }
            if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                return COMPILER;
            }
            return OTHER;
        }
    }
}

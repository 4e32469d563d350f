package io.streamcast.model;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns an {@link OnlineTrainer} and with it every ND4J array and DL4J network
 * of training: the trainer is built on this thread, and every use of it (restore, snapshot, feeding
 * samples, rounds, parameter export) is a task submitted here, so no other thread can reach it.
 * What crosses threads is plain Java: the tasks' inputs and results ({@code float[]}, {@code
 * byte[]}, {@link TrainingRound}).
 *
 * <p>Usage: {@code try (TrainerThread t = new TrainerThread(spec, training, window,
 * "streamcast-trainer")) { t.call(tr -> tr.add(x, y)); Future<TrainingRound> r =
 * t.submit(OnlineTrainer::dueRound); }}. Tasks run one at a time in submission order. A task must
 * not return the trainer itself or anything holding ND4J objects.
 */
public final class TrainerThread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerThread.class);

    /** How long {@link #close} waits for a running round: DL4J's fit does not stop on interrupt. */
    private static final long CLOSE_WAIT_SECONDS = 60;

    private final ExecutorService executor;

    /** Only ever dereferenced inside tasks on {@link #executor}'s thread. */
    private final OnlineTrainer trainer;

    private volatile Thread thread;

    public TrainerThread(
            NetworkSpec spec, TrainingSettings config, int windowSize, String threadName) {
        this.executor =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, threadName);
                            t.setDaemon(true);
                            thread = t;
                            return t;
                        });
        try {
            this.trainer =
                    await(executor.submit(() -> new OnlineTrainer(spec, config, windowSize)));
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    /**
     * The trainer thread's CPU time in nanoseconds, readable from any thread (for a {@link
     * CpuBudget}), or null where the JVM does not measure a thread's CPU time.
     */
    public LongSupplier cpuTime() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            return null;
        }
        if (!mx.isThreadCpuTimeEnabled()) {
            mx.setThreadCpuTimeEnabled(true);
        }
        long id = thread.getId();
        // -1 once the thread has ended: no more CPU time is used then.
        long[] last = {0};
        return () -> {
            long t = mx.getThreadCpuTime(id);
            if (t >= 0) {
                last[0] = t;
            }
            return last[0];
        };
    }

    /** Runs {@code work} on the trainer's thread and waits for its result. */
    public <T> T call(Function<OnlineTrainer, T> work) {
        return await(submit(work));
    }

    /**
     * Queues {@code work} for the trainer's thread; it runs after every task submitted before it.
     */
    public <T> Future<T> submit(Function<OnlineTrainer, T> work) {
        return executor.submit(() -> work.apply(trainer));
    }

    /** The result of a task, waiting for it; its failure rethrown unchecked. */
    public static <T> T await(Future<T> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("trainer task failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the trainer", e);
        }
    }

    /**
     * Drops queued tasks and waits (bounded) for the running one, so that no training outlives its
     * owner; the thread ends with it.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn(
                        "the trainer's thread did not finish its round within {} s of closing",
                        CLOSE_WAIT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

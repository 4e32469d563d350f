package io.streamcast.bench;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.config.StreamcastConfig.TrainingConfig;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.OnlineTrainer;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * {@code bench --training}: what one retraining round of the configured network costs, on one
 * thread: rounds of {@code training.steps-per-round} Adam steps plus validation on a full replay
 * buffer of noisy sine windows, timed after a warm-up. Reports wall and CPU time per round and the
 * share of a core that retraining takes at {@code simulator.rate} events/s with the configured
 * sampling rate and round interval. Never used by tests.
 */
final class TrainingBench {
    private static final long RUN_NANOS = 15_000_000_000L;

    private TrainingBench() {}

    static int run(StreamcastConfig config, PrintStream out) {
        NetworkSpec spec = config.networkSpec();
        TrainingConfig training = config.training();
        int rows = config.window().size();
        OnlineTrainer trainer = new OnlineTrainer(spec, training.settings(), rows);
        Random r = new Random(1);
        for (int i = 0; i < training.bufferSize(); i++) {
            float[] x = new float[rows * spec.width()];
            float[] y = new float[rows * spec.horizon()];
            double phase = r.nextDouble() * 2 * Math.PI;
            for (int t = 0; t < rows; t++) {
                x[t * spec.width()] = (float) (Math.sin(phase + t / 4.0) + 0.1 * r.nextGaussian());
                for (int k = 0; k < spec.horizon(); k++) {
                    y[t * spec.horizon() + k] =
                            (float)
                                    (Math.sin(phase + (t + k + 1) / 4.0)
                                            - Math.sin(phase + t / 4.0));
                }
            }
            trainer.add(x, y); // a round falling due here is not run: only the timed ones below
        }
        out.printf(
                "training bench: %s, %d layer(s), hidden %d, window %d; rounds of %d Adam steps on batches of %d"
                        + " and validation on up to %d held-back windows of a %d-window buffer%n",
                spec.cell().id(),
                spec.layers(),
                spec.hidden(),
                rows,
                training.stepsPerRound(),
                training.batchSize(),
                OnlineTrainer.MAX_VALIDATION,
                training.bufferSize());
        for (int i = 0; i < 3; i++) {
            trainer.runRound();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        int rounds = 0;
        do {
            trainer.runRound();
            rounds++;
        } while (System.nanoTime() - start < RUN_NANOS);
        double wallMs = (System.nanoTime() - start) / 1e6 / rounds;
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / rounds;
        out.printf("  per round: %.0f ms wall, %.0f ms CPU (%d rounds)%n", wallMs, cpuMs, rounds);
        double samplesPerSecond = config.simulator().eventsPerSecond() * training.sampleRate();
        if (training.maxSamplesPerSecond() > 0) {
            samplesPerSecond = Math.min(samplesPerSecond, training.maxSamplesPerSecond());
        }
        if (samplesPerSecond > 0) {
            double secondsBetweenRounds = training.roundEvery() / samplesPerSecond;
            // A background trainer waits for its CPU budget: rounds no closer than their CPU time
            // at the budget's share of a core.
            double budgeted = Math.max(secondsBetweenRounds, cpuMs / 1e3 / training.cpuShare());
            out.printf(
                    "  at %,d events/s, %,.0f samples/s (sampling %.3f, at most %,.0f/s), a round due"
                            + " every %,d samples: one every %.1f s, within training.cpu-share %.2f one"
                            + " every %.1f s, %.2f of a core%n",
                    config.simulator().eventsPerSecond(),
                    samplesPerSecond,
                    training.sampleRate(),
                    training.maxSamplesPerSecond(),
                    training.roundEvery(),
                    secondsBetweenRounds,
                    training.cpuShare(),
                    budgeted,
                    cpuMs / 1e3 / budgeted);
        }
        return 0;
    }
}

package io.streamcast.bench;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.model.Cell;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.RecurrentNetwork;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * {@code bench --inference}: the forecaster's arithmetic alone, on one thread: batched one-step
 * advances and window rebuilds of the configured network over {@code inference.batch-size} series,
 * timed after a warm-up. Reports the cost per series-step and the FLOP/s achieved against this
 * core's AVX2/FMA peak (32 single-precision FLOP per cycle). Never used by tests.
 */
final class InferenceBench {
    private static final long RUN_NANOS = 3_000_000_000L;

    private InferenceBench() {}

    static int run(StreamcastConfig config, PrintStream out) throws Exception {
        NetworkSpec spec = config.networkSpec();
        RecurrentNetwork net = RecurrentNetwork.create(spec);
        int n = config.inference().batchSize();
        int rows = config.window().size();
        Random r = new Random(1);
        float[] inputs = new float[n * spec.width()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = (float) r.nextGaussian();
        }
        float[][] windows = new float[n][rows * spec.width()];
        for (float[] w : windows) {
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
        }
        float[][] states = new float[n][net.stateSize()];
        double flops = flopsPerStep(spec);
        out.printf(
                "inference bench: %s, %d layer(s), hidden %d, width %d, horizon %d; batches of %d series;"
                        + " %.1f kFLOP per series-step%n",
                spec.cell().id(),
                spec.layers(),
                spec.hidden(),
                spec.width(),
                spec.horizon(),
                n,
                flops / 1e3);
        double peak = peakFlopsPerCore();
        if (net.stateful()) {
            double stepNs = time(() -> net.step(inputs, states, n), n);
            report(out, "one-step advance", stepNs, flops, peak);
        }
        double rebuildNs = time(() -> net.runWindows(windows, rows, states, n), n);
        report(out, "window rebuild (" + rows + " rows)", rebuildNs, flops * rows, peak);
        return 0;
    }

    /**
     * Multiply-adds of the recurrent layers and the head for one series and one reading, times two.
     */
    static double flopsPerStep(NetworkSpec spec) {
        int gates =
                switch (spec.cell()) {
                    case RNN -> 1;
                    case GRU -> 3;
                    case BILSTM -> 8;
                    case LSTM -> 4;
                };
        double macs = 0;
        int in = spec.width();
        for (int l = 0; l < spec.layers(); l++) {
            macs += (double) gates * spec.hidden() * (in + spec.hidden());
            in = spec.cell() == Cell.BILSTM ? 2 * spec.hidden() : spec.hidden();
        }
        macs += (double) in * spec.horizon();
        return 2 * macs;
    }

    /**
     * Nanoseconds per series for one call of {@code work} over {@code n} series, after a warm-up.
     */
    private static double time(Runnable work, int n) {
        long until = System.nanoTime() + RUN_NANOS / 3;
        while (System.nanoTime() < until) {
            work.run();
        }
        long calls = 0;
        long start = System.nanoTime();
        long end;
        do {
            work.run();
            calls++;
            end = System.nanoTime();
        } while (end - start < RUN_NANOS);
        return (end - start) / (double) (calls * n);
    }

    private static void report(
            PrintStream out, String what, double nsPerSeries, double flops, double peak) {
        double gflops = flops / nsPerSeries;
        out.printf(
                "  %-26s %9.2f µs per series  %,12.0f series/s  %6.2f GFLOP/s",
                what, nsPerSeries / 1e3, 1e9 / nsPerSeries, gflops);
        out.println(
                Double.isNaN(peak)
                        ? ""
                        : String.format(
                                "  (%.1f%% of one core's peak %.0f GFLOP/s)",
                                100 * gflops * 1e9 / peak, peak / 1e9));
    }

    /**
     * 32 FLOP per cycle (two 8-wide FMA pipes) at the clock /proc/cpuinfo reports; NaN where it
     * says nothing.
     */
    static double peakFlopsPerCore() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("cpu MHz")) {
                    return 32
                            * Double.parseDouble(line.substring(line.indexOf(':') + 1).trim())
                            * 1e6;
                }
            }
        } catch (Exception e) {
            // No /proc/cpuinfo: report without a peak.
        }
        return Double.NaN;
    }
}

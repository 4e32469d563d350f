package io.streamcast.eval.forecast;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo's accounting: event → committed forecast latencies, and the one-step absolute errors of
 * the model and of repeat-last per simulated step, summarised over the second half of the run
 * (after the model had time to learn).
 */
public final class DemoSummary {
    private final List<Long> latencies = new ArrayList<>();

    /** [step, |model error|, |repeat-last error|]. */
    private final List<double[]> errors = new ArrayList<>();

    private long maxStep;

    /** One forecast's latency from its event's send, in nanoseconds. */
    public void latency(long nanos) {
        latencies.add(nanos);
    }

    /** A step of the run seen (a forecast's simulated step, counted even when it is not scored). */
    public void step(long step) {
        maxStep = Math.max(maxStep, step);
    }

    /**
     * The one-step forecast {@code mean} made at simulated {@code step}, where the reading then was
     * {@code now} and the next one turned out to be {@code next}.
     */
    public void oneStep(long step, double mean, double now, double next) {
        step(step);
        errors.add(new double[] {step, Math.abs(mean - next), Math.abs(now - next)});
    }

    /** Latencies recorded. */
    public int latencies() {
        return latencies.size();
    }

    /** The latency percentile {@code q} in whole milliseconds; throws if none was recorded. */
    public long latencyMillis(double q) {
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return Percentile.of(sorted, q) / 1_000_000;
    }

    /** The one-step mean absolute errors over the second half of the steps seen. */
    public Mae secondHalf() {
        double half = maxStep / 2.0;
        double model = 0;
        double repeat = 0;
        int n = 0;
        for (double[] e : errors) {
            if (e[0] >= half) {
                model += e[1];
                repeat += e[2];
                n++;
            }
        }
        return n == 0 ? new Mae(0, Double.NaN, Double.NaN) : new Mae(n, model / n, repeat / n);
    }

    /**
     * Mean absolute errors of the model and of repeat-last over {@code n} forecasts (NaN when n is
     * 0).
     */
    public record Mae(int n, double model, double repeatLast) {}
}

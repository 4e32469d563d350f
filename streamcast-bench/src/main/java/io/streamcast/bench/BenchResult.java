package io.streamcast.bench;

import io.streamcast.eval.forecast.Percentile;
import java.util.List;
import java.util.Map;

/**
 * What the bench measured over the interval after warm-up, in named parts (also its {@code --json}
 * layout).
 */
record BenchResult(
        Throughput throughput,
        Latency committed,
        Latency written,
        BatchSizes batches,
        Resources resources,
        double measuredSeconds,
        Map<String, TaskTime> taskTimes,
        List<LatencyProbe.SecondOfLatency> writtenBySecond,
        List<String> checkpoints) {

    /** Events in and forecasts out per second while measuring, and the totals of the whole run. */
    record Throughput(
            long series,
            double offeredPerSecond,
            double eventsInPerSecond,
            double forecastsWrittenPerSecond,
            double forecastsCommittedPerSecond,
            long forecastsTotal,
            long eventsTotal) {}

    /** Event → forecast latency percentiles of the sampled series, in milliseconds. */
    record Latency(double p50Ms, double p95Ms, double p99Ms, long samples) {
        static Latency of(long[] sortedNanos) {
            return new Latency(
                    Percentile.millis(sortedNanos, 0.5),
                    Percentile.millis(sortedNanos, 0.95),
                    Percentile.millis(sortedNanos, 0.99),
                    sortedNanos.length);
        }
    }

    /**
     * The forecasters' inference batch sizes (their last 1000 batches, averaged over subtasks; max
     * of all).
     */
    record BatchSizes(double mean, double p50, double p95, long max) {}

    /**
     * Process CPU in cores, and of it the background trainer's and the JIT compilers' (NaN where
     * not measured: {@link ThreadCpu}), peak heap and physical memory, the JIT's compile time,
     * memory over time.
     */
    record Resources(
            double cpuCores,
            double trainingCores,
            double compilerCores,
            long peakHeapBytes,
            long peakPhysicalBytes,
            long jitMs,
            List<MemorySample> memory) {}

    /**
     * Milliseconds per second a task subtask was busy, back-pressured (waiting for downstream) and
     * idle (waiting for input), averaged over the samples taken every 5 s while measuring: the
     * busiest task is the bottleneck.
     */
    record TaskTime(
            double busyMsPerSecond, double backPressuredMsPerSecond, double idleMsPerSecond) {}

    /** Heap in use and physical (resident) memory of this JVM, {@code seconds} after the start. */
    record MemorySample(double seconds, long heapBytes, long physicalBytes) {}
}

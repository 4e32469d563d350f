package io.streamcast.bench;

import io.streamcast.bench.BenchResult.BatchSizes;
import io.streamcast.bench.BenchResult.Latency;
import io.streamcast.bench.BenchResult.MemorySample;
import io.streamcast.bench.BenchResult.Resources;
import io.streamcast.bench.BenchResult.TaskTime;
import io.streamcast.bench.BenchResult.Throughput;
import io.streamcast.cli.ProducerThread;
import io.streamcast.config.StreamcastConfig;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.bytedeco.javacpp.Pointer;

/**
 * The bench's watch over one run: polls every 100 ms until the producer has stopped and the job has
 * drained, and keeps what it saw (counters at the start and end of the measured interval,
 * checkpoints, training rounds, JIT time, memory and task time samples) for the {@link
 * BenchResult}.
 */
final class Measurement {
    private static final long POLL_MS = 100;
    private static final long REPORT_EVERY_NANOS = 5_000_000_000L;

    /** After the producer stops, the job gets this long (and a checkpoint) to drain. */
    private static final long DRAIN_NANOS = 15_000_000_000L;

    private final StreamcastConfig config;
    private final LongSupplier sent;
    private final ProducerThread producer;
    private final long start;
    private final long measureFrom;
    private final LatencyProbe probe;
    private final BenchMetrics metrics;
    private final PrintStream out;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    // The JIT compilers' accumulated time: they share the cores with the job, and their bursts line
    // up with latency bumps.
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();

    /** {nanoTime, the JIT's cumulative compile milliseconds} per poll. */
    private final List<long[]> compiledAt = new ArrayList<>();

    private final List<MemorySample> memorySamples = new ArrayList<>();
    private final Map<String, double[]> taskTimeSums = new TreeMap<>();
    private final List<Long> checkpointsAt = new ArrayList<>();
    private final List<String> checkpoints = new ArrayList<>();
    private final List<Long> roundsAt = new ArrayList<>();
    private int taskTimeSamples;
    private long jitAtStart;
    private long sentAtStart = -1;
    private long committedAtStart;
    private long committedAtEnd = -1;
    private long cpuAtStart;
    private Optional<ThreadCpu.Sample> threadsAtStart = Optional.empty();
    private long peakHeap;
    private long peakPhysical;
    private long producerDoneAt = -1;
    private long lastReport;
    private long writtenDuringMeasurement = -1;
    private long checkpointsSeen;
    private long roundsSeen;

    Measurement(
            StreamcastConfig config,
            LongSupplier sent,
            ProducerThread producer,
            long start,
            long measureFrom,
            LatencyProbe probe,
            BenchMetrics metrics,
            PrintStream out) {
        this.config = config;
        this.sent = sent;
        this.producer = producer;
        this.start = start;
        this.measureFrom = measureFrom;
        this.probe = probe;
        this.metrics = metrics;
        this.out = out;
        this.lastReport = start;
    }

    /** Watches until the run is over, then summarises the measured interval. */
    BenchResult run() throws InterruptedException {
        while (true) {
            long now = System.nanoTime();
            if (sentAtStart < 0 && now >= measureFrom) {
                startMeasuring();
            }
            if (producerDoneAt < 0 && !producer.isAlive()) {
                stopMeasuring(now);
            }
            if (drained(now)) {
                break;
            }
            Thread.sleep(POLL_MS);
            poll(now);
            if (now - lastReport > REPORT_EVERY_NANOS) {
                lastReport = now;
                report(now);
            }
        }
        producer.join();
        return result();
    }

    private void startMeasuring() {
        sentAtStart = sent.getAsLong();
        committedAtStart = probe.committedOffsets();
        cpuAtStart = os.getProcessCpuTime();
        threadsAtStart = ThreadCpu.sample();
        jitAtStart = jitTimed ? jit.getTotalCompilationTime() : 0;
        // To line the per-second latencies up with GC or JIT logs, which count JVM uptime.
        out.printf(
                "  measuring from JVM uptime %.1f s%n",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
    }

    private void stopMeasuring(long now) {
        producerDoneAt = now;
        writtenDuringMeasurement = probe.stopCounting();
        committedAtEnd = probe.committedOffsets();
    }

    /** Once the producer stopped: every forecast read and committed, or the drain time is up. */
    private boolean drained(long now) {
        return producerDoneAt > 0
                && ((probe.total() >= sent.getAsLong() && probe.allCommitted())
                        || now - producerDoneAt > DRAIN_NANOS);
    }

    private boolean measuring(long now) {
        return now >= measureFrom && producerDoneAt < 0;
    }

    /** Checkpoints, training rounds, JIT time and peak memory since the last poll. */
    private void poll(long now) {
        long checkpointsNow = metrics.completedCheckpoints();
        long roundsNow = metrics.rounds(true) + metrics.rounds(false);
        if (checkpointsNow > checkpointsSeen) {
            checkpointsSeen = checkpointsNow;
            checkpointsAt.add(now);
            if (measuring(now)) {
                checkpoints.add(
                        String.format(
                                "at %4.1f s: %s",
                                (now - measureFrom) / 1e9, metrics.lastCheckpoint()));
            }
        }
        if (roundsNow > roundsSeen) {
            roundsSeen = roundsNow;
            roundsAt.add(now);
        }
        if (jitTimed) {
            compiledAt.add(new long[] {now, jit.getTotalCompilationTime()});
        }
        peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
        peakPhysical = Math.max(peakPhysical, Pointer.physicalBytes());
    }

    /** A memory sample, a task time sample while measuring, and a progress line. */
    private void report(long now) {
        long heap = memory.getHeapMemoryUsage().getUsed();
        long physical = Pointer.physicalBytes();
        memorySamples.add(new MemorySample((now - start) / 1e9, heap, physical));
        if (measuring(now)) {
            taskTimeSamples++;
            metrics.taskTimes()
                    .forEach(
                            (task, v) -> {
                                double[] sum =
                                        taskTimeSums.computeIfAbsent(
                                                task, t -> new double[v.length]);
                                for (int i = 0; i < v.length; i++) {
                                    sum[i] += v[i];
                                }
                            });
        }
        out.printf(
                "  t=%3.0fs sent %,d forecasts written %,d committed %,d  heap %,d MB physical %,d MB%n",
                (now - start) / 1e9,
                sent.getAsLong(),
                probe.total(),
                probe.committedOffsets(),
                heap >> 20,
                physical >> 20);
    }

    private BenchResult result() throws InterruptedException {
        long end = producerDoneAt > 0 ? producerDoneAt : System.nanoTime();
        double seconds = Math.max(1e-9, (end - measureFrom) / 1e9);
        if (writtenDuringMeasurement < 0) {
            writtenDuringMeasurement = probe.stopCounting();
            committedAtEnd = probe.committedOffsets();
        }
        probe.finish();
        Throughput throughput =
                new Throughput(
                        config.simulator().series(),
                        config.simulator().eventsPerSecond(),
                        (sent.getAsLong() - Math.max(0, sentAtStart)) / seconds,
                        writtenDuringMeasurement / seconds,
                        (committedAtEnd - committedAtStart) / seconds,
                        probe.total(),
                        sent.getAsLong());
        double wall = Math.max(1e-9, (System.nanoTime() - measureFrom) / 1e9);
        double cpu = (os.getProcessCpuTime() - cpuAtStart) / 1e9 / wall;
        Optional<ThreadCpu.Sample> threadsAtEnd = ThreadCpu.sample();
        double training = Double.NaN;
        double compilers = Double.NaN;
        if (threadsAtStart.isPresent() && threadsAtEnd.isPresent()) {
            training =
                    (threadsAtEnd.get().trainerSeconds() - threadsAtStart.get().trainerSeconds())
                            / wall;
            compilers =
                    (threadsAtEnd.get().compilerSeconds() - threadsAtStart.get().compilerSeconds())
                            / wall;
        }
        long jitMs = jitTimed ? jit.getTotalCompilationTime() - jitAtStart : -1;
        return new BenchResult(
                throughput,
                Latency.of(probe.committedLatencies()),
                Latency.of(probe.writtenLatencies()),
                batchSizes(metrics.batchSizes()),
                new Resources(
                        cpu, training, compilers, peakHeap, peakPhysical, jitMs, memorySamples),
                seconds,
                taskTimes(),
                probe.bySecond(checkpointsAt, roundsAt, compiledAt),
                checkpoints);
    }

    private static BatchSizes batchSizes(List<Histogram> batches) {
        double mean = 0;
        double p50 = 0;
        double p95 = 0;
        long max = 0;
        for (Histogram h : batches) {
            HistogramStatistics st = h.getStatistics();
            mean += st.getMean() / batches.size();
            p50 += st.getQuantile(0.5) / batches.size();
            p95 += st.getQuantile(0.95) / batches.size();
            max = Math.max(max, st.getMax());
        }
        return new BatchSizes(mean, p50, p95, max);
    }

    private Map<String, TaskTime> taskTimes() {
        Map<String, TaskTime> taskTimes = new LinkedHashMap<>();
        int k = Math.max(1, taskTimeSamples);
        taskTimeSums.forEach(
                (task, sum) ->
                        taskTimes.put(task, new TaskTime(sum[0] / k, sum[1] / k, sum[2] / k)));
        return taskTimes;
    }
}

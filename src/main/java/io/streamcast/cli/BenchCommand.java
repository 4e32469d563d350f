package io.streamcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.EmbeddedKafka;
import io.streamcast.io.KafkaIo;
import io.streamcast.simulate.PacedProducer;
import io.streamcast.simulate.SensorSimulator;
import io.streamcast.simulate.SensorSimulator.Reading;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * {@code bench}: the whole job on this machine: an in-process broker, the simulator producing
 * {@code simulator.series} series at {@code --warmup-rate} (default {@code simulator.rate}) events/s for
 * {@code --warmup} seconds, then at {@code simulator.rate} for {@code simulator.duration}, the job on a local
 * MiniCluster, and a {@link ForecastReader} of the forecasts topic. Reports, for the measured
 * interval after warm-up: events/s in, forecasts/s out, event→forecast latency percentiles as written and as
 * committed (a 1-in-64 sample of series), the inference batch sizes, each task's busy / back-pressured / idle time,
 * process CPU, the JIT compilers' time, heap and native (physical) memory over time; as a table and as JSON
 * ({@code --json FILE}). Never used by tests: timings are only ever reported, not asserted.
 */
final class BenchCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A second in which the JIT compilers spent this long is marked in the per-second view. */
    private static final long JIT_MARK_MS = 200;

    private BenchCommand() {}

    static int run(StreamcastConfig requested, Options options, PrintStream out) throws Exception {
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.values().getOrDefault("warmup", "15")));
        int warmupRate = Integer.parseInt(options.values().getOrDefault("warmup-rate",
                String.valueOf(requested.simulator().eventsPerSecond())));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            StreamcastConfig config = LocalJob.withKafka(requested, kafka.bootstrapServers());
            var k = config.kafka();
            JobClient job = LocalJob.start(config, kafka, "streamcast-bench", BenchMetrics.enable(new Configuration()),
                    null);
            var sim = config.simulator();
            out.printf("bench: %,d series, %,d events/s offered, %s warm-up at %,d events/s + %s measured, cell %s"
                            + " hidden %d window %d features %d, parallelism %d, %s%n", sim.series(),
                    sim.eventsPerSecond(), warmup, warmupRate, sim.duration(), config.model().cell().id(),
                    config.model().hidden(), config.window().size(),
                    config.window().features().size(), config.job().parallelism(),
                    config.job().exactlyOnce() ? "exactly-once" : "at-least-once");

            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            // The JIT needs minutes to compile a process this size: warming up below capacity, then measuring at
            // the rate of interest, keeps the warm-up's backlog out of the measured latencies.
            PacedProducer warming = new PacedProducer(k.eventsTopic(), warmupRate);
            PacedProducer measured = new PacedProducer(k.eventsTopic(), sim.eventsPerSecond());
            LongSupplier sent = () -> warming.sent() + measured.sent();
            Properties p = KafkaIo.producerProperties(k);
            Consumer<Reading> sampleSendTimes = r -> {
                if (sampled(r.series())) {
                    sentAt.put(r.series() + "@" + r.ts(), System.nanoTime());
                }
            };
            long simulatedStart = SimulatedTime.start(config,
                    warming.eventsFor(warmup) + measured.eventsFor(sim.duration()), System.currentTimeMillis());
            ProducerThread producer = new ProducerThread("bench-producer", () -> {
                try (KafkaProducer<byte[], byte[]> kp = new KafkaProducer<>(p)) {
                    SensorSimulator simulator = new SensorSimulator(sim.series(), simulatedStart,
                            sim.anomalyRate(), sim.seed());
                    warming.run(kp, simulator, warmup, sampleSendTimes);
                    measured.run(kp, simulator, sim.duration(), sampleSendTimes);
                }
            });
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            ForecastReader reader = new ForecastReader(kafka.bootstrapServers(), k.forecastsTopic(), sentAt,
                    measureFrom);
            reader.start();
            producer.start();
            Result result = consume(config, sent, producer, start, measureFrom, reader, out);
            long checkpointBytes = latestCheckpointBytes(job.getJobID().toString());
            job.cancel().get();
            int failed = producer.exitCode("bench", sent.getAsLong(), System.err);
            if (failed != 0) {
                return failed;
            }
            print(result, config, checkpointBytes, out);
            if (options.has("json")) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(options.get("json")).toFile(), result);
                out.println("JSON written to " + options.get("json"));
            }
        }
        return 0;
    }

    /** What the bench measured over the interval after warm-up. */
    record Result(long series, double offeredPerSecond, double eventsInPerSecond, double forecastsWrittenPerSecond,
            double forecastsOutPerSecond,
            long forecastsTotal, long eventsTotal, double latencyP50Ms, double latencyP95Ms, double latencyP99Ms,
            long latencySamples, double writtenP50Ms, double writtenP95Ms, double writtenP99Ms, long writtenSamples,
            double batchMean, double batchP50, double batchP95, long batchMax, double cpuCores, long peakHeapBytes,
            long peakPhysicalBytes, double measuredSeconds, List<MemorySample> memory,
            Map<String, TaskTime> taskTimes, List<ForecastReader.SecondOfLatency> writtenBySecond,
            List<String> checkpoints, long jitMs) {}

    /**
     * Milliseconds per second a task subtask was busy, back-pressured (waiting for downstream) and idle (waiting for
     * input), averaged over the samples taken every 5 s while measuring: the busiest task is the bottleneck.
     */
    record TaskTime(double busyMsPerSecond, double backPressuredMsPerSecond, double idleMsPerSecond) {}

    /** Heap in use and physical (resident) memory of this JVM, {@code seconds} after the start. */
    record MemorySample(double seconds, long heapBytes, long physicalBytes) {}

    /** Whether the bench measures the latency of this series' forecasts: 1 in 64, chosen by the id's hash. */
    static boolean sampled(String series) {
        return (series.hashCode() & 63) == 0;
    }

    private static Result consume(StreamcastConfig config, LongSupplier sent, ProducerThread producer, long start,
            long measureFrom, ForecastReader reader, PrintStream out) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var memory = ManagementFactory.getMemoryMXBean();
        // The JIT compilers' accumulated time: they share the cores with the job, and their bursts (here at checkpoints,
        // even after 10 minutes) line up with latency bumps.
        var jit = ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        List<long[]> compiledAt = new ArrayList<>();
        long jitAtStart = 0;
        long sentAtStart = -1;
        long committedAtStart = 0;
        long committedAtEnd = -1;
        long cpuAtStart = 0;
        long peakHeap = 0;
        long peakPhysical = 0;
        long producerDoneAt = -1;
        long lastReport = start;
        List<MemorySample> memorySamples = new ArrayList<>();
        Map<String, double[]> taskTimeSums = new java.util.TreeMap<>();
        int taskTimeSamples = 0;
        long writtenDuringMeasurement = -1;
        List<Long> checkpointsAt = new ArrayList<>();
        List<String> checkpoints = new ArrayList<>();
        List<Long> roundsAt = new ArrayList<>();
        long checkpointsSeen = 0;
        long roundsSeen = 0;
        while (true) {
            long now = System.nanoTime();
            if (sentAtStart < 0 && now >= measureFrom) {
                sentAtStart = sent.getAsLong();
                committedAtStart = reader.committedOffsets();
                cpuAtStart = os.getProcessCpuTime();
                jitAtStart = jitTimed ? jit.getTotalCompilationTime() : 0;
                // To line the per-second latencies up with GC or JIT logs, which count JVM uptime.
                out.printf("  measuring from JVM uptime %.1f s%n",
                        ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
            }
            if (producerDoneAt < 0 && !producer.isAlive()) {
                producerDoneAt = now;
                writtenDuringMeasurement = reader.stopCounting();
                committedAtEnd = reader.committedOffsets();
            }
            // After the producer stops, give the job a few seconds (and a checkpoint) to drain.
            if (producerDoneAt > 0 && ((reader.total() >= sent.getAsLong() && reader.allCommitted())
                    || now - producerDoneAt > 15_000_000_000L)) {
                break;
            }
            Thread.sleep(100);
            long checkpointsNow = BenchMetrics.completedCheckpoints();
            long roundsNow = BenchMetrics.rounds(true) + BenchMetrics.rounds(false);
            if (checkpointsNow > checkpointsSeen) {
                checkpointsSeen = checkpointsNow;
                checkpointsAt.add(now);
                if (now >= measureFrom && producerDoneAt < 0) {
                    checkpoints.add(String.format("at %4.1f s: %s", (now - measureFrom) / 1e9,
                            BenchMetrics.lastCheckpoint()));
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
            peakPhysical = Math.max(peakPhysical, org.bytedeco.javacpp.Pointer.physicalBytes());
            if (now - lastReport > 5_000_000_000L) {
                lastReport = now;
                long heap = memory.getHeapMemoryUsage().getUsed();
                long physical = org.bytedeco.javacpp.Pointer.physicalBytes();
                memorySamples.add(new MemorySample((now - start) / 1e9, heap, physical));
                if (now >= measureFrom && producerDoneAt < 0) {
                    taskTimeSamples++;
                    BenchMetrics.taskTimes().forEach((task, v) -> {
                        double[] sum = taskTimeSums.computeIfAbsent(task, t -> new double[v.length]);
                        for (int i = 0; i < v.length; i++) {
                            sum[i] += v[i];
                        }
                    });
                }
                out.printf("  t=%3.0fs sent %,d forecasts written %,d committed %,d  heap %,d MB physical %,d MB%n",
                        (now - start) / 1e9, sent.getAsLong(), reader.total(), reader.committedOffsets(),
                        heap >> 20, physical >> 20);
            }
        }
        producer.join();
        long end = producerDoneAt > 0 ? producerDoneAt : System.nanoTime();
        double seconds = Math.max(1e-9, (end - measureFrom) / 1e9);
        if (writtenDuringMeasurement < 0) {
            writtenDuringMeasurement = reader.stopCounting();
            committedAtEnd = reader.committedOffsets();
        }
        reader.finish();
        long[] committed = reader.committedLatencies();
        long[] wrote = reader.writtenLatencies();
        double batchMean = 0;
        double batchP50 = 0;
        double batchP95 = 0;
        long batchMax = 0;
        List<Histogram> batches = BenchMetrics.batchSizes();
        for (Histogram h : batches) {
            HistogramStatistics st = h.getStatistics();
            batchMean += st.getMean() / batches.size();
            batchP50 += st.getQuantile(0.5) / batches.size();
            batchP95 += st.getQuantile(0.95) / batches.size();
            batchMax = Math.max(batchMax, st.getMax());
        }
        Map<String, TaskTime> taskTimes = new LinkedHashMap<>();
        for (var e : taskTimeSums.entrySet()) {
            double[] sum = e.getValue();
            int k = Math.max(1, taskTimeSamples);
            taskTimes.put(e.getKey(), new TaskTime(sum[0] / k, sum[1] / k, sum[2] / k));
        }
        double cpu = (os.getProcessCpuTime() - cpuAtStart) / 1e9 / Math.max(1e-9, (System.nanoTime() - measureFrom) / 1e9);
        long jitMs = jitTimed ? jit.getTotalCompilationTime() - jitAtStart : -1;
        return new Result(config.simulator().series(), config.simulator().eventsPerSecond(),
                (sent.getAsLong() - Math.max(0, sentAtStart)) / seconds, writtenDuringMeasurement / seconds,
                (committedAtEnd - committedAtStart) / seconds, reader.total(),
                sent.getAsLong(), pct(committed, 0.5), pct(committed, 0.95), pct(committed, 0.99), committed.length,
                pct(wrote, 0.5), pct(wrote, 0.95), pct(wrote, 0.99), wrote.length, batchMean, batchP50, batchP95,
                batchMax, cpu, peakHeap, peakPhysical, seconds, memorySamples, taskTimes,
                reader.bySecond(checkpointsAt, roundsAt, compiledAt), checkpoints, jitMs);
    }

    /**
     * Size of the job's newest completed checkpoint in the local checkpoint directory (-1 if none): the state of all
     * series, windows, recurrent memory and the trainer.
     */
    private static long latestCheckpointBytes(String jobId) throws java.io.IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "streamcast-checkpoints", jobId);
        if (!java.nio.file.Files.isDirectory(dir)) {
            return -1;
        }
        Path newest = null;
        try (var list = java.nio.file.Files.list(dir)) {
            for (Path p : list.filter(p -> p.getFileName().toString().startsWith("chk-")
                    && java.nio.file.Files.exists(p.resolve("_metadata"))).toList()) {
                if (newest == null || checkpointId(p) > checkpointId(newest)) {
                    newest = p;
                }
            }
        }
        if (newest == null) {
            return -1;
        }
        try (var files = java.nio.file.Files.walk(newest)) {
            return files.filter(java.nio.file.Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static long checkpointId(Path chk) {
        return Long.parseLong(chk.getFileName().toString().substring("chk-".length()));
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }

    private static void print(Result r, StreamcastConfig config, long checkpointBytes, PrintStream out) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("events/s in (measured)", String.format("%,.0f (offered %,.0f)", r.eventsInPerSecond(),
                r.offeredPerSecond()));
        rows.put("forecasts/s written", String.format("%,.0f (read_uncommitted: the job's processing rate)",
                r.forecastsWrittenPerSecond()));
        rows.put("forecasts/s committed", String.format("%,.0f (read_committed end offsets: advance in steps, one per checkpoint)",
                r.forecastsOutPerSecond()));
        rows.put("forecasts / events", String.format("%,d / %,d", r.forecastsTotal(), r.eventsTotal()));
        rows.put("latency written p50/95/99", String.format("%.0f / %.0f / %.0f ms (event sent → forecast in the"
                        + " topic, read_uncommitted; %d samples)", r.writtenP50Ms(), r.writtenP95Ms(), r.writtenP99Ms(),
                r.writtenSamples()));
        rows.put("latency committed p50/95/99", String.format("%.0f / %.0f / %.0f ms (until the read_committed end offset passed it: adds the wait"
                        + " for the next of the %d ms checkpoints when exactly-once; %d samples)", r.latencyP50Ms(),
                r.latencyP95Ms(), r.latencyP99Ms(), config.job().checkpointInterval().toMillis(),
                r.latencySamples()));
        rows.put("inference batch size", String.format("mean %.0f, p50 %.0f, p95 %.0f, max %d (last 1000 batches"
                + " of each forecaster)", r.batchMean(), r.batchP50(), r.batchP95(), r.batchMax()));
        rows.put("training rounds", String.format("%d promoted, %d not (whole run)", BenchMetrics.rounds(true),
                BenchMetrics.rounds(false)));
        rows.put("checkpoint size", checkpointBytes < 0 ? "none completed" : String.format("%,d bytes, %,.0f per"
                + " series (all operators' state, heap backend, full snapshot)", checkpointBytes,
                checkpointBytes / (double) r.series()));
        rows.put("process CPU", String.format("%.2f cores of %d", r.cpuCores(),
                Runtime.getRuntime().availableProcessors()));
        rows.put("peak heap / physical", String.format("%,d MB / %,d MB", r.peakHeapBytes() >> 20,
                r.peakPhysicalBytes() >> 20));
        rows.put("JIT compiling", r.jitMs() < 0 ? "not reported by this JVM" : String.format("%,d ms while measuring"
                + " (%.0f ms per second, on compiler threads that compete with the job for CPU)", r.jitMs(),
                r.jitMs() / r.measuredSeconds()));
        out.println();
        rows.forEach((k, v) -> out.printf("  %-24s %s%n", k, v));
        out.println("  task time, ms per second busy / back-pressured / idle (Flink's accounting, while measuring):");
        r.taskTimes().forEach((task, t) -> out.printf("    %5.0f / %5.0f / %5.0f  %s%n", t.busyMsPerSecond(),
                t.backPressuredMsPerSecond(), t.idleMsPerSecond(), task));
        out.println("  written latency, max ms in each second measured (C: a checkpoint completed, R: a training round"
                + " ended, J: the JIT compiled for " + JIT_MARK_MS + " ms or more in that second):");
        StringBuilder line = new StringBuilder();
        for (ForecastReader.SecondOfLatency s : r.writtenBySecond()) {
            line.append(String.format(" %5.0f%s%s%s", s.maxMs(), s.checkpoints() > 0 ? "C" : " ",
                    s.rounds() > 0 ? "R" : " ", s.jitMs() >= JIT_MARK_MS ? "J" : " "));
            if (s.second() % 15 == 14) {
                out.println("   " + line);
                line.setLength(0);
            }
        }
        if (line.length() > 0) {
            out.println("   " + line);
        }
        out.println("  checkpoints completed while measuring (seconds from the start of the measured interval):");
        r.checkpoints().forEach(c -> out.println("    " + c));
        out.println("  (broker, producer, job and consumer share this JVM and this machine)");
    }
}

package io.streamcast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.cli.ProducerThread;
import io.streamcast.cli.SimulatedTime;
import io.streamcast.cli.Subcommand;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.KafkaIo;
import io.streamcast.local.EmbeddedKafka;
import io.streamcast.local.LocalJob;
import io.streamcast.pipeline.JobEnvironment;
import io.streamcast.simulate.PacedProducer;
import io.streamcast.simulate.SensorSimulator;
import io.streamcast.simulate.SensorSimulator.Reading;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: the whole job on this machine: an in-process broker, the simulator producing
 * {@code simulator.series} series at {@code --warmup-rate} (default {@code simulator.rate})
 * events/s for {@code --warmup} seconds, then at {@code simulator.rate} for {@code
 * simulator.duration}, the job on a local MiniCluster, and a {@link LatencyProbe} of the forecasts
 * topic. Reports, for the measured interval after warm-up: events/s in, forecasts/s out,
 * event→forecast latency percentiles as written and as committed (a 1-in-64 sample of series), the
 * inference batch sizes, each task's busy / back-pressured / idle time, process CPU, the JIT
 * compilers' time, heap and native (physical) memory over time; as a table and as JSON ({@code
 * --json FILE}). {@code --training} times one retraining round alone instead. The micro-costs of
 * the model code (scorer, network step, combiner, output encoding) are JMH benchmarks in module
 * streamcast-jmh ({@code ./bin/streamcast-jmh}). Never used by tests: timings are only ever
 * reported, not asserted.
 */
@Command(
        name = "bench",
        header = "the whole job on this machine: throughput, latency, CPU and memory",
        description = {
            "The whole job on this machine (in-process Kafka, simulator, MiniCluster): events/s,"
                    + " forecasts/s, latency percentiles, CPU and memory; or one part alone"
                    + " (--training), or the highest rate it keeps up with (--capacity). Runs from the launcher (./bin/streamcast"
                    + " bench). The model code's micro-benchmarks (scorer, network step, combiner, output"
                    + " encoding) are JMH benchmarks: ./bin/streamcast-jmh."
        })
public final class BenchCommand extends Subcommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A second in which the JIT compilers spent this long is marked in the per-second view. */
    private static final long JIT_MARK_MS = 200;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "seconds before measuring")
    long warmupSeconds = 15;

    @Option(
            names = "--warmup-rate",
            paramLabel = "N",
            description = "events/s during the warm-up (default: simulator.rate)")
    Integer warmupRateOption;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON")
    Path json;

    @Option(names = "--training", description = "time one retraining round")
    boolean training;

    @Option(
            names = "--capacity",
            description =
                    "raise the offered rate step by step from simulator.rate (after the warm-up) and"
                            + " report the highest at which every event is forecast and the written p99"
                            + " is at most 250 ms")
    boolean capacity;

    @Option(
            names = "--step",
            paramLabel = "N",
            description = "with --capacity: events/s added at each step (default: 10000)")
    int capacityStep = 10_000;

    @Option(
            names = "--step-seconds",
            paramLabel = "SECONDS",
            description = "with --capacity: seconds each step lasts (default: 30)")
    long stepSeconds = 30;

    @Option(
            names = "--max-rate",
            paramLabel = "N",
            description = "with --capacity: the highest rate offered (default: 200000)")
    int maxRate = 200_000;

    /** Created by {@link BenchMain}. */
    public BenchCommand() {}

    @Override
    protected int run() throws Exception {
        StreamcastConfig config = common.config();
        if (training) {
            return TrainingBench.run(config, out);
        }
        if (capacity) {
            if (warmupSeconds < 0 || stepSeconds < 1) {
                throw new IllegalArgumentException(
                        "--warmup must not be negative and --step-seconds must be positive");
            }
            return CapacityBench.run(
                    config,
                    Duration.ofSeconds(warmupSeconds),
                    warmupRateOption != null
                            ? warmupRateOption
                            : config.simulator().eventsPerSecond(),
                    capacityStep,
                    Duration.ofSeconds(stepSeconds),
                    maxRate,
                    json,
                    out);
        }
        return whole(config, out);
    }

    private int whole(StreamcastConfig requested, PrintStream out) throws Exception {
        if (warmupSeconds < 0) {
            throw new IllegalArgumentException("--warmup '" + warmupSeconds + "' is negative");
        }
        Duration warmup = Duration.ofSeconds(warmupSeconds);
        int warmupRate =
                warmupRateOption != null
                        ? warmupRateOption
                        : requested.simulator().eventsPerSecond();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            StreamcastConfig config = requested.withKafka(kafka.bootstrapServers());
            var k = config.kafka();
            BenchMetrics metrics = BenchMetrics.create();
            JobClient job =
                    LocalJob.start(
                            config,
                            kafka,
                            "streamcast-bench",
                            metrics.addTo(JobEnvironment.localRuntime(config.job())),
                            null);
            var sim = config.simulator();
            out.printf(
                    "bench: %,d series, %,d events/s offered, %s warm-up at %,d events/s + %s measured, cell %s"
                            + " hidden %d window %d features %d, parallelism %d, %s%n",
                    sim.series(),
                    sim.eventsPerSecond(),
                    warmup,
                    warmupRate,
                    sim.duration(),
                    config.model().cell().id(),
                    config.model().hidden(),
                    config.window().size(),
                    config.window().features().size(),
                    config.job().parallelism(),
                    config.job().exactlyOnce() ? "exactly-once" : "at-least-once");

            Map<LatencyProbe.Reading, Long> sentAt = new ConcurrentHashMap<>();
            // The JIT needs minutes to compile a process this size: warming up below capacity, then
            // measuring at the rate of interest, keeps the warm-up's backlog out of the measured
            // latencies.
            PacedProducer warming = new PacedProducer(k.eventsTopic(), warmupRate);
            PacedProducer measured = new PacedProducer(k.eventsTopic(), sim.eventsPerSecond());
            LongSupplier sent = () -> warming.sent() + measured.sent();
            Properties p = KafkaIo.producerProperties(k);
            Consumer<Reading> sampleSendTimes =
                    r -> {
                        if (LatencyProbe.sampled(r.series())) {
                            sentAt.put(
                                    new LatencyProbe.Reading(r.series(), r.ts()),
                                    System.nanoTime());
                        }
                    };
            long simulatedStart =
                    SimulatedTime.start(
                            config,
                            warming.eventsFor(warmup) + measured.eventsFor(sim.duration()),
                            System.currentTimeMillis());
            ProducerThread producer =
                    new ProducerThread(
                            "bench-producer",
                            () -> {
                                try (KafkaProducer<byte[], byte[]> kp = new KafkaProducer<>(p)) {
                                    SensorSimulator simulator =
                                            new SensorSimulator(
                                                    sim.series(),
                                                    simulatedStart,
                                                    sim.anomalyRate(),
                                                    sim.seed());
                                    warming.run(kp, simulator, warmup, sampleSendTimes);
                                    measured.run(kp, simulator, sim.duration(), sampleSendTimes);
                                }
                            });
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            LatencyProbe reader =
                    new LatencyProbe(
                            kafka.bootstrapServers(), k.forecastsTopic(), sentAt, measureFrom);
            reader.start();
            producer.start();
            BenchResult result;
            try {
                result =
                        new Measurement(
                                        config,
                                        sent,
                                        producer,
                                        start,
                                        measureFrom,
                                        reader,
                                        metrics,
                                        out)
                                .run();
            } finally {
                metrics.close();
            }
            long checkpointBytes = latestCheckpointBytes(job.getJobID().toString());
            job.cancel().get();
            int failed = producer.exitCode("bench", sent.getAsLong(), System.err);
            if (failed != 0) {
                return failed;
            }
            print(result, config, metrics, checkpointBytes, out);
            if (json != null) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), result);
                out.println("JSON written to " + json);
            }
        }
        return 0;
    }

    /**
     * Size of the job's newest completed checkpoint in the local checkpoint directory (-1 if none):
     * the state of all series, windows, recurrent memory and the trainer.
     */
    static long latestCheckpointBytes(String jobId) throws java.io.IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "streamcast-checkpoints", jobId);
        if (!java.nio.file.Files.isDirectory(dir)) {
            return -1;
        }
        Path newest = null;
        try (var list = java.nio.file.Files.list(dir)) {
            for (Path p :
                    list.filter(
                                    p ->
                                            p.getFileName().toString().startsWith("chk-")
                                                    && java.nio.file.Files.exists(
                                                            p.resolve("_metadata")))
                            .toList()) {
                if (newest == null || checkpointId(p) > checkpointId(newest)) {
                    newest = p;
                }
            }
        }
        if (newest == null) {
            return -1;
        }
        try (var files = java.nio.file.Files.walk(newest)) {
            return files.filter(java.nio.file.Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static long checkpointId(Path chk) {
        return Long.parseLong(chk.getFileName().toString().substring("chk-".length()));
    }

    private static void print(
            BenchResult r,
            StreamcastConfig config,
            BenchMetrics metrics,
            long checkpointBytes,
            PrintStream out) {
        Map<String, String> rows = new LinkedHashMap<>();
        var t = r.throughput();
        rows.put(
                "events/s in (measured)",
                String.format(
                        "%,.0f (offered %,.0f)", t.eventsInPerSecond(), t.offeredPerSecond()));
        rows.put(
                "forecasts/s written",
                String.format(
                        "%,.0f (read_uncommitted: the job's processing rate)",
                        t.forecastsWrittenPerSecond()));
        rows.put(
                "forecasts/s committed",
                String.format(
                        "%,.0f (read_committed end offsets: advance in steps, one per checkpoint)",
                        t.forecastsCommittedPerSecond()));
        rows.put(
                "forecasts / events",
                String.format("%,d / %,d", t.forecastsTotal(), t.eventsTotal()));
        var w = r.written();
        rows.put(
                "latency written p50/95/99",
                String.format(
                        "%.0f / %.0f / %.0f ms (event sent → forecast in the"
                                + " topic, read_uncommitted; %d samples)",
                        w.p50Ms(), w.p95Ms(), w.p99Ms(), w.samples()));
        var c = r.committed();
        rows.put(
                "latency committed p50/95/99",
                String.format(
                        "%.0f / %.0f / %.0f ms (until the read_committed end offset passed it: adds the wait"
                                + " for the next of the %d ms checkpoints when exactly-once; %d samples)",
                        c.p50Ms(),
                        c.p95Ms(),
                        c.p99Ms(),
                        config.job().checkpointInterval().toMillis(),
                        c.samples()));
        var b = r.batches();
        rows.put(
                "inference batch size",
                String.format(
                        "mean %.0f, p50 %.0f, p95 %.0f, max %d (last 1000 batches"
                                + " of each forecaster)",
                        b.mean(), b.p50(), b.p95(), b.max()));
        rows.put(
                "training rounds",
                String.format(
                        "%d promoted, %d not (whole run)",
                        metrics.rounds(true), metrics.rounds(false)));
        rows.put(
                "checkpoint size",
                checkpointBytes < 0
                        ? "none completed"
                        : String.format(
                                "%,d bytes, %,.0f per"
                                        + " series (all operators' state, heap backend, full snapshot)",
                                checkpointBytes, checkpointBytes / (double) t.series()));
        var res = r.resources();
        rows.put(
                "process CPU",
                String.format(
                        "%.2f cores of %d",
                        res.cpuCores(), Runtime.getRuntime().availableProcessors()));
        if (!Double.isNaN(res.trainingCores())) {
            // The trainer and the compilers take whatever CPU the job leaves (idle priority,
            // warm-up), so the process CPU alone says little about what a reading costs.
            double perReading = res.cpuCores() - res.trainingCores() - res.compilerCores();
            rows.put(
                    "of which",
                    String.format(
                            "training %.2f, JIT compilers %.2f, the rest %.2f cores: %.3f per 1,000"
                                    + " forecasts/s written",
                            res.trainingCores(),
                            res.compilerCores(),
                            perReading,
                            perReading / Math.max(1e-9, t.forecastsWrittenPerSecond() / 1000)));
        }
        rows.put(
                "peak heap / physical",
                String.format(
                        "%,d MB / %,d MB",
                        res.peakHeapBytes() >> 20, res.peakPhysicalBytes() >> 20));
        rows.put(
                "JIT compiling",
                res.jitMs() < 0
                        ? "not reported by this JVM"
                        : String.format(
                                "%,d ms while measuring"
                                        + " (%.0f ms per second, on compiler threads that compete with the job for CPU)",
                                res.jitMs(), res.jitMs() / r.measuredSeconds()));
        out.println();
        rows.forEach((k, v) -> out.printf("  %-24s %s%n", k, v));
        out.println(
                "  task time, ms per second busy / back-pressured / idle (Flink's accounting, while measuring):");
        r.taskTimes()
                .forEach(
                        (task, tt) ->
                                out.printf(
                                        "    %5.0f / %5.0f / %5.0f  %s%n",
                                        tt.busyMsPerSecond(),
                                        tt.backPressuredMsPerSecond(),
                                        tt.idleMsPerSecond(),
                                        task));
        out.println(
                "  written latency, max ms in each second measured (C: a checkpoint completed, R: a training round"
                        + " ended, J: the JIT compiled for "
                        + JIT_MARK_MS
                        + " ms or more in that second):");
        StringBuilder line = new StringBuilder();
        for (LatencyProbe.SecondOfLatency s : r.writtenBySecond()) {
            line.append(
                    String.format(
                            " %5.0f%s%s%s",
                            s.maxMs(),
                            s.checkpoints() > 0 ? "C" : " ",
                            s.rounds() > 0 ? "R" : " ",
                            s.jitMs() >= JIT_MARK_MS ? "J" : " "));
            if (s.second() % 15 == 14) {
                out.println("   " + line);
                line.setLength(0);
            }
        }
        if (line.length() > 0) {
            out.println("   " + line);
        }
        out.println(
                "  checkpoints completed while measuring (seconds from the start of the measured interval):");
        r.checkpoints().forEach(checkpoint -> out.println("    " + checkpoint));
        out.println("  (broker, producer, job and consumer share this JVM and this machine)");
    }
}

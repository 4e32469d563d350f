package io.streamcast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.bench.BenchResult.Latency;
import io.streamcast.cli.ProducerThread;
import io.streamcast.cli.SimulatedTime;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.KafkaIo;
import io.streamcast.local.EmbeddedKafka;
import io.streamcast.local.LocalJob;
import io.streamcast.pipeline.JobEnvironment;
import io.streamcast.simulate.PacedProducer;
import io.streamcast.simulate.SensorSimulator;
import io.streamcast.simulate.SensorSimulator.Reading;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * {@code bench --capacity}: the whole job as in {@code bench}, warmed up, then offered a rate that
 * rises step by step ({@code simulator.rate}, then {@code +step} every {@code stepLength}) until a
 * step fails; reports the highest rate at which every event of the step was forecast and the
 * written p99 stayed within {@link #P99_LIMIT_MS}, with events/s per core of the process, state
 * bytes per series and checkpoint times. Timings are only ever reported, never asserted.
 *
 * <p>Implementation notes: a step passes when the producer sent at least 98% of the offered rate
 * (it slows down rather than drops when the broker cannot take more), the forecasts written while
 * it ran are at least 99% of the events sent in it (both counted at the step's bounds, so a
 * forecast still in flight at the end counts in the next step), and the written latencies of the
 * events sent in it (a 1-in-64 sample of series, read up to 2 s after the step) have p99 ≤ 250 ms.
 * A failing step leaves a backlog that would spoil any step after it, so the run stops there.
 */
final class CapacityBench {
    static final double P99_LIMIT_MS = 250;
    private static final long GRACE_NANOS = 2_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One step as measured: its offered rate and what the job did with it. */
    record Step(
            int offered,
            double eventsPerSecond,
            double forecastsPerSecond,
            Latency written,
            double cpuCores,
            int checkpoints,
            double checkpointMeanMs,
            double checkpointMaxMs,
            boolean passed) {}

    /** The result: every step measured, the capacity (0 if no step passed) and the state size. */
    record Result(List<Step> steps, int capacity, double eventsPerSecondPerCore, long stateBytes) {}

    /** What the producer thread notes at each step's start (and at the end of the last). */
    private record Bound(long nanos, long sent, long forecasts, long cpuNanos) {}

    private CapacityBench() {}

    static int run(
            StreamcastConfig requested,
            Duration warmup,
            int warmupRate,
            int step,
            Duration stepLength,
            int maxRate,
            Path json,
            PrintStream out)
            throws Exception {
        int first = requested.simulator().eventsPerSecond();
        if (step < 1 || maxRate < first) {
            throw new IllegalArgumentException(
                    "--step must be positive and --max-rate at least simulator.rate ("
                            + first
                            + ")");
        }
        List<Integer> rates = new ArrayList<>();
        for (int r = first; r <= maxRate; r += step) {
            rates.add(r);
        }
        var os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            StreamcastConfig config = requested.withKafka(kafka.bootstrapServers());
            var k = config.kafka();
            var sim = config.simulator();
            BenchMetrics metrics = BenchMetrics.create();
            JobClient job =
                    LocalJob.start(
                            config,
                            kafka,
                            "streamcast-bench-capacity",
                            metrics.addTo(JobEnvironment.localRuntime(config.job())),
                            null);
            out.printf(
                    "bench --capacity: %,d series, %s warm-up at %,d events/s, then %s steps from %,d"
                            + " to at most %,d events/s by %,d; cell %s hidden %d window %d, parallelism"
                            + " %d, %s%n",
                    sim.series(),
                    warmup,
                    warmupRate,
                    stepLength,
                    first,
                    maxRate,
                    step,
                    config.model().cell().id(),
                    config.model().hidden(),
                    config.window().size(),
                    config.job().parallelism(),
                    config.job().exactlyOnce() ? "exactly-once" : "at-least-once");
            Map<LatencyProbe.Reading, Long> sentAt = new ConcurrentHashMap<>();
            Consumer<Reading> sampleSendTimes =
                    r -> {
                        if (LatencyProbe.sampled(r.series())) {
                            sentAt.put(
                                    new LatencyProbe.Reading(r.series(), r.ts()),
                                    System.nanoTime());
                        }
                    };
            PacedProducer warming = new PacedProducer(k.eventsTopic(), warmupRate);
            List<PacedProducer> steps = new ArrayList<>();
            long readings = warming.eventsFor(warmup);
            for (int r : rates) {
                PacedProducer p = new PacedProducer(k.eventsTopic(), r);
                steps.add(p);
                readings += p.eventsFor(stepLength);
            }
            long simulatedStart = SimulatedTime.start(config, readings, System.currentTimeMillis());
            long start = System.nanoTime();
            LatencyProbe probe =
                    new LatencyProbe(
                            kafka.bootstrapServers(),
                            k.forecastsTopic(),
                            sentAt,
                            start + warmup.toNanos());
            List<Bound> bounds = new CopyOnWriteArrayList<>();
            long[] sentBefore = {0};
            Properties props = KafkaIo.producerProperties(k);
            ProducerThread producer =
                    new ProducerThread(
                            "bench-producer",
                            () -> {
                                try (KafkaProducer<byte[], byte[]> kp =
                                        new KafkaProducer<>(props)) {
                                    SensorSimulator simulator =
                                            new SensorSimulator(
                                                    sim.series(),
                                                    simulatedStart,
                                                    sim.anomalyRate(),
                                                    sim.seed());
                                    sentBefore[0] =
                                            warming.run(kp, simulator, warmup, sampleSendTimes);
                                    for (PacedProducer p : steps) {
                                        bounds.add(
                                                new Bound(
                                                        System.nanoTime(),
                                                        sentBefore[0],
                                                        probe.total(),
                                                        os.getProcessCpuTime()));
                                        sentBefore[0] +=
                                                p.run(kp, simulator, stepLength, sampleSendTimes);
                                    }
                                    bounds.add(
                                            new Bound(
                                                    System.nanoTime(),
                                                    sentBefore[0],
                                                    probe.total(),
                                                    os.getProcessCpuTime()));
                                }
                            });
            probe.start();
            producer.start();
            List<Step> measured = new ArrayList<>();
            List<double[]> checkpointsAt = new ArrayList<>(); // {nanos, ms}
            long checkpointsSeen = 0;
            long lastReport = start;
            while (measured.size() < rates.size()) {
                Thread.sleep(100);
                long now = System.nanoTime();
                long c = metrics.completedCheckpoints();
                if (c > checkpointsSeen) {
                    checkpointsSeen = c;
                    checkpointsAt.add(new double[] {now, metrics.lastCheckpointMillis()});
                }
                int i = measured.size();
                if (bounds.size() > i + 1 && now >= bounds.get(i + 1).nanos() + GRACE_NANOS) {
                    Step s =
                            step(
                                    rates.get(i),
                                    bounds.get(i),
                                    bounds.get(i + 1),
                                    probe,
                                    checkpointsAt);
                    measured.add(s);
                    out.printf(
                            "  step %,7d events/s: in %,9.0f/s, forecasts written %,9.0f/s, p50/p99"
                                    + " %,6.0f / %,6.0f ms, CPU %.2f cores, checkpoints %d (mean %.0f, max"
                                    + " %.0f ms): %s%n",
                            s.offered(),
                            s.eventsPerSecond(),
                            s.forecastsPerSecond(),
                            s.written().p50Ms(),
                            s.written().p99Ms(),
                            s.cpuCores(),
                            s.checkpoints(),
                            s.checkpointMeanMs(),
                            s.checkpointMaxMs(),
                            s.passed() ? "kept up" : "did not keep up");
                    if (!s.passed()) {
                        steps.forEach(PacedProducer::stop);
                        break;
                    }
                } else if (now - lastReport > 15_000_000_000L) {
                    lastReport = now;
                    out.printf(
                            "  t=%3.0fs sent %,d forecasts written %,d%n",
                            (now - start) / 1e9,
                            warming.sent() + steps.stream().mapToLong(PacedProducer::sent).sum(),
                            probe.total());
                }
                if (!producer.isAlive() && bounds.size() <= i + 1) {
                    break; // the producer failed
                }
            }
            producer.join();
            long stateBytes = BenchCommand.latestCheckpointBytes(job.getJobID().toString());
            job.cancel().get();
            probe.finish();
            metrics.close();
            int failed = producer.exitCode("bench --capacity", sentBefore[0], System.err);
            if (failed != 0) {
                return failed;
            }
            Step best = null;
            for (Step s : measured) {
                if (s.passed()) {
                    best = s;
                }
            }
            Result result =
                    new Result(
                            measured,
                            best == null ? 0 : best.offered(),
                            best == null ? 0 : best.offered() / best.cpuCores(),
                            stateBytes);
            out.println();
            if (best == null) {
                out.printf(
                        "  capacity: below %,d events/s (the first step did not keep up)%n", first);
            } else {
                out.printf(
                        "  capacity: %,d events/s (every event forecast, written p99 %.0f ms ≤ %.0f"
                                + " ms)%s%n",
                        best.offered(),
                        best.written().p99Ms(),
                        P99_LIMIT_MS,
                        best == measured.get(measured.size() - 1) && measured.size() == rates.size()
                                ? " — the highest step offered: raise --max-rate"
                                : "");
                out.printf(
                        "  per core: %,.0f events/s per core of this process (%.2f cores, broker,"
                                + " load generator and reader included)%n",
                        result.eventsPerSecondPerCore(), best.cpuCores());
                out.printf(
                        "  checkpoints at that rate: mean %.0f ms, max %.0f ms%n",
                        best.checkpointMeanMs(), best.checkpointMaxMs());
            }
            out.printf(
                    "  state: %s%n",
                    stateBytes < 0
                            ? "no checkpoint completed"
                            : String.format(
                                    "%,d bytes per series (newest checkpoint %,d bytes, all"
                                            + " operators, heap backend, full snapshot)",
                                    Math.round(stateBytes / (double) sim.series()), stateBytes));
            if (json != null) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), result);
                out.println("JSON written to " + json);
            }
            return 0;
        }
    }

    private static Step step(
            int offered, Bound from, Bound to, LatencyProbe probe, List<double[]> checkpointsAt) {
        double seconds = Math.max(1e-9, (to.nanos() - from.nanos()) / 1e9);
        long events = to.sent() - from.sent();
        long forecasts = to.forecasts() - from.forecasts();
        Latency written = Latency.of(probe.writtenLatenciesSentBetween(from.nanos(), to.nanos()));
        double cpu = (to.cpuNanos() - from.cpuNanos()) / 1e9 / seconds;
        int n = 0;
        double sum = 0;
        double max = 0;
        for (double[] c : checkpointsAt) {
            if (c[0] >= from.nanos() && c[0] < to.nanos() && !Double.isNaN(c[1])) {
                n++;
                sum += c[1];
                max = Math.max(max, c[1]);
            }
        }
        boolean passed =
                events / seconds >= 0.98 * offered
                        && forecasts >= 0.99 * events
                        && written.samples() > 0
                        && written.p99Ms() <= P99_LIMIT_MS;
        return new Step(
                offered,
                events / seconds,
                forecasts / seconds,
                written,
                cpu,
                n,
                n == 0 ? Double.NaN : sum / n,
                n == 0 ? Double.NaN : max,
                passed);
    }
}

package io.streamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.EmbeddedKafka;
import io.streamcast.io.KafkaIo;
import io.streamcast.simulate.PacedProducer;
import io.streamcast.simulate.SensorSimulator;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * {@code bench}: the whole job on this machine: an in-process broker, the simulator producing
 * {@code simulator.series} series at {@code simulator.rate} events/s for {@code --warmup} plus
 * {@code simulator.duration}, the job on a local MiniCluster, and a read_committed consumer of the forecasts topic.
 * Reports, for the measured interval after warm-up: events/s in, forecasts/s out, event→committed-forecast latency
 * percentiles (a 1-in-64 sample of events), process CPU, peak heap and peak native (physical) memory; as a table and
 * as JSON ({@code --json FILE}). Never used by tests: timings are only ever reported, not asserted.
 */
final class BenchCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchCommand() {}

    static int run(StreamcastConfig requested, Options options, PrintStream out) throws Exception {
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.values().getOrDefault("warmup", "15")));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            StreamcastConfig config = LocalJob.withKafka(requested, kafka.bootstrapServers());
            var k = config.kafka();
            JobClient job = LocalJob.start(config, kafka, "streamcast-bench", null);
            var sim = config.simulator();
            out.printf("bench: %,d series, %,d events/s offered, %s warm-up + %s measured, cell %s hidden %d window"
                            + " %d features %d, parallelism %d, %s%n", sim.series(), sim.eventsPerSecond(),
                    warmup, sim.duration(), config.model().cell(), config.model().hidden(), config.window().size(),
                    config.window().features().size(), config.job().parallelism(),
                    config.job().exactlyOnce() ? "exactly-once" : "at-least-once");

            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            PacedProducer paced = new PacedProducer(k.eventsTopic(), sim.eventsPerSecond());
            Duration total = warmup.plus(sim.duration());
            Properties p = KafkaIo.producerProperties(k);
            Thread producer = new Thread(() -> {
                try (KafkaProducer<byte[], byte[]> kp = new KafkaProducer<>(p)) {
                    paced.run(kp, new SensorSimulator(sim.series(), SensorSimulator.DEFAULT_START, sim.anomalyRate(),
                            sim.seed()), total, r -> {
                                if ((r.series().hashCode() & 63) == 0) {
                                    sentAt.put(r.series() + "@" + r.ts(), System.nanoTime());
                                }
                            });
                }
            }, "bench-producer");
            long start = System.nanoTime();
            producer.start();
            Result result = consume(config, kafka.bootstrapServers(), sentAt, paced, producer, start,
                    start + warmup.toNanos(), out);
            job.cancel().get();
            print(result, config, out);
            if (options.has("json")) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(options.get("json")).toFile(), result);
                out.println("JSON written to " + options.get("json"));
            }
        }
        return 0;
    }

    /** What the bench measured over the interval after warm-up. */
    record Result(long series, double offeredPerSecond, double eventsInPerSecond, double forecastsOutPerSecond,
            long forecastsTotal, long eventsTotal, double latencyP50Ms, double latencyP95Ms, double latencyP99Ms,
            long latencySamples, double cpuCores, long peakHeapBytes, long peakPhysicalBytes, double measuredSeconds) {}

    private static Result consume(StreamcastConfig config, String servers, Map<String, Long> sentAt,
            PacedProducer paced, Thread producer, long start, long measureFrom, PrintStream out) throws Exception {
        Properties p = KafkaIo.committedReaderProperties(servers, "bench");
        p.put("max.poll.records", "5000");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var memory = ManagementFactory.getMemoryMXBean();
        List<Long> latencies = new ArrayList<>();
        long forecasts = 0;
        long measuredForecasts = 0;
        long sentAtStart = -1;
        long cpuAtStart = 0;
        long peakHeap = 0;
        long peakPhysical = 0;
        long producerDoneAt = -1;
        long lastReport = start;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(config.kafka().forecastsTopic()));
            while (true) {
                long now = System.nanoTime();
                if (sentAtStart < 0 && now >= measureFrom) {
                    sentAtStart = paced.sent();
                    cpuAtStart = os.getProcessCpuTime();
                    measuredForecasts = 0;
                }
                if (producerDoneAt < 0 && !producer.isAlive()) {
                    producerDoneAt = now;
                }
                // After the producer stops, give the job a few seconds (and a checkpoint) to drain.
                if (producerDoneAt > 0 && (forecasts >= paced.sent() || now - producerDoneAt > 15_000_000_000L)) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    forecasts++;
                    long received = System.nanoTime();
                    if (producerDoneAt < 0 && sentAtStart >= 0) {
                        measuredForecasts++;
                    }
                    JsonNode f = JSON.readTree(r.value());
                    String series = f.get("series").asText();
                    if ((series.hashCode() & 63) == 0) {
                        Long sent = sentAt.remove(series + "@" + Instant.parse(f.get("ts").asText()).toEpochMilli());
                        if (sent != null && sent >= measureFrom) {
                            latencies.add(received - sent);
                        }
                    }
                }
                peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
                peakPhysical = Math.max(peakPhysical, org.bytedeco.javacpp.Pointer.physicalBytes());
                if (now - lastReport > 5_000_000_000L) {
                    lastReport = now;
                    out.printf("  t=%3.0fs sent %,d forecasts %,d%n", (now - start) / 1e9, paced.sent(), forecasts);
                }
            }
        }
        producer.join();
        long end = producerDoneAt > 0 ? producerDoneAt : System.nanoTime();
        double seconds = Math.max(1e-9, (end - measureFrom) / 1e9);
        long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double cpu = (os.getProcessCpuTime() - cpuAtStart) / 1e9 / Math.max(1e-9, (System.nanoTime() - measureFrom) / 1e9);
        return new Result(config.simulator().series(), config.simulator().eventsPerSecond(),
                (paced.sent() - Math.max(0, sentAtStart)) / seconds, measuredForecasts / seconds, forecasts,
                paced.sent(), pct(lat, 0.5), pct(lat, 0.95), pct(lat, 0.99), lat.length, cpu, peakHeap, peakPhysical,
                seconds);
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }

    private static void print(Result r, StreamcastConfig config, PrintStream out) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("events/s in (measured)", String.format("%,.0f (offered %,.0f)", r.eventsInPerSecond(),
                r.offeredPerSecond()));
        rows.put("forecasts/s out", String.format("%,.0f", r.forecastsOutPerSecond()));
        rows.put("forecasts / events", String.format("%,d / %,d", r.forecastsTotal(), r.eventsTotal()));
        rows.put("latency p50/p95/p99", String.format("%.0f / %.0f / %.0f ms (%d samples; includes the %d ms"
                        + " checkpoint interval when exactly-once)", r.latencyP50Ms(), r.latencyP95Ms(),
                r.latencyP99Ms(), r.latencySamples(), config.job().checkpointInterval().toMillis()));
        rows.put("process CPU", String.format("%.2f cores of %d", r.cpuCores(),
                Runtime.getRuntime().availableProcessors()));
        rows.put("peak heap / physical", String.format("%,d MB / %,d MB", r.peakHeapBytes() >> 20,
                r.peakPhysicalBytes() >> 20));
        out.println();
        rows.forEach((k, v) -> out.printf("  %-24s %s%n", k, v));
        out.println("  (broker, producer, job and consumer share this JVM and this machine)");
    }
}

package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.UserError;
import io.streamcast.simulate.PacedProducer;
import io.streamcast.simulate.SensorSimulator;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code generate}: the sensor simulator on its own, producing to the configured Kafka ({@code
 * kafka.bootstrap-servers}, {@code kafka.topics.events}, {@code kafka.properties.*}) at {@code
 * simulator.rate} events/s for {@code simulator.series} series, {@code simulator.rate ×
 * simulator.duration} events in all or until stopped (Ctrl-C), anomalies injected at {@code
 * simulator.anomaly-rate}. Records are keyed by series, with the event time as record timestamp.
 * Prints progress every few seconds and a summary at the end. Needs no Flink cluster and no ND4J,
 * but Flink's jars on the class path: the Kafka client settings come from {@link KafkaIo}, which
 * refers to Flink's types, and the cluster jar leaves Flink and logging out ({@code java -cp
 * streamcast.jar:/opt/flink/lib/* io.streamcast.cli.Main generate ...}, or bin/streamcast).
 */
@Command(
        name = "generate",
        header = "the sensor simulator alone, producing to the configured events topic",
        description = {
            "The sensor simulator alone: simulator.rate events/s of simulator.series series to the"
                    + " configured events topic for simulator.duration (or until Ctrl-C)."
        })
final class GenerateCommand extends Subcommand {
    static final Duration REPORT_EVERY = Duration.ofSeconds(5);

    @Option(
            names = "--start",
            paramLabel = "TS",
            converter = OptionTypes.Iso8601.class,
            description =
                    "the simulated clock's first reading (ISO-8601); default: just after the"
                            + " newest reading on the events topic, or 2026-01-01T00:00:00Z"
                            + " on an empty topic (earlier when the run would end after now)")
    Instant start;

    @Override
    protected int run() throws Exception {
        return run(common.config(), out, Clock.systemUTC(), start);
    }

    static int run(StreamcastConfig config, PrintStream out, Clock clock) throws Exception {
        return run(config, out, clock, null);
    }

    /**
     * Produces the simulated readings of {@code config} to its events topic from {@code startAt}
     * (null: after the topic's newest reading), the simulated time ending no later than {@code
     * clock}'s now.
     */
    static int run(StreamcastConfig config, PrintStream out, Clock clock, Instant startAt)
            throws Exception {
        var sim = config.simulator();
        var kafka = config.kafka();
        // Without this, a producer asks for the topic's metadata until max.block.ms and then
        // reports the topic as missing, which sends the user looking for the wrong problem.
        KafkaCheck.reachable(kafka);
        Properties properties = KafkaIo.producerProperties(kafka);

        PacedProducer paced = new PacedProducer(kafka.eventsTopic(), sim.eventsPerSecond());
        long readings = paced.eventsFor(sim.duration());
        long start;
        if (startAt != null) {
            start = startAt.toEpochMilli();
        } else {
            start = SimulatedTime.start(config, readings, clock.millis());
            OptionalLong newest = NewestReading.of(kafka, kafka.eventsTopic());
            if (newest.isPresent() && newest.getAsLong() >= start) {
                // A second run on the same topic: start after the first one's readings, which
                // would otherwise make every reading of this run late for its series.
                start = newest.getAsLong() + SensorSimulator.STEP_MILLIS;
                out.printf(
                        "The events topic holds readings up to %s: simulating from %s%n",
                        Instant.ofEpochMilli(newest.getAsLong()), Instant.ofEpochMilli(start));
            }
        }
        long end = SensorSimulator.endOf(start, readings, sim.series());
        if (end > clock.millis()) {
            throw new UserError(
                    "generate: "
                            + readings
                            + " readings of "
                            + sim.series()
                            + " series from "
                            + Instant.ofEpochMilli(start)
                            + " (15 simulated minutes a step) would end at "
                            + Instant.ofEpochMilli(end)
                            + ", after now; a broker refuses readings ahead of its clock: set an"
                            + " earlier --start, a shorter simulator.duration or another"
                            + " kafka.topics.events");
        }
        SensorSimulator simulator =
                new SensorSimulator(sim.series(), start, sim.anomalyRate(), sim.seed());
        out.printf(
                "Generating %,d events: %,d series at %,d events/s for %s to topic %s on %s (anomaly rate %s,"
                        + " seed %d); Ctrl-C stops%n",
                paced.eventsFor(sim.duration()),
                sim.series(),
                sim.eventsPerSecond(),
                sim.duration().toString().substring(2).toLowerCase(Locale.ROOT),
                kafka.eventsTopic(),
                kafka.bootstrapServers(),
                sim.anomalyRate(),
                sim.seed());

        AtomicLong anomalies = new AtomicLong();
        AtomicLong simulatedTime = new AtomicLong(start);
        // Ctrl-C: stop producing, and let the main thread flush, close and summarise before the JVM
        // goes.
        CountDownLatch finished = new CountDownLatch(1);
        Thread onShutdown =
                new Thread(
                        () -> {
                            paced.stop();
                            try {
                                finished.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "generate-shutdown");
        Runtime.getRuntime().addShutdownHook(onShutdown);
        ScheduledExecutorService reporter =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "generate-progress");
                            t.setDaemon(true);
                            return t;
                        });
        long started = System.nanoTime();
        try {
            long[] last = {started, 0};
            reporter.scheduleAtFixedRate(
                    () -> {
                        long now = System.nanoTime();
                        long sent = paced.sent();
                        out.printf(
                                "[generate] %,d events sent, %,.0f events/s (last %d s), simulated time %s%n",
                                sent,
                                (sent - last[1]) / ((now - last[0]) / 1e9),
                                REPORT_EVERY.toSeconds(),
                                Instant.ofEpochMilli(simulatedTime.get()));
                        last[0] = now;
                        last[1] = sent;
                    },
                    REPORT_EVERY.toMillis(),
                    REPORT_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);

            long sent;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
                sent =
                        paced.run(
                                producer,
                                simulator,
                                sim.duration(),
                                r -> {
                                    simulatedTime.set(r.ts());
                                    if (r.anomaly()) {
                                        anomalies.incrementAndGet();
                                    }
                                });
            } catch (KafkaException e) {
                System.err.println(
                        "streamcast: generate: sending to "
                                + kafka.eventsTopic()
                                + " on "
                                + kafka.bootstrapServers()
                                + " failed ("
                                + paced.sent()
                                + " events sent): "
                                + e.getMessage());
                return 1;
            } finally {
                reporter.shutdownNow();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf(
                    "Sent %,d events (%,d anomalous readings injected) in %.1f s, %,.0f events/s; simulated time"
                            + " %s to %s%n",
                    sent,
                    anomalies.get(),
                    seconds,
                    sent / seconds,
                    Instant.ofEpochMilli(start),
                    Instant.ofEpochMilli(simulatedTime.get()));
            return 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onShutdown);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running (Ctrl-C); it is released by the countDown above.
            }
        }
    }
}

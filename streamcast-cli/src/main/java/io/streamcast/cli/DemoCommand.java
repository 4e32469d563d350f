package io.streamcast.cli;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.dashboard.Dashboard;
import io.streamcast.eval.forecast.DemoDetections;
import io.streamcast.eval.forecast.DemoSummary;
import io.streamcast.event.Forecast;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.AlertOutput;
import io.streamcast.io.DriftOutput;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.ModelFile;
import io.streamcast.io.ModelOutput;
import io.streamcast.io.ModelsRecord;
import io.streamcast.io.OutputDecoder;
import io.streamcast.io.OutputEncoder;
import io.streamcast.local.EmbeddedKafka;
import io.streamcast.local.LocalJob;
import io.streamcast.pipeline.JobEnvironment;
import io.streamcast.pipeline.StreamcastJob;
import io.streamcast.report.SkippedRecords;
import io.streamcast.simulate.PacedProducer;
import io.streamcast.simulate.SensorSimulator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: starts an in-process Kafka broker and a local Flink runtime, streams the simulated
 * sensor fleet through the full job, prints forecasts, model versions and alerts as they are
 * committed, and ends with a throughput, latency and accuracy summary (one-step MAE of the model
 * against repeat-last over the second half of the run).
 */
@Command(
        name = "demo",
        header =
                "in-process Kafka + local Flink + simulated sensors: forecasts as they happen, summary",
        description = {
            "In-process Kafka + local Flink + simulated sensors: prints forecasts, model versions and"
                    + " alerts as they are committed, then a throughput, latency and accuracy summary."
                    + " simulator.* keys shape the fleet (e.g. --set simulator.duration=30s)."
        })
final class DemoCommand extends Subcommand {
    /** The series whose forecasts the demo prints. */
    private static final String SHOWN_SERIES = SensorSimulator.seriesName(0);

    /**
     * Settings that make a one-minute run show learning; any of them can still be overridden with
     * --set. Training itself runs on the job's defaults, so the demo shows what they do. The
     * default step is the simulator's interval, so that a series' first forecast targets its next
     * reading.
     */
    private static final List<String> DEMO_DEFAULTS =
            List.of(
                    "job.parallelism=2",
                    "job.checkpoint-interval=1s",
                    "window.size=32",
                    "model.hidden=24",
                    "time.default-step=15m");

    /** Forecast lines of the shown sensor come in runs of this many consecutive readings ... */
    static final int RUN = 6;

    /**
     * ... one run every this many readings (2.5 simulated days at the simulator's 15-minute step).
     */
    static final int RUN_EVERY = 240;

    static StreamcastConfig config(Path file, List<String> overrides) {
        return config(file, overrides, null);
    }

    /**
     * The demo's configuration: its defaults, then the network shape of {@code modelFile} (may be
     * null) so that a model trained with other settings fits, then the user's file and overrides
     * (which win).
     */
    static StreamcastConfig config(Path file, List<String> overrides, Path modelFile) {
        List<String> all = new ArrayList<>(DEMO_DEFAULTS);
        if (modelFile != null) {
            ModelFile.networkSettings(modelFile).forEach((k, v) -> all.add(k + "=" + v));
        }
        all.addAll(overrides);
        return ConfigLoader.load(file, all);
    }

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description =
                    "start from a saved model; the demo takes the network's shape (cell, layers,"
                            + " hidden) from the file")
    Path modelFile;

    @Option(
            names = "--dashboard-port",
            paramLabel = "N",
            converter = OptionTypes.AtLeast0.class,
            description = "port of the live page (0: any free port)")
    int dashboardPort = 0;

    @Option(names = "--no-dashboard", description = "do not serve the live page")
    boolean noDashboard;

    @Override
    protected int run() throws Exception {
        return run(
                config(common.configFile(), common.overrides(), modelFile),
                modelFile,
                noDashboard ? -1 : dashboardPort,
                out,
                temp);
    }

    /**
     * Runs the demo; {@code modelFile} (may be null) is a saved model to start from instead of
     * random weights; {@code dashboardPort} is where the live page is served while the demo runs
     * (0: any free port; -1: none).
     */
    static int run(
            StreamcastConfig requested,
            Path modelFile,
            int dashboardPort,
            PrintStream out,
            TempFiles temp)
            throws Exception {
        ModelUpdate model = StreamcastJob.initialModel(requested, modelFile);
        if (model != null) {
            out.printf(
                    "Starting from model file %s (%s)%n", modelFile, ModelFile.describe(modelFile));
        }
        out.println("Starting an in-process Kafka broker (KRaft) ...");
        EmbeddedKafka kafka = EmbeddedKafka.start();
        try (AutoCloseable closing = temp.closing(kafka)) {
            StreamcastConfig config = requested.withKafka(kafka.bootstrapServers());
            Configuration local = JobEnvironment.localRuntime(config.job());
            local.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    temp.directory("streamcast-demo-checkpoints").toUri().toString());
            JobClient job = LocalJob.start(config, kafka, "streamcast-demo", local, model);
            out.printf(
                    "Flink job %s started (parallelism %d, %s, checkpoint every %d ms)%n",
                    job.getJobID(),
                    config.job().parallelism(),
                    config.job().exactlyOnce() ? "exactly-once" : "at-least-once",
                    config.job().checkpointInterval().toMillis());

            try (Dashboard dashboard =
                    dashboardPort < 0
                            ? null
                            : Dashboard.start(
                                    config.kafka(),
                                    Dashboard.Settings.DEFAULTS.withPort(dashboardPort))) {
                if (dashboard != null) {
                    out.println(
                            "Live page: "
                                    + dashboard.url()
                                    + " (open it in a browser; it stops with the demo)");
                }
                Demo demo =
                        new Demo(config, kafka.bootstrapServers(), out, System.currentTimeMillis());
                ProducerThread producer = new ProducerThread("demo-producer", demo::produce);
                producer.start();
                demo.consume(producer);
                job.cancel().get();
                int failed = producer.exitCode("demo", demo.paced.sent(), System.err);
                if (failed != 0) {
                    return failed;
                }
                demo.summarise();
            }
        }
        return 0;
    }

    /** The producer, the consumer and what they measured. */
    private static final class Demo {
        private final StreamcastConfig config;
        private final String servers;
        private final PrintStream out;
        private final Map<Reading, Double> actual = new ConcurrentHashMap<>();
        private final Map<Reading, Long> sentAt = new ConcurrentHashMap<>();

        /** Injected anomalies and where alerts opened, matched within an hour. */
        private final DemoDetections detections =
                new DemoDetections(4 * SensorSimulator.STEP_MILLIS);

        private final SkippedRecords skipped = new SkippedRecords();
        private final PacedProducer paced;
        private final AtomicBoolean producing = new AtomicBoolean(true);
        private final DemoSummary summary = new DemoSummary();

        /**
         * Counts down the forecasts of the first round of readings (one per series, at {@link
         * #simulatedStart}), sent before the rest: once all are committed the job is up and the
         * paced run starts. Their latency is the job's start-up, reported apart.
         */
        private final CountDownLatch firstRoundForecast;

        private long startup;

        /**
         * Lines waiting until the printed series' forecasts reach their simulated time, by time and
         * arrival: the consumer reads the alerts topic ahead of the much fuller forecasts topic,
         * and its lines would otherwise print a simulated day early.
         */
        private final java.util.PriorityQueue<Line> held =
                new java.util.PriorityQueue<>(
                        java.util.Comparator.comparingLong(Line::ts).thenComparingLong(Line::seq));

        private record Line(long ts, long seq, String text) {}

        /** A series' reading at a simulated time: what a forecast or an alert is about. */
        private record Reading(String series, long ts) {}

        private long lines;

        /** The newest simulated time of the printed series' forecasts read so far. */
        private long printedUpTo = Long.MIN_VALUE;

        private long forecasts;
        private long models;
        private long lastVersion;
        private long started;
        private long producedFor;

        /**
         * Where the simulated clock starts: the run's last reading is not after the wall clock at
         * the start.
         */
        private final long simulatedStart;

        Demo(StreamcastConfig config, String servers, PrintStream out, long nowMillis) {
            this.config = config;
            this.servers = servers;
            this.out = out;
            this.paced =
                    new PacedProducer(
                            config.kafka().eventsTopic(), config.simulator().eventsPerSecond());
            this.simulatedStart =
                    SimulatedTime.start(
                            config, paced.eventsFor(config.simulator().duration()), nowMillis);
            this.firstRoundForecast = new CountDownLatch(config.simulator().series());
        }

        /** How long the paced run waits for the first round's forecasts before it starts anyway. */
        static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

        /** Holds the paced run until the first round's forecasts are committed (the job is up). */
        private void awaitJob() {
            long sent = System.nanoTime();
            try {
                if (!firstRoundForecast.await(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    out.printf(
                            "The job committed no forecast within %d s of the first readings;"
                                    + " producing the rest anyway%n",
                            STARTUP_TIMEOUT.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            startup = System.nanoTime() - sent;
            started = System.nanoTime();
        }

        void produce() {
            var sim = config.simulator();
            SensorSimulator simulator =
                    new SensorSimulator(
                            sim.series(), simulatedStart, sim.anomalyRate(), sim.seed());
            Properties p = KafkaIo.producerProperties(servers);
            started = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                paced.run(
                        producer,
                        simulator,
                        sim.duration(),
                        r -> {
                            Reading key = new Reading(r.series(), r.ts());
                            actual.put(key, r.value());
                            if (r.anomaly()) {
                                detections.injected(r.series(), r.ts());
                            }
                            sentAt.put(key, System.nanoTime());
                        },
                        this::awaitJob);
            } finally {
                producedFor = System.nanoTime() - started;
                producing.set(false);
            }
        }

        void consume(ProducerThread producer) throws Exception {
            Properties p = KafkaIo.committedReaderProperties(servers, "demo");
            Map<String, Stream> streams = new HashMap<>();
            for (Stream s : List.of(Stream.FORECASTS, Stream.MODELS, Stream.ALERTS)) {
                streams.put(config.kafka().topic(s), s);
            }
            long graceUntil = Long.MAX_VALUE;
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(streams.keySet());
                while (System.nanoTime() < graceUntil
                        && producer.failure() == null
                        && (producing.get() || forecasts < paced.sent())) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        try {
                            switch (streams.get(r.topic())) {
                                case FORECASTS -> onForecast(OutputDecoder.forecast(r.value()));
                                case ALERTS -> onAlert(OutputDecoder.alert(r.value()));
                                default -> onModel(OutputDecoder.models(r.value()));
                            }
                        } catch (RuntimeException e) {
                            // Counted and said once in the summary: one odd record must not end
                            // the demo's accounting.
                            skipped.skip(
                                    r.topic() + " offset " + r.offset(),
                                    e instanceof OutputDecoder.Unreadable
                                            ? e.getMessage()
                                            : e.getClass().getSimpleName());
                        }
                    }
                    release(printedUpTo);
                    if (!producing.get() && graceUntil == Long.MAX_VALUE) {
                        graceUntil = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    }
                }
            }
            release(Long.MAX_VALUE);
            producer.join();
        }

        private void hold(long ts, String text) {
            held.add(new Line(ts, lines++, text));
        }

        private void release(long upTo) {
            while (!held.isEmpty() && held.peek().ts() <= upTo) {
                out.print(held.poll().text());
            }
        }

        private void onForecast(Forecast f) {
            forecasts++;
            String series = f.series();
            long ts = f.ts();
            Reading key = new Reading(series, ts);
            Long sent = sentAt.remove(key);
            if (ts == simulatedStart) {
                firstRoundForecast.countDown();
            } else if (sent != null) {
                summary.latency(System.nanoTime() - sent);
            }
            double mean = f.mean()[0];
            long step = (ts - simulatedStart) / SensorSimulator.STEP_MILLIS;
            Double now = actual.get(key);
            Double later = actual.get(new Reading(series, ts + SensorSimulator.STEP_MILLIS));
            if (now != null && later != null && !f.coldStart()) {
                summary.oneStep(step, mean, now, later);
            } else {
                summary.step(step);
            }
            if (series.equals(SHOWN_SERIES)) {
                printedUpTo = Math.max(printedUpTo, ts);
            }
            if (series.equals(SHOWN_SERIES) && step % RUN_EVERY < RUN) {
                if (step % RUN_EVERY == 0) {
                    hold(
                            ts,
                            String.format(
                                    "[forecast] %s, %d consecutive readings: each line's 'next' is checked by the next"
                                            + " line's 'actual'%n",
                                    series, RUN));
                }
                hold(
                        ts,
                        String.format(
                                "[forecast] %s %s  actual %8.2f  next %8.2f  [%8.2f, %8.2f]  model v%d%s%n",
                                series,
                                OutputEncoder.iso(ts),
                                now == null ? Double.NaN : now,
                                mean,
                                f.lower()[0],
                                f.upper()[0],
                                f.modelVersion(),
                                f.coldStart() ? " (cold start)" : ""));
            }
        }

        private void onModel(ModelsRecord record) {
            if (record instanceof DriftOutput d) {
                out.printf(
                        "[drift]    the model's loss on new windows %.5f against validation loss %.5f"
                                + " (Page-Hinkley %.2f > %.2f) after %d samples: retraining now%n",
                        d.recentLoss(),
                        d.validationLoss(),
                        d.statistic(),
                        d.threshold(),
                        d.samplesSeen());
                return;
            }
            ModelOutput m = (ModelOutput) record;
            models++;
            lastVersion = Math.max(lastVersion, m.version());
            hold(
                    printedUpTo,
                    String.format(
                            "[model]    v%d promoted: validation loss %.5f, train loss %.5f, gradient norm %.3f, %d samples%n",
                            m.version(),
                            m.validationLoss(),
                            m.trainLoss(),
                            m.gradientNorm(),
                            m.samplesSeen()));
        }

        private void onAlert(AlertOutput a) {
            if (a.state().equals("open")) {
                detections.opened(a.series(), a.ts());
            }
            hold(
                    a.ts(),
                    String.format(
                            "[alert]    %-6s %s %s (%s) %s%n",
                            a.state().toUpperCase(),
                            a.series(),
                            OutputEncoder.iso(a.ts()),
                            a.severity(),
                            a.reason()));
        }

        void summarise() {
            double seconds = producedFor / 1e9;
            DemoSummary.Mae mae = summary.secondHalf();
            out.println();
            out.println("Summary");
            out.printf(
                    "  events produced      %d in %.1f s (%.0f events/s offered)%n",
                    paced.sent(), seconds, paced.sent() / seconds);
            out.printf(
                    "  forecasts committed  %d (one per event: %s)%n",
                    forecasts, forecasts == paced.sent());
            out.printf("  model versions       %d promoted (latest v%d)%n", models, lastVersion);
            if (skipped.count() > 0) {
                out.println("  output records       " + skipped.summary());
            }
            DemoDetections.Caught caught = detections.caught();
            out.printf(
                    "  injected anomalies   caught %d of %d (an alert within an hour; %d anomalous readings)%n",
                    caught.caught(), caught.of(), detections.anomalousReadings());
            out.printf(
                    "  alerts opened        %d, %d of them within an hour of an injected anomalous reading%n",
                    detections.alertsOpened(), detections.alertsNearInjected());
            out.printf(
                    "  job start-up         %.1f s from the first readings (one per series) to their committed forecasts; the rest were sent after%n",
                    startup / 1e9);
            if (summary.latencies() > 0) {
                out.printf(
                        "  event -> committed forecast latency  p50 %d ms, p95 %d ms, p99 %d ms"
                                + " (after start-up; includes the %d ms checkpoint interval: exactly-once output is visible on commit)%n",
                        summary.latencyMillis(0.5),
                        summary.latencyMillis(0.95),
                        summary.latencyMillis(0.99),
                        config.job().checkpointInterval().toMillis());
            }
            if (mae.n() > 0) {
                out.printf(
                        "  one-step MAE over the second half (%d forecasts): model %.3f, repeat-last %.3f (%.0f%% of it)%n",
                        mae.n(),
                        mae.model(),
                        mae.repeatLast(),
                        100 * mae.model() / mae.repeatLast());
            }
        }
    }
}

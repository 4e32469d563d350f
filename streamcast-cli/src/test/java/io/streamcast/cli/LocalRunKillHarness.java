package io.streamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.Repository;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.KafkaTestClients;
import io.streamcast.local.EmbeddedKafka;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kill-and-count of a local {@code run}: a paced stream of readings (at most {@code lead} readings
 * ahead of the forecasts, so that however slowly the job starts, every kill lands mid-stream) goes
 * to a broker while {@code run} runs as a separate process, which is killed with SIGKILL ({@code
 * kill -9}) several times mid-stream, each time after it completed a checkpoint of its own, and
 * started again; the forecasts are counted read_committed. Used by {@link LocalRunRecoveryITCase}
 * and, through {@link #main}, by hand:
 *
 * <pre>{@code
 * java -cp "streamcast-cli/target/test-classes:streamcast-local/target/test-classes:streamcast-core/target/test-classes:streamcast-cli/target/classes:$(cat streamcast-cli/target/local-classpath.txt)" \
 *     io.streamcast.cli.LocalRunKillHarness --series 20 --steps 2000 --rate 200 --kills 5 --launcher ./bin/streamcast
 * }</pre>
 */
final class LocalRunKillHarness {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What to run: the stream's shape, the kills, the command that starts {@code run}, and its
     * extra settings.
     */
    record Plan(
            int series,
            int steps,
            double ratePerSecond,
            int lead,
            int kills,
            List<String> command,
            Path stateDir,
            List<String> settings,
            Duration timeout) {}

    /** What came out, counted read_committed over the whole stream. */
    record Outcome(
            int readings,
            int forecasts,
            int distinct,
            int lost,
            int duplicated,
            int coldForecasts,
            int versionZeroForecasts,
            int versionZeroAfterFirstRestart,
            int windowResets,
            int versionDrops,
            long highestVersion,
            long highestVersionBeforeFirstKill,
            int kills,
            List<String> startLines,
            int fencedErrorLines) {
        @Override
        public String toString() {
            return String.format(
                    "readings %d, forecasts %d (distinct %d), lost %d, duplicated %d, window resets %d,"
                            + " model-version drops %d, cold-start (window filling) forecasts %d, model v0 forecasts %d"
                            + " (%d after the first restart), highest model version %d (v%d before the first kill),"
                            + " kills %d, 'already fenced' lines %d%n  start lines: %s",
                    readings,
                    forecasts,
                    distinct,
                    lost,
                    duplicated,
                    windowResets,
                    versionDrops,
                    coldForecasts,
                    versionZeroForecasts,
                    versionZeroAfterFirstRestart,
                    highestVersion,
                    highestVersionBeforeFirstKill,
                    kills,
                    fencedErrorLines,
                    startLines);
        }
    }

    /** One forecast as read back. */
    private record Seen(long ts, long version, boolean cold, long readAt) {}

    private LocalRunKillHarness() {}

    static final String PREFIX = "lr";
    static final long STEP_MS = 60_000;

    /**
     * The {@code run} arguments after the command: this broker, the harness's topics, the state
     * directory.
     */
    static List<String> runArguments(String servers, Plan plan) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "run",
                                "--set",
                                "kafka.bootstrap-servers=" + servers,
                                "--set",
                                "kafka.group-id=" + PREFIX,
                                "--set",
                                "job.name=" + PREFIX,
                                "--set",
                                "job.state-dir=" + plan.stateDir(),
                                "--set",
                                "kafka.topics.events=" + PREFIX + "-events",
                                "--set",
                                "kafka.topics.forecasts=" + PREFIX + "-forecasts",
                                "--set",
                                "kafka.topics.scores=" + PREFIX + "-scores",
                                "--set",
                                "kafka.topics.alerts=" + PREFIX + "-alerts",
                                "--set",
                                "kafka.topics.models=" + PREFIX + "-models",
                                "--set",
                                "kafka.topics.dead-letters=" + PREFIX + "-dead"));
        for (String s : plan.settings()) {
            args.add("--set");
            args.add(s);
        }
        return args;
    }

    /**
     * {@code java} with this JVM's test class path: the project's classes and every dependency,
     * like the launcher.
     */
    static List<String> javaCommand() {
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
                "-Dlog4j.configurationFile=" + Repository.path("bin/log4j2.xml"),
                "-cp",
                cp,
                "io.streamcast.cli.Main");
    }

    static Outcome run(EmbeddedKafka kafka, Plan plan, Path logs) throws Exception {
        KafkaTestClients.createTopics(kafka, PREFIX, 2);
        String servers = kafka.bootstrapServers();
        int readings = plan.series() * plan.steps();
        long start = Instant.now().minus(Duration.ofDays(30)).toEpochMilli();
        Map<String, List<Seen>> seen = new ConcurrentHashMap<>();
        AtomicLong forecasts = new AtomicLong();
        AtomicLong promotedSeenAt = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean modelPublished = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader =
                new Thread(
                        () -> read(servers, seen, forecasts, promotedSeenAt, modelPublished, stop),
                        "harness-reader");
        reader.start();
        Thread producer =
                new Thread(
                        () -> produce(servers, plan, start, forecasts, modelPublished),
                        "harness-producer");
        producer.start();

        List<String> command = new ArrayList<>(plan.command());
        command.addAll(runArguments(servers, plan));
        List<Path> logFiles = new ArrayList<>();
        long firstKillAt = Long.MAX_VALUE;
        int kills = 0;
        long deadline = System.nanoTime() + plan.timeout().toNanos();
        try {
            for (int attempt = 0; ; attempt++) {
                Path log = logs.resolve("run-" + attempt + ".log");
                logFiles.add(log);
                ProcessBuilder pb =
                        new ProcessBuilder(command)
                                .redirectErrorStream(true)
                                .redirectOutput(log.toFile());
                pb.environment().put("OMP_NUM_THREADS", "1");
                long startedAt = System.currentTimeMillis();
                long countAtStart = forecasts.get();
                Process p = pb.start();
                // A test JVM that dies (a timeout, Ctrl-C) must not leave the job running.
                Thread reaper = new Thread(p::destroyForcibly);
                Runtime.getRuntime().addShutdownHook(reaper);
                try {
                    if (attempt < plan.kills()) {
                        // Kill mid-stream, once this process has written forecasts and completed a
                        // checkpoint of its own: each attempt makes progress, and each kill lands
                        // on work in flight. The first kill also waits for a promoted model and a
                        // checkpoint after it, so that there is a trained model to carry across the
                        // restarts.
                        long want = countAtStart + Math.max(50, readings / (plan.kills() + 2) / 2);
                        while (!(forecasts.get() >= want
                                && newestCheckpoint(plan.stateDir())
                                        > Math.max(startedAt, promotedSeenAt.get()))) {
                            check(p, deadline, log);
                            Thread.sleep(100);
                        }
                        if (attempt == 0) {
                            firstKillAt = System.currentTimeMillis();
                        }
                        p.destroyForcibly().waitFor();
                        kills++;
                        continue;
                    }
                    while (distinct(seen) < readings) {
                        check(p, deadline, log);
                        Thread.sleep(200);
                    }
                    // Anything beyond one per reading would be a duplicate, committed by the next
                    // checkpoint: wait for one that completed after every reading was seen.
                    long allSeenAt = System.currentTimeMillis();
                    while (newestCheckpoint(plan.stateDir()) <= allSeenAt) {
                        check(p, deadline, log);
                        Thread.sleep(100);
                    }
                } finally {
                    p.destroyForcibly().waitFor();
                    Runtime.getRuntime().removeShutdownHook(reaper);
                }
                break;
            }
        } finally {
            producer.join(plan.timeout().toMillis());
            stop.set(true);
            reader.join();
        }
        return count(plan, readings, seen, firstKillAt, kills, logFiles);
    }

    private static void check(Process p, long deadline, Path log) throws IOException {
        if (!p.isAlive()) {
            throw new IllegalStateException("run exited with " + p.exitValue() + ": " + tail(log));
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out; last output: " + tail(log));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** When the newest complete checkpoint in the state directory was written (0: none). */
    static long newestCheckpoint(Path stateDir) throws IOException {
        Path root = stateDir.resolve("checkpoints");
        if (!Files.isDirectory(root)) {
            return 0;
        }
        long newest = 0;
        try (Stream<Path> walk = Files.walk(root, 3)) {
            for (Path p :
                    walk.filter(p -> p.getFileName().toString().equals("_metadata")).toList()) {
                try {
                    newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
                } catch (IOException gone) {
                    // deleted by the job's cleanup between listing and reading
                }
            }
        } catch (java.io.UncheckedIOException gone) {
            return newest;
        }
        return newest;
    }

    private static void produce(
            String servers,
            Plan plan,
            long start,
            AtomicLong forecasts,
            AtomicBoolean modelPublished) {
        Properties props = KafkaIo.producerProperties(servers);
        long began = System.nanoTime();
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int step = 0; step < plan.steps(); step++) {
                // A third of the way in, wait (up to 3 minutes) for the trainer's first promoted
                // model on the models topic: a fast job would otherwise forecast the whole stream
                // before a round completes, and there would be no trained model to carry across
                // the kills. (Waiting for a forecast from it instead waited the full 3 minutes:
                // with the readings held back, there was nothing to forecast.)
                long waitUntil = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (step == plan.steps() / 3
                        && !modelPublished.get()
                        && System.nanoTime() < waitUntil) {
                    Thread.sleep(200);
                }
                while (sent - forecasts.get() > plan.lead()) {
                    producer.flush();
                    Thread.sleep(50);
                }
                long ts = start + step * STEP_MS;
                for (int s = 0; s < plan.series(); s++) {
                    double v = 100 + s + 10 * Math.sin(2 * Math.PI * step / 24.0 + s);
                    String series = "s" + s;
                    String json =
                            "{\"series\":\""
                                    + series
                                    + "\",\"ts\":\""
                                    + Instant.ofEpochMilli(ts)
                                    + "\",\"value\":"
                                    + v
                                    + "}";
                    producer.send(
                            new ProducerRecord<>(
                                    PREFIX + "-events",
                                    null,
                                    ts,
                                    series.getBytes(),
                                    json.getBytes()));
                    sent++;
                }
                long due = began + (long) (sent / plan.ratePerSecond() * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void read(
            String servers,
            Map<String, List<Seen>> seen,
            AtomicLong forecasts,
            AtomicLong promotedSeenAt,
            AtomicBoolean modelPublished,
            AtomicBoolean stop) {
        Properties p = KafkaIo.committedReaderProperties(servers, "harness");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(PREFIX + "-forecasts", PREFIX + "-models"));
            while (!stop.get()) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode f = JSON.readTree(r.value());
                    if (r.topic().equals(PREFIX + "-models")) {
                        if (f.has("version") && f.get("version").asLong() > 0) {
                            modelPublished.set(true); // not the drift events
                        }
                        continue;
                    }
                    seen.computeIfAbsent(
                                    f.get("series").asText(),
                                    k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(
                                    new Seen(
                                            Instant.parse(f.get("ts").asText()).toEpochMilli(),
                                            f.get("model").get("version").asLong(),
                                            f.get("coldStart").asBoolean(),
                                            System.currentTimeMillis()));
                    forecasts.incrementAndGet();
                    if (f.get("model").get("version").asLong() > 0
                            && promotedSeenAt.get() == Long.MAX_VALUE) {
                        promotedSeenAt.set(System.currentTimeMillis());
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int distinct(Map<String, List<Seen>> seen) {
        int n = 0;
        for (List<Seen> list : seen.values()) {
            synchronized (list) {
                n += (int) list.stream().mapToLong(Seen::ts).distinct().count();
            }
        }
        return n;
    }

    private static Outcome count(
            Plan plan,
            int readings,
            Map<String, List<Seen>> seen,
            long firstKillAt,
            int kills,
            List<Path> logFiles)
            throws IOException {
        int total = 0;
        int distinct = 0;
        int cold = 0;
        int v0 = 0;
        int v0AfterRestart = 0;
        int resets = 0;
        int drops = 0;
        long highest = 0;
        long highestBeforeKill = 0;
        for (List<Seen> list : seen.values()) {
            Map<Long, Seen> byTs = new TreeMap<>();
            for (Seen s : list) {
                total++;
                byTs.putIfAbsent(s.ts(), s);
            }
            distinct += byTs.size();
            boolean warm = false;
            long previous = 0;
            for (Seen s : byTs.values()) {
                cold += s.cold() ? 1 : 0;
                v0 += s.version() == 0 ? 1 : 0;
                if (s.version() == 0 && s.readAt() > firstKillAt && warm) {
                    v0AfterRestart++;
                }
                if (s.cold() && warm) {
                    resets++;
                }
                if (s.version() < previous) {
                    drops++;
                }
                warm |= !s.cold();
                previous = Math.max(previous, s.version());
                highest = Math.max(highest, s.version());
                if (s.readAt() <= firstKillAt) {
                    highestBeforeKill = Math.max(highestBeforeKill, s.version());
                }
            }
        }
        List<String> startLines = new ArrayList<>();
        int fenced = 0;
        for (Path log : logFiles) {
            for (String line : Files.readAllLines(log)) {
                // Log lines on the merged stderr may share a line with it.
                int at = Math.max(line.indexOf("Resuming from"), line.indexOf("Starting fresh"));
                if (at >= 0) {
                    startLines.add(
                            line.substring(at)
                                    .replaceAll("checkpoint .*/(chk-\\d+)", "checkpoint $1"));
                }
                if (line.contains("already fenced")) {
                    fenced++;
                }
            }
        }
        return new Outcome(
                readings,
                total,
                distinct,
                readings - distinct,
                total - distinct,
                cold,
                v0,
                v0AfterRestart,
                resets,
                drops,
                highest,
                highestBeforeKill,
                kills,
                startLines,
                fenced);
    }

    /**
     * By hand: {@code [--series N] [--steps N] [--rate R] [--kills K] [--launcher PATH] [--state
     * DIR] [--set k=v]...} with an in-process broker; prints the outcome. Without {@code
     * --launcher}, {@code run} is started with {@code java} and this JVM's class path.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--set")) {
                settings.add(args[i + 1]);
            } else {
                o.put(args[i].substring(2), args[i + 1]);
            }
        }
        Path stateDir =
                Path.of(
                        o.getOrDefault(
                                "state", Files.createTempDirectory("streamcast-state").toString()));
        Path logs = Files.createTempDirectory("streamcast-kill-logs");
        List<String> command =
                o.containsKey("launcher")
                        ? List.of(new File(o.get("launcher")).getAbsolutePath())
                        : javaCommand();
        Plan plan =
                new Plan(
                        Integer.parseInt(o.getOrDefault("series", "20")),
                        Integer.parseInt(o.getOrDefault("steps", "2000")),
                        Double.parseDouble(o.getOrDefault("rate", "200")),
                        Integer.parseInt(o.getOrDefault("lead", "2000")),
                        Integer.parseInt(o.getOrDefault("kills", "5")),
                        command,
                        stateDir,
                        settings,
                        Duration.ofMinutes(Long.parseLong(o.getOrDefault("timeout-min", "30"))));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Outcome outcome = run(kafka, plan, logs);
            System.out.println(outcome);
            System.out.println("logs in " + logs + ", state in " + stateDir);
        }
        System.exit(0);
    }
}

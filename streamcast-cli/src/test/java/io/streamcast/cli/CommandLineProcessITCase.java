package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.Repository;
import io.streamcast.local.EmbeddedKafka;
import io.streamcast.local.KafkaExtension;
import io.streamcast.local.ListeningSockets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user runs it: a separate JVM started in the user's own folder (not the
 * project's), with a temp folder of its own, so that what a command leaves behind there can be
 * listed. Relative paths mean the caller's folder; a CSV with a byte-order mark and semicolons is
 * read; a model trained with defaults starts the demo; the demo's broker and checkpoint folders are
 * gone after a normal end and after SIGTERM (Ctrl-C runs the same hooks).
 */
class CommandLineProcessITCase {
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir Path cwd;
    @TempDir Path tmp;

    /** A finished process: exit code and everything it printed. */
    record Ran(int code, String out, String err) {}

    private Process start(String... args) throws IOException {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx2g",
                                "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
                                "--add-opens=java.base/java.util=ALL-UNNAMED",
                                "-Djava.io.tmpdir=" + tmp,
                                "-Dlog4j.configurationFile=" + Repository.path("bin/log4j2.xml"),
                                "-Dstreamcast.log.file=" + tmp.resolve("streamcast.log"),
                                "-cp",
                                System.getProperty(
                                        "surefire.test.class.path",
                                        System.getProperty("java.class.path")),
                                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(cwd.toFile());
        b.environment().put("OMP_NUM_THREADS", "1");
        b.redirectOutput(tmp.resolve("out.txt").toFile())
                .redirectError(tmp.resolve("err.txt").toFile());
        return b.start();
    }

    private Ran run(String... args) throws Exception {
        Process p = start(args);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "finished");
        return ran(p);
    }

    private Ran ran(Process p) throws IOException {
        return new Ran(
                p.exitValue(),
                Files.readString(tmp.resolve("out.txt")),
                Files.readString(tmp.resolve("err.txt")));
    }

    /** What Streamcast left in its temp folder (Flink's and the log's own files aside). */
    private List<String> leftBehind() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("streamcast-"))
                    .sorted()
                    .toList();
        }
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(cwd.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void evaluateReadsARelativeFileWithAByteOrderMarkAndSemicolonsAndLeavesNoScratchFolder()
            throws Exception {
        StringBuilder b = new StringBuilder("\uFEFFtimestamp;value\n");
        for (int i = 0; i < 300; i++) {
            b.append(
                    String.format(
                            "2026-01-%02d %02d:00:00;%s%n",
                            1 + i / 24,
                            i % 24,
                            String.valueOf(10 + 5 * Math.sin(2 * Math.PI * i / 24))
                                    .replace('.', ',')));
        }
        write("readings.csv", b.toString());
        Ran r =
                run(
                        "evaluate",
                        "--input",
                        "readings.csv",
                        "--train-rows",
                        "100",
                        "--set",
                        "training.enabled=false",
                        "--set",
                        "job.parallelism=1");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("readings.csv"), r.out());
        assertTrue(r.out().contains("Pass --output DIR to keep evaluation.json"), r.out());
        assertEquals(List.of(), leftBehind());
        assertEquals(
                "streamcast: Flink and Kafka log to " + tmp.resolve("streamcast.log"),
                r.err().strip());
    }

    @Test
    void aModelTrainedWithDefaultsStartsTheDemoWhichLeavesNoFoldersBehind() throws Exception {
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 200; i++) {
            b.append(
                    String.format(
                            "2026-01-%02d %02d:00:00,%.3f%n",
                            1 + i / 24, i % 24, 10 + 5 * Math.sin(2 * Math.PI * i / 24)));
        }
        write("history.csv", b.toString());
        Ran trained =
                run("train", "--input", "history.csv", "--output", "model.json", "--epochs", "1");
        assertEquals(0, trained.code(), trained.out() + trained.err());
        assertTrue(
                Files.isRegularFile(cwd.resolve("model.json")),
                "a relative --output is in the caller's folder");

        Ran demo =
                run(
                        "demo",
                        "--model",
                        "model.json",
                        "--set",
                        "simulator.duration=4s",
                        "--set",
                        "simulator.series=2",
                        "--set",
                        "simulator.rate=100");
        assertEquals(0, demo.code(), demo.out() + demo.err());
        assertTrue(demo.out().contains("Starting from model file model.json"), demo.out());
        assertTrue(demo.out().contains("consecutive readings"), demo.out());
        assertTrue(
                demo.out()
                        .lines()
                        .anyMatch(l -> l.matches("  injected anomalies +caught \\d+ of \\d+ .*")),
                demo.out());
        assertTrue(demo.out().lines().noneMatch(l -> l.contains("WARN")), demo.out());
        assertEquals(List.of(), leftBehind());
    }

    @Test
    void theDemoListensOnLoopbackOnlyAndSigtermRemovesItsBrokerAndCheckpointFolders()
            throws Exception {
        Process p =
                start(
                        "demo",
                        "--set",
                        "simulator.duration=10m",
                        "--set",
                        "simulator.series=2",
                        "--set",
                        "simulator.rate=50");
        awaitLine(p, "Live page:");
        assertTrue(
                leftBehind().stream().anyMatch(n -> n.startsWith("streamcast-kafka")),
                leftBehind().toString());
        assertListensOnLoopbackOnly(p, 5);
        p.destroy(); // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "exited after SIGTERM");
        assertEquals(List.of(), leftBehind(), ran(p).err());
    }

    @Test
    void aLocalRunListensOnLoopbackOnlyPrintsItsRestUrlAndStatusAndClosesWithALine()
            throws Exception {
        EmbeddedKafka kafka = KAFKA.broker();
        Process p =
                start(
                        "run",
                        "--set",
                        "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--prometheus-port",
                        String.valueOf(freePort()),
                        "--set",
                        "job.state-dir=" + tmp.resolve("state"));
        try {
            String out = awaitLine(p, "Flink web UI and REST API: ");
            String url =
                    out.lines()
                            .filter(l -> l.startsWith("Flink web UI and REST API: "))
                            .findFirst()
                            .orElseThrow()
                            .split(" ")[6];
            assertTrue(url.startsWith("http://127.0.0.1:"), url);
            HttpResponse<String> jobs =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(url + "/jobs")).build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, jobs.statusCode(), jobs.body());
            assertTrue(out.contains("Prometheus metrics: http://127.0.0.1:"), out);
            // REST, the RPC/blob listeners and the Prometheus endpoint.
            assertListensOnLoopbackOnly(p, 3);
            awaitLine(p, " events in (");
        } finally {
            p.destroy();
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "exited after SIGTERM");
        }
        // The closing line: what was processed and what the next run resumes from.
        String out = Files.readString(tmp.resolve("out.txt"));
        assertTrue(
                out.lines()
                        .anyMatch(
                                l ->
                                        l.matches(
                                                "\\[run \\d+s\\] stopped \\(Ctrl-C or SIGTERM\\):"
                                                        + " 0 events in, 0 forecasts out, 0 dead"
                                                        + " letters(, serving model v0)?; .*")),
                out);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until the process has printed {@code text}; returns all it printed so far. */
    private String awaitLine(Process p, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        String out = Files.readString(tmp.resolve("out.txt"));
        while (!out.contains(text) && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(500);
            out = Files.readString(tmp.resolve("out.txt"));
        }
        assertTrue(
                p.isAlive() && out.contains(text), out + Files.readString(tmp.resolve("err.txt")));
        return out;
    }

    /**
     * Every TCP listener of the process is on loopback; there are at least {@code expected} (so
     * that the check does not pass on a process that listens on nothing).
     */
    private static void assertListensOnLoopbackOnly(Process p, int expected) throws IOException {
        List<ListeningSockets.Listener> listeners = ListeningSockets.of(p.pid());
        assertTrue(listeners.size() >= expected, "listeners: " + listeners);
        assertEquals(
                List.of(),
                listeners.stream().filter(l -> !l.loopback()).toList(),
                "listening off loopback (all: " + listeners + ")");
    }
}

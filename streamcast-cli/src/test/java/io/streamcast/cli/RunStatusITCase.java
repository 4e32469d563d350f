package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.local.KafkaExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local {@code run} says what it does: the loopback REST address, status lines with the job's own
 * counts (events in, forecasts out, dead letters by reason, checkpoint), a warning when most input
 * is dead-lettered, the same counts on its loopback Prometheus endpoint, and a closing line naming
 * the checkpoint kept. Real broker, real job.
 */
class RunStatusITCase {
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir Path state;

    @Test
    void statusLinesWarningAndClosingLine() throws Exception {
        List<String> config =
                List.of(
                        "--set",
                        "kafka.bootstrap-servers=" + KAFKA.bootstrapServers(),
                        "--set",
                        "job.state-dir=" + state,
                        "--set",
                        "job.checkpoint-interval=2s");
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        assertEquals(0, Main.run(args(List.of("topics"), config), print(quiet), print(quiet)));

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream runOut = print(printed);
        int prometheus = freePort();
        List<String> command =
                List.of(
                        "run",
                        "--status-every",
                        "1s",
                        "--prometheus-port",
                        String.valueOf(prometheus));
        Thread run =
                new Thread(() -> Main.run(args(command, config), runOut, runOut), "streamcast-run");
        run.setDaemon(true);
        run.start();
        try {
            String started = await(printed, s -> s.contains("Ctrl-C stops"));
            assertTrue(started.contains("Flink web UI and REST API: http://127.0.0.1:"), started);

            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));
            StringBuilder readings = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                readings.append(
                        String.format(
                                "{\"series\":\"pump-1\",\"ts\":\"%s\",\"value\":%d}%n",
                                t0.plus(Duration.ofMinutes(i)), 40 + i % 7));
            }
            produce(readings.toString(), config);
            await(printed, s -> s.contains("] 60 events in"));
            // The same readings three times more: all dead letters.
            produce(readings.toString().repeat(3), config);
            String late = await(printed, s -> s.contains("] 240 events in"));
            assertTrue(
                    Pattern.compile(
                                    "\\] 240 events in \\([0-9,]+/s\\), 60 forecasts out, 180 dead letters \\(")
                            .matcher(late)
                            .find(),
                    late);
            assertTrue(
                    late.contains("WARNING: ") && late.contains("readings were dead-lettered"),
                    late);
            // The same counts for Prometheus, under the names the Grafana dashboard queries.
            assertTrue(
                    late.contains(
                            "Prometheus metrics: http://127.0.0.1:" + prometheus + "/metrics"),
                    late);
            assertEquals(
                    240,
                    scrape(
                            prometheus,
                            "flink_taskmanager_job_task_operator_eventsIn",
                            "window_assembler"));
            assertEquals(
                    60,
                    scrape(
                            prometheus,
                            "flink_taskmanager_job_task_operator_forecastsOut",
                            "forecaster"));
            await(printed, s -> s.contains("last checkpoint #"));
        } finally {
            run.interrupt();
            run.join(Duration.ofSeconds(60).toMillis());
        }
        String all = printed.toString(StandardCharsets.UTF_8);
        System.out.print(all);
        String closing =
                all.lines().filter(l -> l.contains("] interrupted: ")).findFirst().orElse(all);
        assertTrue(
                closing.contains("interrupted: 240 events in, 60 forecasts out, 180 dead letters (")
                        && closing.contains("the newest checkpoint, " + state)
                        && closing.contains("resumes from it"),
                closing);
    }

    /** The sum over subtasks of {@code metric} of {@code operator}, as Prometheus reads it. */
    private static long scrape(int port, String metric, String operator) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        double sum = 0;
        for (String line : r.body().lines().toList()) {
            if (line.startsWith(metric + "{")
                    && line.contains("operator_name=\"" + operator + "\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void produce(String lines, List<String> config) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertEquals(
                    0,
                    Main.run(args(List.of("produce"), config), print(out), print(out)),
                    out.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(original);
        }
    }

    /** What {@code printed} holds once {@code done} is true of it; fails after 90 s. */
    private static String await(ByteArrayOutputStream printed, Predicate<String> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            String s = printed.toString(StandardCharsets.UTF_8);
            if (done.test(s)) {
                return s;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(
                "not printed in time:\n" + printed.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream print(ByteArrayOutputStream to) {
        return new PrintStream(to, true, StandardCharsets.UTF_8);
    }

    private static String[] args(List<String> command, List<String> config) {
        List<String> a = new ArrayList<>(command);
        a.addAll(config);
        return a.toArray(String[]::new);
    }
}

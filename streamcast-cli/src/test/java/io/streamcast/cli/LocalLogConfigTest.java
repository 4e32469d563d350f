package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's log configuration (bin/log4j2.xml) writes the Kafka committer's "producer is
 * already fenced" line of a restore's re-commit at WARN, and leaves the committer's other ERRORs,
 * which do mean lost output, at ERROR, on the console; Flink's and Kafka's other lines go to the
 * log file, without the Kafka sink's metric-name collisions, and a restart keeps the previous run's
 * file.
 */
class LocalLogConfigTest {
    static final String COMMITTER = "org.apache.flink.connector.kafka.sink.internal.KafkaCommitter";

    /**
     * Logs the connector's messages (as flink-connector-kafka 5.0.0-2.2 words them) under the
     * configuration given.
     */
    public static void main(String[] args) {
        Logger committer = LoggerFactory.getLogger(COMMITTER);
        committer.error(
                "Unable to commit transaction ({}) because its producer is already fenced. This means that you"
                        + " either have a different producer with the same '{}' ... In both cases this most likely signals"
                        + " data loss, please consult the Flink documentation for more details.",
                "request",
                "transactional.id",
                new IllegalStateException("fenced"));
        committer.error(
                "Unable to commit transaction ({}) because it's in an invalid state. Most likely the"
                        + " transaction has been aborted for some reason.",
                "request");
        committer.error(
                "Transaction ({}) encountered error and data has been potentially lost.",
                "request");
        LoggerFactory.getLogger("org.apache.flink.runtime.Other")
                .error("already fenced, elsewhere");
    }

    @Test
    void aFencedReCommitIsAWarningAndEveryOtherCommitterErrorStaysAnError() throws Exception {
        List<String> lines =
                run().stream().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d .*")).toList();
        assertEquals(3, lines.size(), lines.toString());
        // Each line: "HH:mm:ss LEVEL Logger - message".
        assertStarts(
                "WARN  KafkaCommitter - Unable to commit transaction (request) because its producer is already"
                        + " fenced",
                lines.get(0));
        assertStarts(
                "ERROR KafkaCommitter - Unable to commit transaction (request) because it's in an invalid state.",
                lines.get(1));
        assertStarts(
                "ERROR KafkaCommitter - Transaction (request) encountered error", lines.get(2));
        // Every other org.apache line goes to the log file, not the console.
        String logged = Files.readString(logFile);
        assertTrue(
                logged.contains(
                        "ERROR [main] org.apache.flink.runtime.Other - already fenced, elsewhere"),
                logged);
    }

    /** Logs one metric-name collision (as Flink words it) and one other metric warning. */
    static final class MetricWarnings {
        public static void main(String[] args) {
            Logger metrics = LoggerFactory.getLogger("org.apache.flink.metrics.MetricGroup");
            metrics.warn(
                    "Name collision: Group already contains a Metric with the name"
                            + " 'pendingCommittables'. Metric will not be reported.[, taskmanager,"
                            + " 7ecafe6f, streamcast-run, sink: Committer, 0]");
            metrics.warn("Another metric warning");
        }
    }

    @Test
    void metricNameCollisionsAreDroppedAndARestartKeepsThePreviousRunsLog() throws Exception {
        Path log = dir.resolve("streamcast-rolled.log");
        runMain(MetricWarnings.class, log);
        String first = Files.readString(log);
        assertTrue(first.contains("Another metric warning"), first);
        assertFalse(first.contains("Name collision"), first);

        runMain(MetricWarnings.class, log);
        assertEquals(first, Files.readString(dir.resolve("streamcast-rolled.log.1")));
        assertTrue(Files.readString(log).contains("Another metric warning"));
    }

    private static void assertStarts(String expected, String line) {
        assertTrue(line.substring(9).startsWith(expected), line);
    }

    @TempDir static Path dir;
    static Path logFile;

    private static List<String> run() throws IOException, InterruptedException {
        logFile = dir.resolve("streamcast-test.log");
        return runMain(LocalLogConfigTest.class, logFile);
    }

    /** Runs {@code main}'s class in a JVM under the launcher's log configuration. */
    private static List<String> runMain(Class<?> main, Path logFile)
            throws IOException, InterruptedException {
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dlog4j.configurationFile=" + Repository.path("bin/log4j2.xml"),
                                "-Dstreamcast.log.file=" + logFile,
                                "-cp",
                                cp,
                                main.getName())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }
}

package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamcast.cli.CommandLineErrorsTest.Result;
import org.junit.jupiter.api.Test;

/**
 * {@code run}, {@code backfill --from/--to}, {@code generate} and {@code topics} against an address
 * where no broker listens stop after the reachability check ({@link KafkaCheck#TIMEOUT}) with one
 * line naming the servers and the key, exit 1, instead of restarting or waiting for metadata
 * forever. An ITCase because each waits out the check's timeout.
 */
class UnreachableKafkaITCase {
    /**
     * A port nothing listens on: connections are refused at once, and the client keeps retrying.
     */
    static final String NOWHERE = "localhost:1";

    private static void assertUnreachable(Result r) {
        assertEquals(1, r.code(), r.err());
        assertEquals(
                "streamcast: cannot reach Kafka at localhost:1 (no broker answered in 10 s): check"
                        + " kafka.bootstrap-servers (and kafka.properties.* for security settings)",
                r.line());
    }

    @Test
    void runSaysItCannotReachKafka() {
        Result r = CommandLineErrorsTest.run("run", "--set", "kafka.bootstrap-servers=" + NOWHERE);
        assertUnreachable(r);
        assertEquals("", r.out(), "the job never started");
    }

    @Test
    void backfillFromTheEventsTopicSaysItCannotReachKafka() {
        assertUnreachable(
                CommandLineErrorsTest.run(
                        "backfill",
                        "--from",
                        "2026-01-01T00:00:00Z",
                        "--to",
                        "2026-01-02T00:00:00Z",
                        "--set",
                        "kafka.bootstrap-servers=" + NOWHERE));
    }

    @Test
    void topicsSaysItCannotReachKafkaInsteadOfTheClientsTimeout() {
        Result r =
                CommandLineErrorsTest.run("topics", "--set", "kafka.bootstrap-servers=" + NOWHERE);
        assertUnreachable(r);
        assertEquals("", r.out(), "no topic line was printed");
    }

    @Test
    void generateSaysItCannotReachKafkaRatherThanThatTheTopicIsMissing() {
        assertUnreachable(
                CommandLineErrorsTest.run(
                        "generate", "--set", "kafka.bootstrap-servers=" + NOWHERE));
    }

    @Test
    void dashboardSaysItCannotReachKafkaBeforeServingAPage() {
        Result r =
                CommandLineErrorsTest.run(
                        "dashboard", "--set", "kafka.bootstrap-servers=" + NOWHERE);
        assertUnreachable(r);
        assertEquals("", r.out(), "no page was served");
    }
}

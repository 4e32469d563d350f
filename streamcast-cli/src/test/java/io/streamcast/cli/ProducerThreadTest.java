package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.junit.jupiter.api.Test;

/** A failed producer fails its command with a message; a finished one does not. */
class ProducerThreadTest {
    @Test
    void aProducerThatFailedMakesTheCommandFailSayingWhy() throws Exception {
        ProducerThread producer =
                new ProducerThread(
                        "test-producer",
                        () -> {
                            throw new InvalidTimestampException(
                                    "Timestamp 1795600800000 of message is out of range");
                        });
        producer.start();
        producer.join();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(
                1,
                producer.exitCode("demo", 42, new PrintStream(err, true, StandardCharsets.UTF_8)));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(
                message.startsWith(
                                "streamcast: demo: the simulator's producer failed after 42 events sent:")
                        && message.contains("InvalidTimestampException: Timestamp 1795600800000"),
                message);
    }

    @Test
    void aProducerThatFinishedLetsTheCommandSucceed() throws Exception {
        int[] ran = {0};
        ProducerThread producer = new ProducerThread("test-producer", () -> ran[0]++);
        producer.start();
        producer.join();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(
                0,
                producer.exitCode("bench", 10, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals(1, ran[0]);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}

package io.streamcast.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link PacedProducer}'s sequencing: how many records it sends, and that the hold after the first
 * round comes after that round is sent and flushed and before anything else. (What it sends through
 * a real broker is covered by the demo's and {@code generate}'s tests.)
 */
class PacedProducerTest {
    static final int SERIES = 3;

    @Test
    void sendsTheFirstRoundFlushesAndHoldsBeforeTheRest() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(
                        true, null, new ByteArraySerializer(), new ByteArraySerializer());
        PacedProducer paced = new PacedProducer("events", 1000);
        List<String> sentBeforeHold = new ArrayList<>();
        int[] flushedBeforeHold = {-1};
        long sent =
                paced.run(
                        producer,
                        new SensorSimulator(SERIES, SensorSimulator.DEFAULT_START, 0, 7),
                        Duration.ofMillis(10),
                        r -> {},
                        () -> {
                            producer.history()
                                    .forEach(rec -> sentBeforeHold.add(new String(rec.key())));
                            flushedBeforeHold[0] = producer.flushed() ? 1 : 0;
                        });

        assertEquals(10, sent, "rate × duration readings");
        assertEquals(10, producer.history().size());
        assertEquals(
                List.of("sensor-0000", "sensor-0001", "sensor-0002"),
                sentBeforeHold,
                "exactly the first round, one reading per series, before the hold");
        assertEquals(1, flushedBeforeHold[0], "the first round is flushed before the hold");
    }

    @Test
    void aRunThatEndsWithinTheFirstRoundHasNothingToHold() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(
                        true, null, new ByteArraySerializer(), new ByteArraySerializer());
        int[] holds = {0};
        long sent =
                new PacedProducer("events", 1000)
                        .run(
                                producer,
                                new SensorSimulator(SERIES, SensorSimulator.DEFAULT_START, 0, 7),
                                Duration.ofMillis(2),
                                r -> {},
                                () -> holds[0]++);
        assertEquals(2, sent);
        assertEquals(0, holds[0]);
    }
}

package io.streamcast.simulate;

import io.streamcast.simulate.SensorSimulator.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Sends a {@link SensorSimulator}'s readings to a Kafka topic at a steady rate: one record per
 * reading, keyed by series, with the reading's time as record timestamp and {@link
 * Reading#toJson()} as value. Used by {@code demo} and {@code generate}.
 *
 * <pre>{@code
 * PacedProducer paced = new PacedProducer("sensor-events", 400);
 * try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
 *     paced.run(producer, new SensorSimulator(8, SensorSimulator.DEFAULT_START, 0.002, 7), Duration.ofSeconds(60),
 *             reading -> {});   // blocks; stop() from another thread ends it early
 * }
 * }</pre>
 *
 * <p>Implementation notes: {@code run} sends exactly {@code rate × duration} readings unless
 * stopped (the last simulator round may be cut short), so a configuration always produces the same
 * records. The n-th reading is due at {@code start + n / rate}: a producer that falls behind (a
 * blocked send, a pause) catches up without sleeping instead of drifting, so the average rate holds
 * as long as Kafka keeps up, and a run that cannot keep up takes longer than {@code duration}
 * rather than sending less.
 */
public final class PacedProducer {
    private final String topic;
    private final int eventsPerSecond;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean stopped;

    public PacedProducer(String topic, int eventsPerSecond) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("topic must be a topic name, got '" + topic + "'");
        }
        if (eventsPerSecond < 1) {
            throw new IllegalArgumentException(
                    "eventsPerSecond must be at least 1, got " + eventsPerSecond);
        }
        this.topic = topic;
        this.eventsPerSecond = eventsPerSecond;
    }

    /**
     * The number of readings {@link #run} sends for {@code duration}: {@code rate × duration}, at
     * least 1.
     */
    public long eventsFor(Duration duration) {
        return Math.max(1, eventsPerSecond * duration.toMillis() / 1000);
    }

    /**
     * Sends {@link #eventsFor(Duration) eventsFor(duration)} readings of {@code simulator} through
     * {@code producer}, paced at the rate, calling {@code beforeSend} with each reading just before
     * it is sent; returns early after {@link #stop()}. Flushes before returning, and returns the
     * number of readings sent.
     *
     * @throws KafkaException when a send failed (the run stops at the first failure)
     */
    public long run(
            Producer<byte[], byte[]> producer,
            SensorSimulator simulator,
            Duration duration,
            Consumer<Reading> beforeSend) {
        return run(producer, simulator, duration, beforeSend, () -> {});
    }

    /**
     * As {@link #run(Producer, SensorSimulator, Duration, Consumer)}, calling {@code
     * afterFirstRound} once the simulator's first round (one reading per series) is sent and
     * flushed; pacing starts when it returns, so a caller can hold the rest of the run until the
     * job downstream is up.
     */
    public long run(
            Producer<byte[], byte[]> producer,
            SensorSimulator simulator,
            Duration duration,
            Consumer<Reading> beforeSend,
            Runnable afterFirstRound) {
        long total = eventsFor(duration);
        long started = System.nanoTime();
        double nanosPerEvent = 1e9 / eventsPerSecond;
        long n = 0;
        boolean first = true;
        rounds:
        while (true) {
            for (Reading r : simulator.nextRound()) {
                if (n >= total || stopped || failure.get() != null) {
                    break rounds;
                }
                beforeSend.accept(r);
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                null,
                                r.ts(),
                                r.series().getBytes(StandardCharsets.UTF_8),
                                r.toJson()),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                n++;
                sent.set(n);
                long wait = started + (long) (n * nanosPerEvent) - System.nanoTime();
                if (wait > 0 && !first) {
                    sleepNanos(wait);
                }
            }
            if (first) {
                first = false;
                producer.flush();
                afterFirstRound.run();
                started = System.nanoTime() - (long) (n * nanosPerEvent);
            }
        }
        producer.flush();
        Exception e = failure.get();
        if (e != null) {
            throw e instanceof KafkaException k
                    ? k
                    : new KafkaException("sending to " + topic + " failed", e);
        }
        return n;
    }

    /** Readings handed to the producer so far; safe to read from any thread. */
    public long sent() {
        return sent.get();
    }

    /**
     * Makes a running {@link #run} return after its current reading; safe to call from any thread.
     */
    public void stop() {
        stopped = true;
    }

    private void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }
}

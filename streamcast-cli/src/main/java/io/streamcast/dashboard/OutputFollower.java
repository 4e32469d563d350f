package io.streamcast.dashboard;

import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.KafkaIo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the job's output topics from their start with {@code isolation.level=read_committed} (so
 * only committed, exactly-once output shows) on its own thread and feeds a {@link LiveStore}. It
 * joins no consumer group and commits nothing: partitions are assigned directly, and topics or
 * partitions created later are picked up within seconds.
 */
final class OutputFollower implements AutoCloseable {
    private static final Duration REFRESH = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;

    /** topic -> the stream written to it. */
    private final Map<String, Stream> streams;

    private final LiveStore store;
    private final Thread thread;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private volatile boolean running = true;
    private boolean started;

    /** {@code client}: bootstrap servers and security settings of the Kafka to read. */
    OutputFollower(Properties client, Map<String, Stream> streams, LiveStore store) {
        Properties p = KafkaIo.committedConsumerProperties(client);
        p.put("auto.offset.reset", "earliest");
        p.putIfAbsent("client.id", "streamcast-dashboard");
        p.remove("group.id");
        this.consumer = new KafkaConsumer<>(p);
        this.streams = Map.copyOf(streams);
        this.store = store;
        this.thread = new Thread(this::run, "streamcast-dashboard-reader");
        // Never what keeps a JVM alive: close() stops it, and an abrupt exit may drop it.
        this.thread.setDaemon(true);
    }

    void start() {
        started = true;
        thread.start();
    }

    private void run() {
        long nextRefresh = 0;
        try {
            while (running) {
                try {
                    if (System.nanoTime() - nextRefresh >= 0) {
                        refreshAssignment();
                        nextRefresh = System.nanoTime() + REFRESH.toNanos();
                    }
                    if (assigned.isEmpty()) {
                        Thread.sleep(200);
                        continue;
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        store.accept(streams.get(r.topic()), r.value());
                    }
                } catch (WakeupException | InterruptedException e) {
                    break;
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    store.error("cannot read the output topics: " + e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException stop) {
                        break;
                    }
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * Assigns partitions not yet assigned (new topics or partitions), reading each from its start.
     */
    private void refreshAssignment() {
        List<TopicPartition> fresh = new ArrayList<>();
        for (String topic : streams.keySet()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2));
            if (partitions == null) {
                continue;
            }
            for (PartitionInfo p : partitions) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                if (!assigned.contains(tp)) {
                    fresh.add(tp);
                }
            }
        }
        if (!fresh.isEmpty()) {
            assigned.addAll(fresh);
            consumer.assign(new ArrayList<>(assigned));
            consumer.seekToBeginning(fresh);
        }
    }

    /** Stops reading and waits for the reader thread to end. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        if (!started) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        thread.join(Duration.ofSeconds(10).toMillis());
    }
}

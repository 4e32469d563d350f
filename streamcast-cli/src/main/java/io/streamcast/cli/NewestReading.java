package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig.KafkaConfig;
import io.streamcast.io.KafkaIo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The newest record timestamp on a topic: the last record of each partition, read without a
 * consumer group. {@code generate} starts its simulated clock after it, so that a second run does
 * not produce readings older than the first run's (which the job would dead-letter as late).
 */
final class NewestReading {
    private static final int TAIL = 16;

    private NewestReading() {}

    static OptionalLong of(KafkaConfig kafka, String topic) {
        Properties p = KafkaIo.committedConsumerProperties(KafkaIo.clientProperties(kafka));
        // kafka.properties.* may name producer interceptors (for the job's and generate's
        // producers), which a consumer cannot load.
        p.remove(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long newest = Long.MIN_VALUE;
            int pending = 0;
            for (TopicPartition tp : partitions) {
                long end = ends.get(tp);
                if (end > 0) {
                    // A few records back, not one: the last offsets may be transaction markers.
                    consumer.seek(tp, Math.max(0, end - TAIL));
                    pending++;
                } else {
                    consumer.pause(List.of(tp));
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (pending > 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    newest = Math.max(newest, r.timestamp());
                }
                pending = 0;
                for (TopicPartition tp : consumer.assignment()) {
                    if (!consumer.paused().contains(tp) && consumer.position(tp) < ends.get(tp)) {
                        pending++;
                    }
                }
            }
            return newest == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(newest);
        }
    }
}

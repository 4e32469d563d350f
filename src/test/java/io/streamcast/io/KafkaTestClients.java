package io.streamcast.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Producing test input and reading committed output from a real (embedded) broker. */
public final class KafkaTestClients {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaTestClients() {}

    /** A raw record to produce: key (may be null), JSON text, and the Kafka record timestamp. */
    public record Input(String key, String value, long timestamp) {}

    public static void produce(String servers, String topic, List<Input> records) {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", "5");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (Input r : records) {
                producer.send(new ProducerRecord<>(topic, null, r.timestamp(),
                        r.key() == null ? null : r.key().getBytes(), r.value().getBytes()));
            }
            producer.flush();
        }
    }

    /** Reads {@code topic} from the start with read_committed until {@code expected} records or the timeout. */
    public static List<JsonNode> readCommitted(String servers, String topic, int expected, Duration timeout)
            throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readRecords(servers, topic, expected, timeout)) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    /**
     * The records of {@code topic} (keys, timestamps, headers and all), read from the start with read_committed
     * until {@code expected} records or the timeout, plus any that arrive in the second after.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readRecords(String servers, String topic, int expected,
            Duration timeout) {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers);
        p.put("group.id", "test-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // Anything beyond the expected count would be a duplicate: give it a moment to show up.
            for (int i = 0; i < 5; i++) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}

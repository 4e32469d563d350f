package io.streamcast.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.local.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Producing test input and reading committed output from a real (embedded) broker. */
public final class KafkaTestClients {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaTestClients() {}

    /**
     * A job configuration on {@code servers} whose job name, consumer group and topics derive from
     * {@code prefix} ({@code prefix-events}, {@code prefix-forecasts}, {@code -scores}, {@code
     * -alerts}, {@code -models}, {@code -dead}), plus {@code settings}: each ITCase gets its own
     * topics on a shared broker.
     */
    public static StreamcastConfig jobConfig(
            String servers, String prefix, Map<String, String> settings) {
        Map<String, String> flat = new HashMap<>(settings);
        flat.put("kafka.bootstrap-servers", servers);
        flat.put("kafka.group-id", prefix);
        flat.put("job.name", prefix);
        flat.put("kafka.topics.events", prefix + "-events");
        for (String stream : List.of("forecasts", "scores", "alerts", "models")) {
            flat.put("kafka.topics." + stream, prefix + "-" + stream);
        }
        flat.put("kafka.topics.dead-letters", prefix + "-dead");
        return ConfigLoader.fromFlat(flat);
    }

    /**
     * Creates the topics of {@link #jobConfig}: events with {@code eventPartitions}, outputs with
     * two partitions.
     */
    public static void createTopics(EmbeddedKafka kafka, String prefix, int eventPartitions)
            throws Exception {
        kafka.createTopics(eventPartitions, prefix + "-events");
        kafka.createTopics(
                2,
                prefix + "-forecasts",
                prefix + "-scores",
                prefix + "-alerts",
                prefix + "-models",
                prefix + "-dead");
    }

    /** A raw record to produce: key (may be null), JSON text, and the Kafka record timestamp. */
    public record Input(String key, String value, long timestamp) {}

    public static void produce(String servers, String topic, List<Input> records) {
        Properties p = KafkaIo.producerProperties(servers);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (Input r : records) {
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                null,
                                r.timestamp(),
                                r.key() == null ? null : r.key().getBytes(),
                                r.value().getBytes()));
            }
            producer.flush();
        }
    }

    /**
     * Reads {@code topic} from the start with read_committed until {@code expected} records or the
     * timeout.
     */
    public static List<JsonNode> readCommitted(
            String servers, String topic, int expected, Duration timeout) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readRecords(servers, topic, expected, timeout)) {
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    /**
     * The records of {@code topic} (keys, timestamps, headers and all), read from the start with
     * read_committed until {@code expected} records or the timeout, plus any that arrive in the
     * second after.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readRecords(
            String servers, String topic, int expected, Duration timeout) {
        Properties p = KafkaIo.committedReaderProperties(servers, "test");
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

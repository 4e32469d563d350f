package io.streamcast.local;

import io.streamcast.io.KafkaIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM, for
 * the demo and the tests, listening on loopback only. Not for production: data lives in a temporary
 * directory deleted on close.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
 *     kafka.createTopics(2, "sensor-events");
 *     String servers = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedKafka start() throws Exception {
        Path dir = Files.createTempDirectory("streamcast-kafka");
        KafkaClusterTestKit cluster =
                LoopbackSockets.install(
                                new KafkaClusterTestKit.Builder(
                                        new TestKitNodes.Builder()
                                                .setCombined(true)
                                                .setNumBrokerNodes(1)
                                                .setNumControllerNodes(1)
                                                .setBaseDirectory(dir)
                                                .build()))
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        // One partition each for the broker's internal topics instead of 50 and
                        // 50: a single node gains nothing from more, and creating them is what a
                        // job's first transactions and consumer groups wait for.
                        .setConfigProp("transaction.state.log.num.partitions", "1")
                        .setConfigProp("offsets.topic.num.partitions", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        // Never fsync from the produce path (Kafka's own default; the page
                        // cache writes back): with a message count, producers wait on fsyncs.
                        .setConfigProp(
                                "log.flush.interval.messages", String.valueOf(Long.MAX_VALUE))
                        // Records carry event time, and replays and tests use old timestamps:
                        // time retention would delete them at the broker's first check.
                        .setConfigProp("log.retention.ms", "-1")
                        // log.message.timestamp.* stay at Kafka's defaults (records over an hour
                        // ahead of the broker's clock are refused): the demo, bench and tests meet
                        // the rule a production broker enforces.
                        .setDeleteOnClose(true)
                        .build();
        // Kafka's storage formatter prints the bootstrap metadata and "Formatting metadata
        // directory ..." to standard output (from the test kit's own threads), which is the
        // user's console here: those two lines go to the log instead.
        StdoutDiversion.run(
                line -> line.startsWith("Bootstrap metadata:") || line.startsWith("Formatting "),
                line -> LOG.debug("Kafka storage: {}", line),
                cluster::format);
        cluster.startup();
        cluster.waitForReadyBrokers();
        EmbeddedKafka kafka = new EmbeddedKafka(cluster);
        kafka.startTransactionCoordinator();
        return kafka;
    }

    /**
     * Creates the transaction log and elects its coordinator now, by starting one transactional
     * producer, rather than when an exactly-once job's sinks first ask: otherwise its first
     * readings wait seconds for their forecasts to commit.
     */
    private void startTransactionCoordinator() {
        Properties p = KafkaIo.producerProperties(bootstrapServers());
        p.put("transactional.id", "streamcast-embedded-kafka-start");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * Creates topics that do not exist yet, with {@code partitions} each (replication factor 1).
     */
    public void createTopics(int partitions, String... names) throws Exception {
        try (Admin admin = Admin.create(adminProperties())) {
            var existing = admin.listTopics().names().get();
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                if (!existing.contains(name)) {
                    topics.add(new NewTopic(name, partitions, (short) 1));
                }
            }
            admin.createTopics(topics).all().get();
        }
    }

    /** Creates a compacted topic (the models topic keeps only the newest version per key). */
    public void createCompactedTopic(String name) throws Exception {
        try (Admin admin = Admin.create(adminProperties())) {
            if (!admin.listTopics().names().get().contains(name)) {
                admin.createTopics(
                                List.of(
                                        new NewTopic(name, 1, (short) 1)
                                                .configs(Map.of("cleanup.policy", "compact"))))
                        .all()
                        .get();
            }
        }
    }

    private Properties adminProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}

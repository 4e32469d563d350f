package io.streamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.config.StreamcastConfig.KafkaConfig;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.UserError;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tail}: prints the records of the job's topics as they are committed ({@code
 * isolation.level=read_committed}, so exactly-once output shows once), readable ({@link
 * OutputLines}) or as the JSON on the topic, until Ctrl-C or {@code --max} records. It joins no
 * consumer group and commits nothing: partitions are assigned directly, read from their end (new
 * records) or their start.
 */
@Command(
        name = "tail",
        header = "prints output topics as the job commits them (read_committed)",
        description = {
            "Prints the records of the named streams (topics from kafka.topics.*) as the job commits"
                    + " them (read_committed), one line each, until Ctrl-C: readable, or with --raw"
                    + " the JSON as it is on the topic. Status lines go to standard error, so"
                    + " --raw output can be piped."
        })
final class TailCommand extends Subcommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(
            paramLabel = "STREAM",
            arity = "1..*",
            description =
                    "forecasts, scores, alerts, models, dead-letters or events (or a topic name"
                            + " configured for one)")
    List<String> streams = new ArrayList<>();

    @Option(
            names = "--from-beginning",
            description = "print what the topics hold first, then new records")
    boolean fromBeginning;

    @Option(
            names = "--series",
            paramLabel = "ID",
            split = ",",
            description =
                    "only these series (repeatable or comma-separated); model versions and dead"
                            + " letters have no series and are all shown")
    List<String> series = new ArrayList<>();

    @Option(names = "--raw", description = "print each record's JSON as it is on the topic")
    boolean raw;

    @Option(
            names = "--max",
            paramLabel = "N",
            converter = OptionTypes.AtLeast1.class,
            description = "stop after N records printed")
    Integer max;

    /** Where status lines go; standard error, so that --raw output stays JSON. */
    PrintStream err = System.err;

    @Override
    protected int run() throws Exception {
        StreamcastConfig config = common.config();
        KafkaConfig kafka = config.kafka();
        Map<String, String> topics = topics(kafka, streams);
        KafkaCheck.reachable(kafka);
        KafkaCheck.topicsExist(kafka, topics.keySet());

        Properties p = KafkaIo.committedConsumerProperties(KafkaIo.clientProperties(kafka));
        // kafka.properties.* may name producer interceptors, which a consumer cannot load.
        p.remove(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
        p.putIfAbsent("client.id", "streamcast-tail");
        p.remove("group.id");
        CountDownLatch finished = new CountDownLatch(1);
        long[] printed = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics.keySet()) {
                consumer.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // Resolved now: "new records" means those committed after this line.
            partitions.forEach(consumer::position);
            err.printf(
                    "Following %s on %s (read_committed%s%s); Ctrl-C stops%n",
                    describe(topics),
                    kafka.bootstrapServers(),
                    fromBeginning ? ", from the beginning" : ", new records",
                    series.isEmpty() ? "" : ", series " + String.join(", ", series));
            Thread onShutdown =
                    new Thread(
                            () -> {
                                consumer.wakeup();
                                try {
                                    finished.await(10, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            },
                            "tail-shutdown");
            Runtime.getRuntime().addShutdownHook(onShutdown);
            try {
                follow:
                while (true) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        String stream = topics.get(r.topic());
                        if (!selected(stream, r)) {
                            continue;
                        }
                        String line =
                                raw
                                        ? new String(
                                                r.value() == null ? new byte[0] : r.value(),
                                                StandardCharsets.UTF_8)
                                        : OutputLines.format(stream, r.value());
                        out.println(topics.size() > 1 ? stream + "  " + line : line);
                        if (max != null && ++printed[0] >= max) {
                            break follow;
                        }
                    }
                }
            } catch (WakeupException stopped) {
                // Ctrl-C
            } finally {
                out.flush();
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(onShutdown);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running.
                }
            }
        }
        return 0;
    }

    /**
     * topic -> stream for the names given (stream names, or the topic configured for one), in the
     * order given; fails naming the streams there are.
     */
    static Map<String, String> topics(KafkaConfig kafka, List<String> names) {
        Map<String, String> byStream = new LinkedHashMap<>();
        for (Stream s : Stream.values()) {
            byStream.put(s.displayName(), kafka.topic(s));
        }
        byStream.put("events", kafka.eventsTopic());
        Map<String, String> topics = new LinkedHashMap<>();
        for (String name : names) {
            String stream =
                    byStream.containsKey(name)
                            ? name
                            : byStream.entrySet().stream()
                                    .filter(e -> e.getValue().equals(name))
                                    .map(Map.Entry::getKey)
                                    .findFirst()
                                    .orElseThrow(
                                            () ->
                                                    new UserError(
                                                            "tail: '"
                                                                    + name
                                                                    + "' is no stream; the streams"
                                                                    + " are "
                                                                    + String.join(
                                                                            ", ", byStream.keySet())
                                                                    + " (or their topics, from"
                                                                    + " kafka.topics.*)"));
            topics.put(byStream.get(stream), stream);
        }
        return topics;
    }

    private boolean selected(String stream, ConsumerRecord<byte[], byte[]> r) {
        boolean hasSeries =
                Stream.of(stream)
                        .map(s -> s != Stream.MODELS && s != Stream.DEAD_LETTERS)
                        .orElse(true);
        if (series.isEmpty() || !hasSeries) {
            return true;
        }
        if (r.key() != null && series.contains(new String(r.key(), StandardCharsets.UTF_8))) {
            return true;
        }
        try {
            JsonNode node = JSON.readTree(r.value());
            return node != null && series.contains(node.path("series").asText(null));
        } catch (java.io.IOException | RuntimeException unreadable) {
            return false;
        }
    }

    private static String describe(Map<String, String> topics) {
        List<String> parts = new ArrayList<>();
        topics.forEach(
                (topic, stream) ->
                        parts.add(
                                topic.equals(stream) ? topic : stream + " (topic " + topic + ")"));
        return String.join(", ", parts);
    }
}

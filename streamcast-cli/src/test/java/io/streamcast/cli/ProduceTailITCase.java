package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.local.KafkaExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code produce} and {@code tail} against an in-process broker, through {@link Main} as a user
 * runs them: what lands on the events topic (JSON lines byte for byte, CSV rows as events, keyed by
 * series), what the job will reject counted, and {@code tail} printing committed records only,
 * readable or raw, filtered by series, from the beginning or from now.
 */
class ProduceTailITCase {
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 =
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(2));

    @TempDir Path dir;

    private static List<String> config() {
        return List.of("--set", "kafka.bootstrap-servers=" + KAFKA.bootstrapServers());
    }

    @BeforeAll
    static void topics() throws Exception {
        Printed topics = main(null, "topics");
        assertEquals(0, topics.code, topics.text);
    }

    @Test
    void producesFilesAndStandardInputAsTheJobParsesThem() throws Exception {
        Path jsonl = dir.resolve("pump-9.jsonl");
        String withSeries = "{\"series\":\"pump-1\",\"ts\":\"" + T0 + "\",\"value\":40.5}";
        String withoutSeries = "{\"ts\":" + T0.toEpochMilli() + ",\"value\":7}";
        String broken = "{\"series\":\"pump-1\",\"ts\":\"" + T0.plusSeconds(60) + "\"}";
        Files.writeString(jsonl, withSeries + "\n\n" + withoutSeries + "\n" + broken + "\n");
        Path csv = dir.resolve("pump-2.csv");
        Files.writeString(
                csv,
                "timestamp,value\n"
                        + T0
                        + ",1.5\n"
                        + T0.plusSeconds(60)
                        + ",n/a\n"
                        + T0.plusSeconds(120)
                        + ",2.25\n");
        Printed files = main(null, "produce", jsonl.toString(), csv.toString());
        assertEquals(0, files.code, files.text);
        assertTrue(files.text.contains("Sent 5 readings of 3 series to sensor-events"), files.text);
        assertTrue(
                files.text.contains("the job will dead-letter 1 of them: MISSING_FIELD 1 (first: ")
                        && files.text.contains("pump-9.jsonl line 4"),
                files.text);
        assertTrue(
                files.text.contains("not sent: 1 CSV rows that are no reading: INVALID_VALUE 1")
                        && files.text.contains("pump-2.csv line 3"),
                files.text);

        String stdinCsv = "date,value\n" + T0.plusSeconds(180) + ",3\n";
        Printed noSeries = main(stdinCsv, "produce");
        assertEquals(2, noSeries.code, noSeries.text);
        assertTrue(noSeries.text.contains("--series ID"), noSeries.text);
        Printed piped = main(stdinCsv, "produce", "--series", "pump-3");
        assertEquals(0, piped.code, piped.text);
        assertTrue(piped.text.contains("Sent 1 readings of 1 series"), piped.text);
        String stdinJson = "{\"series\":\"pump-4\",\"ts\":\"" + T0 + "\",\"value\":1e3}\n";
        Printed pipedJson = main(stdinJson, "produce", "-", "--rate", "1000");
        assertEquals(0, pipedJson.code, pipedJson.text);

        // One series' records are in one partition, in the order sent.
        Map<String, List<String>> bySeries = new TreeMap<>();
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<String, String> r : readAll("sensor-events", 7)) {
            bySeries.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
            values.add(r.value());
        }
        assertEquals(Set.of("pump-1", "pump-2", "pump-3", "pump-4", "pump-9"), bySeries.keySet());
        // JSON lines byte for byte, the broken one too (the job dead-letters it); CSV rows as
        // events.
        assertEquals(List.of(withSeries), bySeries.get("pump-1"));
        assertEquals(List.of(withoutSeries, broken), bySeries.get("pump-9"));
        List<String> pump2 = bySeries.get("pump-2");
        assertEquals(
                JSON.readTree("{\"series\":\"pump-2\",\"ts\":\"" + T0 + "\",\"value\":1.5}"),
                JSON.readTree(pump2.get(0)));
        assertEquals(2.25, JSON.readTree(pump2.get(1)).get("value").asDouble());
        assertEquals("pump-3", JSON.readTree(bySeries.get("pump-3").get(0)).get("series").asText());
        assertEquals(List.of(stdinJson.trim()), bySeries.get("pump-4"));

        // tail, raw and from the beginning: exactly what is on the topic.
        Printed raw = main(null, "tail", "events", "--from-beginning", "--raw", "--max", "7");
        assertEquals(0, raw.code, raw.text);
        assertEquals(sorted(values), sorted(raw.text.lines().toList()));
        // Readable, one series.
        Printed readable =
                main(
                        null,
                        "tail",
                        "sensor-events",
                        "--from-beginning",
                        "--series",
                        "pump-2",
                        "--max",
                        "2");
        assertEquals(
                List.of(T0 + "  pump-2  value 1.5", T0.plusSeconds(120) + "  pump-2  value 2.25"),
                readable.text.lines().toList());
    }

    @Test
    void tailShowsCommittedOutputOnlyAndNewRecordsByDefault() throws Exception {
        String aborted = forecast("pump-1", 1.0);
        String committed = forecast("pump-1", 2.0);
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        p.put("transactional.id", "tail-test");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("forecasts", 0, "pump-1", aborted)).get();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("forecasts", 0, "pump-1", committed)).get();
            producer.commitTransaction();
        }
        Printed once = main(null, "tail", "forecasts", "--from-beginning", "--max", "1");
        assertEquals(0, once.code, once.text);
        assertEquals(
                List.of(
                        T0
                                + "  pump-1  forecast for "
                                + T0.plusSeconds(60)
                                + ": 2 [1, 3] network, model v3"),
                once.text.lines().toList());

        // Without --from-beginning, only what arrives after the start.
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        AtomicInteger code = new AtomicInteger(-1);
        ByteArrayOutputStream followed = new ByteArrayOutputStream();
        Thread tail =
                new Thread(
                        () ->
                                code.set(
                                        Main.run(
                                                args("tail", "forecasts", "alerts", "--max", "1"),
                                                new PrintStream(
                                                        followed, true, StandardCharsets.UTF_8),
                                                System.err)));
        try {
            tail.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!errors.toString(StandardCharsets.UTF_8).contains("Ctrl-C stops")
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            System.setErr(originalErr);
        }
        String status = errors.toString(StandardCharsets.UTF_8);
        assertTrue(
                status.contains("Following forecasts, alerts on ")
                        && status.contains("(read_committed, new records)"),
                status);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("forecasts", 1, "pump-7", forecast("pump-7", 5)))
                    .get();
            producer.commitTransaction();
        }
        tail.join(Duration.ofSeconds(60).toMillis());
        assertEquals(0, code.get());
        String line = followed.toString(StandardCharsets.UTF_8).trim();
        assertTrue(line.startsWith("forecasts  " + T0 + "  pump-7  forecast for "), line);
    }

    @Test
    void namesWhatIsMissing() throws Exception {
        Printed unknown = main(null, "tail", "forecast");
        assertEquals(2, unknown.code, unknown.text);
        assertTrue(
                unknown.text.contains(
                        "'forecast' is no stream; the streams are forecasts, scores, alerts,"
                                + " models, dead-letters, events"),
                unknown.text);
        Printed missing =
                main(null, "tail", "forecasts", "--set", "kafka.topics.forecasts=nowhere");
        assertEquals(1, missing.code, missing.text);
        assertTrue(
                missing.text.contains("topic nowhere does not exist on ")
                        && missing.text.contains("streamcast topics"),
                missing.text);
        Path newestFirst = dir.resolve("desc.csv");
        Files.writeString(
                newestFirst,
                "timestamp,value\n"
                        + T0.plusSeconds(120)
                        + ",1\n"
                        + T0.plusSeconds(60)
                        + ",1\n"
                        + T0
                        + ",1\n");
        Printed refused = main(null, "produce", newestFirst.toString());
        assertEquals(2, refused.code, refused.text);
        assertTrue(refused.text.contains("newest first"), refused.text);
    }

    private static String forecast(String series, double mean) {
        return "{\"series\":\""
                + series
                + "\",\"ts\":\""
                + T0
                + "\",\"model\":{\"version\":3,\"cell\":\"lstm\"},\"coldStart\":false,"
                + "\"forecast\":[{\"step\":1,\"ts\":\""
                + T0.plusSeconds(60)
                + "\",\"mean\":"
                + mean
                + ",\"lower\":"
                + (mean - 1)
                + ",\"upper\":"
                + (mean + 1)
                + ",\"source\":\"network\",\"network\":"
                + mean
                + "}]}";
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic, int count) {
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.bootstrapServers());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(i -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().sorted().toList();
    }

    private record Printed(int code, String text) {}

    /** Runs a command line as a user would, {@code stdin} (if not null) on standard input. */
    private static Printed main(String stdin, String... command) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        InputStream originalIn = System.in;
        if (stdin != null) {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        }
        int code;
        try {
            code = Main.run(args(command), print, print);
        } finally {
            System.setIn(originalIn);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        return new Printed(code, text);
    }

    private static String[] args(String... command) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(config());
        return a.toArray(String[]::new);
    }
}

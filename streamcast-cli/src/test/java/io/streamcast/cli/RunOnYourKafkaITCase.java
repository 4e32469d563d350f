package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.Repository;
import io.streamcast.local.EmbeddedKafka;
import io.streamcast.local.KafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Run it on your Kafka", followed step by step against an in-process broker: the
 * starter streamcast.yaml, {@code topics}, readings from {@code generate} and from the README's own
 * {@code awk} line piped into {@code produce}, {@code run}, and the outputs read with {@code
 * isolation.level=read_committed} and with the README's {@code tail}. Only the broker address is
 * set on the command line, as the README says.
 */
class RunOnYourKafkaITCase {
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GENERATED = 300;

    @TempDir Path state;

    @Test
    void theReadmeStepsWorkAsWritten() throws Exception {
        String readme = section(Files.readString(Repository.path("README.md")));
        for (String step :
                List.of(
                        "./bin/streamcast topics --config streamcast.yaml",
                        "./bin/streamcast generate --config streamcast.yaml",
                        "./bin/streamcast run --config streamcast.yaml",
                        "| ./bin/streamcast produce --config streamcast.yaml",
                        "./bin/streamcast tail forecasts --config streamcast.yaml --from-beginning",
                        "isolation.level=read_committed")) {
            assertTrue(readme.contains(step), "the README section shows " + step);
        }
        List<String> ownReadings = awkReadings(readme);
        assertEquals(100, ownReadings.size(), String.join("\n", ownReadings));

        EmbeddedKafka kafka = KAFKA.broker();
        List<String> config =
                List.of(
                        "--config",
                        Repository.path("streamcast.yaml").toString(),
                        "--set",
                        "kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--set",
                        "job.state-dir=" + state);

        // 1. topics: created as described, and a second call changes nothing and succeeds.
        Printed topics = main("topics", config);
        assertEquals(0, topics.code, topics.text);
        assertTrue(topics.text.contains("created"), topics.text);
        checkTopics(kafka.bootstrapServers());
        Printed again = main("topics", config);
        assertEquals(0, again.code, again.text);
        assertTrue(again.text.contains("exists") && !again.text.contains("created"), again.text);
        // A models topic someone created without compaction is reported with the fix, and fails
        // the command.
        Properties admin = new Properties();
        admin.put("bootstrap.servers", kafka.bootstrapServers());
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic("models-plain", 1, (short) 1))).all().get();
        }
        List<String> plain = new ArrayList<>(config);
        plain.addAll(List.of("--set", "kafka.topics.models=models-plain"));
        Printed notCompacted = main("topics", plain);
        assertEquals(1, notCompacted.code, notCompacted.text);
        assertTrue(
                notCompacted.text.contains("NOT COMPACTED")
                        && notCompacted.text.contains(
                                "--entity-name models-plain --add-config cleanup.policy=compact"),
                notCompacted.text);

        // 2. run, in the background until every reading has its committed forecast, then
        // stopped as Ctrl-C would.
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread run =
                new Thread(
                        () -> {
                            try {
                                Main.run(args("run", config)); // returns when the test stops the
                                // job; errors are printed
                            } catch (Throwable t) {
                                if (!(t.getCause() instanceof InterruptedException)) {
                                    failed.set(t);
                                }
                            }
                        },
                        "streamcast-run");
        run.setDaemon(true);
        run.start();
        Map<String, List<JsonNode>> outputs;
        int readings = GENERATED + ownReadings.size();
        try {
            // 3. readings: the simulator, and the README's awk output as a console producer
            // sends it (no key).
            List<String> generate = new ArrayList<>(config);
            generate.addAll(
                    List.of(
                            "--set",
                            "simulator.duration=3s",
                            "--set",
                            "simulator.rate=" + GENERATED / 3));
            Printed generated = main("generate", generate);
            assertEquals(0, generated.code, generated.text);
            Printed produced =
                    withStandardInput(
                            String.join("\n", ownReadings) + "\n",
                            () ->
                                    main(
                                            readmeCommand(readme, "| ./bin/streamcast produce"),
                                            config));
            assertEquals(0, produced.code, produced.text);
            assertTrue(
                    produced.text.contains("Sent 100 readings of 1 series to sensor-events"),
                    produced.text);
            // 4. the outputs, read_committed.
            outputs =
                    readCommitted(
                            kafka.bootstrapServers(), readings, Duration.ofSeconds(90), failed);
            if (outputs.get("forecasts").size() >= readings) {
                // The README's tail, stopped once it has printed every committed forecast.
                List<String> tail = new ArrayList<>(config);
                tail.addAll(List.of("--max", String.valueOf(readings)));
                Printed tailed =
                        main(readmeCommand(readme, "./bin/streamcast tail forecasts"), tail);
                assertEquals(0, tailed.code, tailed.text);
                List<String> lines = tailed.text.lines().toList();
                assertEquals(readings, lines.size(), tailed.text);
                assertTrue(
                        lines.stream().anyMatch(l -> l.contains("  pump-1  forecast for ")),
                        tailed.text);
            }
        } finally {
            run.interrupt();
            run.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(null, failed.get(), "run failed");

        List<JsonNode> forecasts = outputs.get("forecasts");
        assertEquals(readings, forecasts.size(), "one committed forecast per reading");
        Set<String> series = new HashSet<>();
        forecasts.forEach(f -> series.add(f.get("series").asText()));
        assertTrue(series.contains("pump-1"), series.toString());
        assertEquals(9, series.size(), "8 simulated sensors and pump-1: " + series);
        JsonNode pump =
                forecasts.stream()
                        .filter(f -> f.get("series").asText().equals("pump-1"))
                        .reduce((a, b) -> b)
                        .orElseThrow();
        assertTrue(pump.get("forecast").get(0).get("mean").isNumber(), pump.toString());
        // Each series' first reading has no forecast made for it, so nothing to score.
        assertEquals(readings - series.size(), outputs.get("scores").size());
    }

    /** The README's section "Run it on your Kafka", up to the next heading of the same level. */
    private static String section(String readme) {
        int start = readme.indexOf("## Run it on your Kafka");
        assertTrue(start >= 0, "README.md has a section 'Run it on your Kafka'");
        int end = readme.indexOf("\n## ", start + 3);
        return end < 0 ? readme.substring(start) : readme.substring(start, end);
    }

    /**
     * Runs the section's awk line (without the pipe into produce) in bash: what it would produce.
     */
    private static List<String> awkReadings(String section)
            throws IOException, InterruptedException {
        String awk =
                section.lines()
                        .filter(l -> l.startsWith("awk "))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no awk line in the README section"));
        awk = awk.endsWith("\\") ? awk.substring(0, awk.length() - 1) : awk;
        Process p =
                new ProcessBuilder("bash", "-c", awk)
                        .directory(Repository.root().toFile())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static void checkTopics(String servers) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers);
        try (Admin admin = Admin.create(p)) {
            List<String> names =
                    List.of(
                            "sensor-events",
                            "forecasts",
                            "scores",
                            "alerts",
                            "models",
                            "dead-letters");
            // A topic is known to the broker a moment after the controller created it.
            Map<String, TopicDescription> described = null;
            for (int attempt = 0; described == null; attempt++) {
                try {
                    described = admin.describeTopics(names).allTopicNames().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                            || attempt >= 60) {
                        throw e;
                    }
                    Thread.sleep(250);
                }
            }
            for (String name : names) {
                // The starter file's job.parallelism is 2; the models topic has one key.
                assertEquals(
                        name.equals("models") ? 1 : 2,
                        described.get(name).partitions().size(),
                        name);
            }
            for (String name : names) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, name);
                var config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
                assertEquals(
                        name.equals("models") ? "compact" : "delete",
                        config.get("cleanup.policy").value(),
                        name);
                assertEquals(
                        name.equals("sensor-events") ? "CreateTime" : "LogAppendTime",
                        config.get("message.timestamp.type").value(),
                        name);
            }
        }
    }

    /**
     * Reads the output topics as the README says (read_committed, from the beginning) until enough
     * forecasts.
     */
    private static Map<String, List<JsonNode>> readCommitted(
            String servers, int forecasts, Duration timeout, AtomicReference<Throwable> failed)
            throws IOException {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers);
        p.put("group.id", "readme-reader");
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        Map<String, List<JsonNode>> out = new HashMap<>();
        for (String t : List.of("forecasts", "scores", "alerts")) {
            out.put(t, new ArrayList<>());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.copyOf(out.keySet()));
            while (out.get("forecasts").size() < forecasts
                    && System.nanoTime() < deadline
                    && failed.get() == null) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    out.get(r.topic()).add(JSON.readTree(r.value()));
                }
            }
            // Scores are committed in the same transactions as the forecasts; their partitions may
            // be fetched later.
            long settle = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < settle) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    out.get(r.topic()).add(JSON.readTree(r.value()));
                }
            }
        }
        return out;
    }

    private record Printed(int code, String text) {}

    private static Printed main(String command, List<String> config) throws Exception {
        return main(List.of(command), config);
    }

    /**
     * The words of the README line that starts with {@code start} (after the launcher), the starter
     * file's name replaced by its path in this checkout.
     */
    private static List<String> readmeCommand(String section, String start) {
        String line =
                section.lines()
                        .map(String::trim)
                        .filter(l -> l.startsWith(start))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no README line " + start));
        List<String> words = new ArrayList<>(List.of(line.split(" +")));
        while (!words.get(0).equals("./bin/streamcast")) {
            words.remove(0);
        }
        words.remove(0);
        int config = words.indexOf("--config");
        assertEquals("streamcast.yaml", words.get(config + 1), line);
        // The test's own --config (the same file) follows.
        words.subList(config, config + 2).clear();
        return words;
    }

    private interface Step {
        Printed run() throws Exception;
    }

    private static Printed withStandardInput(String input, Step step) throws Exception {
        java.io.InputStream original = System.in;
        System.setIn(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return step.run();
        } finally {
            System.setIn(original);
        }
    }

    private static Printed main(List<String> command, List<String> config) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            code = Main.run(args(command, config));
        } finally {
            System.setOut(original);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        return new Printed(code, text);
    }

    private static String[] args(String command, List<String> config) {
        return args(List.of(command), config);
    }

    private static String[] args(List<String> command, List<String> config) {
        List<String> a = new ArrayList<>(command);
        a.addAll(config);
        return a.toArray(String[]::new);
    }
}

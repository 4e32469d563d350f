package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.FileOutputSink;
import io.streamcast.io.HistoryFiles;
import io.streamcast.io.KafkaTestClients;
import io.streamcast.io.KafkaTestClients.Input;
import io.streamcast.local.KafkaExtension;
import io.streamcast.local.LocalCluster;
import io.streamcast.pipeline.KafkaReplay;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scores NAB is judged on are the live job's: two small NAB files through the streaming job
 * (in-process Kafka, MiniCluster) and through {@code evaluate --nab}'s replay give the same score
 * records, record for record, and re-scoring the replay's residuals offline ({@code --rescore})
 * gives them again.
 */
class ScoresAgreementITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LocalCluster.twoSlots();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Deterministic forecasts in both paths: the seeded initial network, no retraining. */
    private static final Map<String, String> SETTINGS =
            Map.of(
                    "training.enabled",
                    "false",
                    "job.parallelism",
                    "1",
                    "window.size",
                    "24",
                    "model.hidden",
                    "16");

    @TempDir static Path work;

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @Test
    void theScoresTopicAndTheEvaluationReplayAgreeRecordForRecord() throws Exception {
        Path nab = work.resolve("nab");
        List<Input> events = new ArrayList<>();
        for (String f :
                List.of(
                        "artificialWithAnomaly/art_daily_jumpsup.csv",
                        "realTraffic/speed_7578.csv")) {
            Path to = nab.resolve(f);
            BackfillITCase.head(BackfillITCase.EXAMPLES.resolve("nab/data").resolve(f), to, 700);
            String series = to.getFileName().toString().replace(".csv", "");
            List<String> lines = Files.readAllLines(to);
            for (String line : lines.subList(1, lines.size())) {
                String[] cols = line.split(",");
                long ts =
                        LocalDateTime.parse(cols[0].replace(' ', 'T'))
                                .toInstant(ZoneOffset.UTC)
                                .toEpochMilli();
                events.add(
                        new Input(
                                series,
                                "{\"series\":\""
                                        + series
                                        + "\",\"ts\":\""
                                        + java.time.Instant.ofEpochMilli(ts)
                                        + "\",\"value\":"
                                        + cols[1]
                                        + "}",
                                ts));
            }
        }

        // The live job: events topic in, scores topic out.
        KafkaTestClients.createTopics(KAFKA.broker(), "agree", 1);
        KafkaTestClients.produce(KAFKA.bootstrapServers(), "agree-events", events);
        StreamcastConfig live =
                KafkaTestClients.jobConfig(KAFKA.bootstrapServers(), "agree", SETTINGS);
        KafkaReplay.of(live).run("scores-agreement-itcase");
        int expected =
                events.size()
                        - 2; // each series' first reading has no forecast to be scored against
        List<JsonNode> topic =
                KafkaTestClients.readCommitted(
                        KAFKA.bootstrapServers(), "agree-scores", expected, Duration.ofSeconds(60));

        // evaluate --nab's path: the same job replaying the NAB directory into files.
        List<String> args = new ArrayList<>();
        SETTINGS.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        CommonOptions options =
                Main.parse(new EvaluateCommand(), System.out, args.toArray(String[]::new)).common;
        Path replayed = work.resolve("replayed");
        BackfillCommand.replay(
                BackfillCommand.config(options),
                HistoryFiles.at(nab),
                null,
                null,
                null,
                replayed,
                new PrintStream(new ByteArrayOutputStream(), true));
        List<JsonNode> files = new ArrayList<>();
        for (String line : Files.readAllLines(FileOutputSink.file(replayed, Stream.SCORES))) {
            files.add(JSON.readTree(line));
        }

        // --rescore's path: the replay's residuals through the scorer again.
        Path rescored = work.resolve("rescored");
        Files.createDirectories(rescored);
        Rescore.run(
                BackfillCommand.config(options),
                FileOutputSink.file(replayed, Stream.SCORES),
                rescored);
        List<JsonNode> offline = new ArrayList<>();
        for (String line : Files.readAllLines(FileOutputSink.file(rescored, Stream.SCORES))) {
            offline.add(JSON.readTree(line));
        }

        Map<String, JsonNode> fromTopic = byKey(topic);
        Map<String, JsonNode> fromFiles = byKey(files);
        assertEquals(expected, fromTopic.size());
        assertEquals(fromTopic.keySet(), fromFiles.keySet());
        assertEquals(fromFiles, byKey(offline), "re-scoring offline gives the replay's scores");
        int detections = 0;
        for (String key : fromTopic.keySet()) {
            assertEquals(fromTopic.get(key), fromFiles.get(key), key);
            if (fromTopic.get(key).get("score").asDouble() >= live.alerts().threshold()) {
                detections++;
            }
        }
        assertTrue(detections > 0, "the comparison covers detections, not only quiet readings");
    }

    private static Map<String, JsonNode> byKey(List<JsonNode> scores) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode s : scores) {
            out.put(s.get("series").asText() + "@" + s.get("ts").asText(), s);
        }
        return out;
    }
}

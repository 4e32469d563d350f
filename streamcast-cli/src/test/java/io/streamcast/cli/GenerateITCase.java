package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.ConfigLoader;
import io.streamcast.io.KafkaTestClients;
import io.streamcast.local.KafkaExtension;
import io.streamcast.simulate.SensorSimulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code generate} against a real (in-process) broker: what it sends, how fast, and how it is
 * keyed.
 */
class GenerateITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "generated-events";
    private static final int SERIES = 7;
    private static final int RATE = 500;
    private static final int SECONDS = 6;

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @BeforeAll
    static void createTopic() throws Exception {
        KAFKA.broker().createTopics(2, TOPIC);
    }

    @Test
    void sendsRateTimesDurationEventsKeyedBySeriesWithTheEventTimeAsTimestamp() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        long started = System.nanoTime();
        int code =
                GenerateCommand.run(
                        ConfigLoader.load(
                                null,
                                List.of(
                                        "kafka.bootstrap-servers=" + KAFKA.bootstrapServers(),
                                        "kafka.topics.events=" + TOPIC,
                                        "kafka.properties.interceptor.classes="
                                                + Stamp.class.getName(),
                                        "simulator.series=" + SERIES,
                                        "simulator.rate=" + RATE,
                                        "simulator.duration=" + SECONDS + "s",
                                        "simulator.anomaly-rate=0.05")),
                        new PrintStream(printed, true, StandardCharsets.UTF_8),
                        Clock.systemUTC());
        double seconds = (System.nanoTime() - started) / 1e9;
        String output = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, output);

        int expected = RATE * SECONDS;
        List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTestClients.readRecords(
                        KAFKA.bootstrapServers(), TOPIC, expected, Duration.ofSeconds(30));
        assertEquals(expected, records.size());
        // Paced: the 3000 events took the configured 6 s, not a burst (and not much longer on a
        // busy machine).
        assertTrue(seconds >= SECONDS - 0.5 && seconds < 3 * SECONDS, "took " + seconds + " s");

        Map<String, Long> newest = new HashMap<>();
        int anomalies = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode event = JSON.readTree(r.value());
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertEquals(key, event.get("series").asText());
            long ts = Instant.parse(event.get("ts").asText()).toEpochMilli();
            assertEquals(ts, r.timestamp(), "record timestamp = event time");
            assertTrue(
                    Double.isFinite(event.get("value").asDouble()) && event.get("value").isNumber(),
                    event::toString);
            // One partition per key, so each series arrives in order, one simulator step apart.
            Long previous = newest.put(key, ts);
            assertEquals(
                    previous == null
                            ? SensorSimulator.DEFAULT_START
                            : previous + SensorSimulator.STEP_MILLIS,
                    ts);
            Header stamp = r.headers().lastHeader(Stamp.HEADER);
            assertTrue(
                    stamp != null,
                    "kafka.properties.* reach the producer (its interceptor stamped the record)");
        }
        assertEquals(SERIES, newest.size());
        assertTrue(output.contains("[generate] "), "a progress line every 5 s:\n" + output);
        assertTrue(
                output.matches(
                        "(?s).*Sent 3,000 events \\([1-9][0-9,]* anomalous readings injected\\).*"),
                output);
    }

    @Test
    void aSecondRunOnTheSameTopicStartsAfterTheFirstRunsReadings() throws Exception {
        String topic = "generated-twice";
        KAFKA.broker().createTopics(2, topic);
        List<String> settings =
                List.of(
                        "kafka.bootstrap-servers=" + KAFKA.bootstrapServers(),
                        "kafka.topics.events=" + topic,
                        "simulator.series=2",
                        "simulator.rate=200",
                        "simulator.duration=1s");
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        for (ByteArrayOutputStream printed : List.of(new ByteArrayOutputStream(), second)) {
            assertEquals(
                    0,
                    GenerateCommand.run(
                            ConfigLoader.load(null, settings),
                            new PrintStream(printed, true, StandardCharsets.UTF_8),
                            Clock.systemUTC()));
        }
        List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTestClients.readRecords(
                        KAFKA.bootstrapServers(), topic, 400, Duration.ofSeconds(30));
        assertEquals(400, records.size());
        // Per series: the second run's 100 readings follow the first run's 100, one step apart.
        Map<String, List<Long>> bySeries = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            bySeries.computeIfAbsent(
                            new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(r.timestamp());
        }
        for (List<Long> times : bySeries.values()) {
            assertEquals(200, times.size());
            for (int i = 1; i < times.size(); i++) {
                assertEquals(
                        SensorSimulator.STEP_MILLIS, times.get(i) - times.get(i - 1), "at " + i);
            }
        }
        assertTrue(
                second.toString(StandardCharsets.UTF_8)
                        .contains("The events topic holds readings up to"),
                second.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRunThatWouldOutrunTheClockIsSimulatedInThePast() throws Exception {
        String topic = "generated-past";
        KAFKA.broker().createTopics(1, topic);
        // 1,000 readings of 2 series are 500 steps of 15 minutes (5.2 days): from the default start
        // they would end after a clock one day past it.
        long now = SensorSimulator.DEFAULT_START + Duration.ofDays(1).toMillis();
        int code =
                GenerateCommand.run(
                        ConfigLoader.load(
                                null,
                                List.of(
                                        "kafka.bootstrap-servers=" + KAFKA.bootstrapServers(),
                                        "kafka.topics.events=" + topic,
                                        "simulator.series=2",
                                        "simulator.rate=1000",
                                        "simulator.duration=1s")),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
        assertEquals(0, code);
        List<ConsumerRecord<byte[], byte[]>> records =
                KafkaTestClients.readRecords(
                        KAFKA.bootstrapServers(), topic, 1000, Duration.ofSeconds(30));
        assertEquals(1000, records.size());
        long newest = records.stream().mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
        long oldest = records.stream().mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
        assertTrue(
                newest <= now && newest > now - SensorSimulator.STEP_MILLIS,
                "ends by the clock: " + newest);
        assertEquals(499 * SensorSimulator.STEP_MILLIS, newest - oldest);
    }

    @Test
    void aFailedSendFailsTheCommand() throws Exception {
        int code =
                GenerateCommand.run(
                        ConfigLoader.load(
                                null,
                                List.of(
                                        "kafka.bootstrap-servers=" + KAFKA.bootstrapServers(),
                                        "kafka.topics.events=" + TOPIC,
                                        "kafka.properties.max.request.size=64",
                                        "simulator.duration=1s")),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        Clock.systemUTC());
        assertEquals(1, code, "every record is larger than the producer allows");
    }

    /**
     * A producer interceptor configured through {@code kafka.properties.interceptor.classes}:
     * stamps a header.
     */
    public static final class Stamp implements ProducerInterceptor<byte[], byte[]> {
        static final String HEADER = "stamped-by-interceptor";

        @Override
        public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
            record.headers().add(HEADER, new byte[] {1});
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs) {}
    }
}

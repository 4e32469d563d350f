package io.streamcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.DeadLetter.Reason;
import io.streamcast.event.Observation;
import io.streamcast.event.ParsedEvent;
import io.streamcast.io.EventParser;
import io.streamcast.io.HistoryRowParser;
import io.streamcast.io.OutputEncoder;
import io.streamcast.io.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Turns the lines of {@code produce}'s input into event records for the events topic, as the job
 * parses them: a JSON line is sent byte for byte, a CSV row (read by {@link HistoryRowParser}, as
 * backfill reads it) becomes an event object. Every record is keyed by its series, so that a
 * series' readings stay in one partition, in order. Each record is also run through the job's own
 * {@link EventParser} to count what the job will dead-letter; CSV rows that cannot become an event
 * at all are not sent but counted.
 */
final class ReadingSender {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char BOM = '\uFEFF';

    private final EventParser events;
    private final HistoryRowParser rows;
    private final List<String> features;
    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final double nanosPerReading;
    private final Tally tally;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final long started = System.nanoTime();

    /** {@code rate}: readings per second at most, 0 for no limit. */
    ReadingSender(
            StreamcastConfig config,
            Clock clock,
            Producer<byte[], byte[]> producer,
            int rate,
            Tally tally) {
        this.features = config.window().features();
        this.events = new EventParser(features, config.time(), clock);
        this.rows = HistoryRowParser.of(config);
        this.topic = config.kafka().eventsTopic();
        this.producer = producer;
        this.nanosPerReading = rate > 0 ? 1e9 / rate : 0;
        this.tally = tally;
    }

    /** Sends one file: JSON Lines by its extension ({@code .jsonl}, ...), else CSV. */
    void sendFile(Path file) throws IOException {
        String name = file.getFileName().toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            if (HistoryRowParser.isJsonLines(name)) {
                // As in a backfill, a line without a series belongs to the file's.
                sendJsonLines(in, file.toString(), HistoryRowParser.seriesOf(name));
            } else {
                sendCsv(in, file.toString(), name);
            }
        }
    }

    /**
     * Sends standard input as {@code format} ("jsonl", "csv", or null: CSV unless the first line
     * starts with '{'); CSV rows need {@code series}.
     */
    void sendStandardInput(BufferedReader in, String format, String series) throws IOException {
        if (format == null) {
            in.mark(1 << 20);
            String first = in.readLine();
            in.reset();
            format = first == null || stripBom(first).trim().startsWith("{") ? "jsonl" : "csv";
        }
        if (format.equals("jsonl")) {
            sendJsonLines(in, "standard input", series);
            return;
        }
        if (series == null) {
            throw new UserError(
                    "standard input reads as CSV (its first line does not start with '{'): name"
                            + " its series with --series ID, or give --format jsonl");
        }
        sendCsv(in, "standard input", series + ".csv");
    }

    /** Fails when the producer could not send a record. */
    void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new Failure(
                    "sending to "
                            + topic
                            + " failed after "
                            + tally.sent
                            + " readings: "
                            + e.getMessage(),
                    e);
        }
    }

    private void sendJsonLines(BufferedReader in, String source, String fallbackSeries)
            throws IOException {
        byte[] fallbackKey =
                fallbackSeries == null ? null : fallbackSeries.getBytes(StandardCharsets.UTF_8);
        long lineNumber = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNumber++;
            if (lineNumber == 1) {
                line = stripBom(line);
            }
            if (line.isBlank()) {
                continue;
            }
            byte[] value = line.getBytes(StandardCharsets.UTF_8);
            ParsedEvent e = events.parse(fallbackKey, value, source, -1, lineNumber);
            byte[] key =
                    e.isAccepted()
                            ? e.observation().series().getBytes(StandardCharsets.UTF_8)
                            : fallbackKey;
            send(key, value, e);
        }
    }

    private void sendCsv(BufferedReader in, String source, String fileName) throws IOException {
        try (HistoryRowParser.Rows csv = rows.rows(in, source, fileName)) {
            for (ParsedEvent row = csv.next(); row != null; row = csv.next()) {
                if (!row.isAccepted()) {
                    tally.skipped(row.deadLetter());
                    continue;
                }
                Observation o = row.observation();
                byte[] value = encode(o);
                byte[] key = o.series().getBytes(StandardCharsets.UTF_8);
                send(key, value, events.parse(key, value, source, -1, o.offset()));
            }
        }
    }

    /** An accepted row as the job's event format. */
    private byte[] encode(Observation o) {
        ObjectNode event = JSON.createObjectNode();
        event.put("series", o.series());
        event.put("ts", OutputEncoder.iso(o.ts()));
        event.put("value", o.values()[0]);
        if (!features.isEmpty()) {
            ObjectNode f = event.putObject("features");
            for (int i = 0; i < features.size(); i++) {
                f.put(features.get(i), o.values()[i + 1]);
            }
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    private void send(byte[] key, byte[] value, ParsedEvent parsed) {
        throwIfFailed();
        producer.send(
                new ProducerRecord<>(topic, null, null, key, value),
                (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
        tally.sent(parsed);
        if (nanosPerReading > 0) {
            long wait = started + (long) (tally.sent * nanosPerReading) - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw new KafkaException("interrupted", stop);
                }
            }
        }
    }

    private static String stripBom(String line) {
        return !line.isEmpty() && line.charAt(0) == BOM ? line.substring(1) : line;
    }

    /**
     * What was sent: readings, series, and per reason the records the job will dead-letter and the
     * CSV rows not sent, each with its first example. Read by the shutdown hook too.
     */
    static final class Tally {
        private volatile long sent;
        private final Set<String> series = new HashSet<>();
        private final Map<Reason, Example> rejected = new EnumMap<>(Reason.class);
        private final Map<Reason, Example> skipped = new EnumMap<>(Reason.class);

        private record Example(long[] count, DeadLetter first) {}

        synchronized void sent(ParsedEvent e) {
            sent++;
            if (e.isAccepted()) {
                series.add(e.observation().series());
            } else {
                add(rejected, e.deadLetter());
            }
        }

        synchronized void skipped(DeadLetter d) {
            add(skipped, d);
        }

        private static void add(Map<Reason, Example> to, DeadLetter d) {
            to.computeIfAbsent(d.reason(), r -> new Example(new long[1], d)).count[0]++;
        }

        long sentCount() {
            return sent;
        }

        /** "N readings of S series to topic T". */
        synchronized String summary(String topic) {
            return String.format("%,d readings of %,d series to %s", sent, series.size(), topic);
        }

        /** One line per kind of rejection, empty when the job will take every record. */
        synchronized List<String> rejections() {
            List<String> lines = new ArrayList<>();
            if (!rejected.isEmpty()) {
                lines.add(
                        "the job will dead-letter "
                                + total(rejected)
                                + " of them: "
                                + describe(rejected));
            }
            if (!skipped.isEmpty()) {
                lines.add(
                        "not sent: "
                                + total(skipped)
                                + " CSV rows that are no reading: "
                                + describe(skipped));
            }
            return lines;
        }

        private static long total(Map<Reason, Example> m) {
            return m.values().stream().mapToLong(e -> e.count[0]).sum();
        }

        private static String describe(Map<Reason, Example> m) {
            List<String> parts = new ArrayList<>();
            m.forEach(
                    (reason, e) ->
                            parts.add(
                                    reason
                                            + " "
                                            + e.count[0]
                                            + " (first: "
                                            + e.first.source()
                                            + " line "
                                            + e.first.offset()
                                            + ": "
                                            + e.first.message()
                                            + ")"));
            return String.join("; ", parts);
        }
    }
}

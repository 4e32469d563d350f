package io.streamcast.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.io.NetworkJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output folder of {@code backfill --output} or {@code evaluate --output} (forecasts.jsonl,
 * scores.jsonl, alerts.jsonl, models.jsonl), read into one {@link SeriesTrace} per series plus the
 * promoted model versions and the drift events. A line that cannot be read (not JSON, no series, a
 * time that is not one) is skipped and counted, with where and why the first was ({@link
 * #skipped()}); unknown fields are ignored.
 */
public final class RunOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A promoted model version, without its parameters. */
    public record ModelVersion(
            long version,
            String cell,
            String config,
            double trainLoss,
            double validationLoss,
            long samplesSeen) {}

    /**
     * A drift event: the serving model's loss on new windows ({@code recentLoss}) rose against its
     * validation loss, the Page–Hinkley {@code statistic} passed {@code threshold}, and a round
     * started at once, at event time {@code ts} ({@link Long#MIN_VALUE} in output written before
     * drift events had a time); {@code version} is what that round promoted, -1 if nothing.
     */
    public record DriftEvent(
            long ts,
            double recentLoss,
            double validationLoss,
            double statistic,
            double threshold,
            long samplesSeen,
            long version) {
        public boolean promoted() {
            return version >= 0;
        }

        /**
         * The drift event of a models record that has one ({@code m.drift}); throws {@link
         * IllegalArgumentException} saying what is wrong with it. The one decoding of drift records
         * (the report and the live page read them through it).
         */
        public static DriftEvent of(JsonNode m) {
            JsonNode d = m.path("drift");
            if (!d.isObject()) {
                throw new IllegalArgumentException("drift is not an object");
            }
            long ts = OutputJson.timestamp(d, "ts");
            if (ts == Long.MIN_VALUE && d.hasNonNull("ts")) {
                throw new IllegalArgumentException("drift " + OutputJson.badTime(d, "ts"));
            }
            JsonNode round = m.path("round");
            return new DriftEvent(
                    ts,
                    OutputJson.number(d, "recentLoss"),
                    OutputJson.number(d, "validationLoss"),
                    OutputJson.number(d, "statistic"),
                    OutputJson.number(d, "threshold"),
                    OutputJson.integer(d, "samplesSeen", -1),
                    round.path("promoted").asBoolean(false)
                            ? round.path("version").asLong(-1)
                            : -1);
        }
    }

    private final Path directory;
    private final Map<String, SeriesTrace> series = new TreeMap<>();
    private final List<ModelVersion> models = new ArrayList<>();
    private final List<DriftEvent> drifts = new ArrayList<>();
    private final SkippedRecords skipped = new SkippedRecords();

    private RunOutputs(Path directory) {
        this.directory = directory;
    }

    /**
     * Reads {@code directory}; fails with a message naming the folder when it holds no forecasts or
     * scores.
     */
    public static RunOutputs read(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(
                    "report input "
                            + directory
                            + " is not a folder (give the --output"
                            + " folder of backfill or evaluate)");
        }
        Path forecasts = directory.resolve("forecasts.jsonl");
        Path scores = directory.resolve("scores.jsonl");
        if (!Files.isRegularFile(forecasts) && !Files.isRegularFile(scores)) {
            throw new IllegalArgumentException(
                    "no forecasts.jsonl or scores.jsonl in "
                            + directory
                            + " (give the --output folder of backfill or evaluate)");
        }
        RunOutputs run = new RunOutputs(directory);
        run.lines(forecasts, run::forecast);
        run.lines(scores, run::score);
        run.lines(directory.resolve("alerts.jsonl"), run::alert);
        run.lines(directory.resolve("models.jsonl"), run::model);
        run.series.values().forEach(SeriesTrace::finish);
        return run;
    }

    public Path directory() {
        return directory;
    }

    /** The series, by name. */
    public Map<String, SeriesTrace> series() {
        return Collections.unmodifiableMap(series);
    }

    /** Promoted model versions in file order. */
    public List<ModelVersion> models() {
        return Collections.unmodifiableList(models);
    }

    /** Drift events in file order. */
    public List<DriftEvent> drifts() {
        return Collections.unmodifiableList(drifts);
    }

    /** Lines skipped as unreadable (not JSON, or no series or time). */
    public long skippedLines() {
        return skipped.count();
    }

    /** The lines skipped as unreadable, and where and why the first was. */
    public SkippedRecords skipped() {
        return skipped;
    }

    /** Takes one record into the traces; returns why it cannot, or null when it did. */
    private interface LineHandler {
        String accept(JsonNode record);
    }

    private void lines(Path file, LineHandler handler) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String why;
                try {
                    JsonNode record = JSON.readTree(line);
                    why =
                            record == null || !record.isObject()
                                    ? "not a JSON object"
                                    : handler.accept(record);
                } catch (JsonProcessingException e) {
                    why = "not JSON";
                } catch (RuntimeException e) {
                    // One odd record must not cost the reader the others.
                    why = e.getClass().getSimpleName();
                }
                if (why != null) {
                    skipped.skip(file.getFileName() + " line " + number, why);
                }
            }
        }
    }

    private SeriesTrace trace(JsonNode record) {
        String name = OutputJson.text(record, "series", null);
        return name == null ? null : series.computeIfAbsent(name, SeriesTrace::new);
    }

    private String forecast(JsonNode f) {
        long ts = OutputJson.timestamp(f, "ts");
        String why = OutputJson.unfiled(f, ts);
        if (why != null) {
            return why;
        }
        JsonNode model = f.path("model");
        trace(f).addForecast(
                        ts, f.path("coldStart").asBoolean(false), model.path("version").asLong(-1));
        return null;
    }

    private String score(JsonNode s) {
        long ts = OutputJson.timestamp(s, "ts");
        String why = OutputJson.unfiled(s, ts);
        if (why != null) {
            return why;
        }
        SeriesTrace t = trace(s);
        t.addPoint(
                new SeriesTrace.Point(
                        ts,
                        OutputJson.number(s, "actual"),
                        OutputJson.number(s, "expected"),
                        OutputJson.number(s, "lower"),
                        OutputJson.number(s, "upper"),
                        OutputJson.number(s, "score")));
        return null;
    }

    private String alert(JsonNode a) {
        long ts = OutputJson.timestamp(a, "ts");
        String id = OutputJson.text(a, "alertId", null);
        String state = OutputJson.text(a, "state", null);
        String why =
                id == null || state == null ? "no alertId or state" : OutputJson.unfiled(a, ts);
        if (why != null) {
            return why;
        }
        trace(a).addAlert(
                        id,
                        state,
                        ts,
                        OutputJson.timestamp(a, "openedAt"),
                        OutputJson.text(a, "severity", ""),
                        OutputJson.number(a, "score"),
                        OutputJson.text(a, "reason", ""));
        return null;
    }

    private String model(JsonNode m) {
        if (m.has("drift")) {
            return drift(m);
        }
        if (!m.has("version")) {
            return "no version";
        }
        JsonNode metrics = m.path("metrics");
        models.add(
                new ModelVersion(
                        m.path("version").asLong(),
                        OutputJson.text(m, "cell", ""),
                        NetworkJson.label(m),
                        OutputJson.number(metrics, "trainLoss"),
                        OutputJson.number(metrics, "validationLoss"),
                        OutputJson.integer(metrics, "samplesSeen", -1)));
        return null;
    }

    /** A drift event; the model version its round promoted is a record of its own. */
    private String drift(JsonNode m) {
        try {
            drifts.add(DriftEvent.of(m));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}

package io.streamcast.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * promoted model versions. Lines that are not JSON or lack a series or time are counted and
 * skipped; unknown fields are ignored.
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

    private final Path directory;
    private final Map<String, SeriesTrace> series = new TreeMap<>();
    private final List<ModelVersion> models = new ArrayList<>();
    private long skippedLines;

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

    /** Lines skipped as unreadable (not JSON, or no series or time). */
    public long skippedLines() {
        return skippedLines;
    }

    private interface LineHandler {
        boolean accept(JsonNode record);
    }

    private void lines(Path file, LineHandler handler) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record;
                try {
                    record = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    skippedLines++;
                    continue;
                }
                if (record == null || !record.isObject() || !handler.accept(record)) {
                    skippedLines++;
                }
            }
        }
    }

    private SeriesTrace trace(JsonNode record) {
        String name = OutputJson.text(record, "series", null);
        return name == null ? null : series.computeIfAbsent(name, SeriesTrace::new);
    }

    private boolean forecast(JsonNode f) {
        long ts = OutputJson.timestamp(f, "ts");
        SeriesTrace t = ts == Long.MIN_VALUE ? null : trace(f);
        if (t == null) {
            return false;
        }
        JsonNode model = f.path("model");
        t.addForecast(ts, f.path("coldStart").asBoolean(false), model.path("version").asLong(-1));
        return true;
    }

    private boolean score(JsonNode s) {
        long ts = OutputJson.timestamp(s, "ts");
        SeriesTrace t = ts == Long.MIN_VALUE ? null : trace(s);
        if (t == null) {
            return false;
        }
        t.addPoint(
                new SeriesTrace.Point(
                        ts,
                        OutputJson.number(s, "actual"),
                        OutputJson.number(s, "expected"),
                        OutputJson.number(s, "lower"),
                        OutputJson.number(s, "upper"),
                        OutputJson.number(s, "score")));
        return true;
    }

    private boolean alert(JsonNode a) {
        long ts = OutputJson.timestamp(a, "ts");
        String id = OutputJson.text(a, "alertId", null);
        String state = OutputJson.text(a, "state", null);
        SeriesTrace t = ts == Long.MIN_VALUE || id == null || state == null ? null : trace(a);
        if (t == null) {
            return false;
        }
        t.addAlert(
                id,
                state,
                ts,
                OutputJson.timestamp(a, "openedAt"),
                OutputJson.text(a, "severity", ""),
                OutputJson.number(a, "score"),
                OutputJson.text(a, "reason", ""));
        return true;
    }

    private boolean model(JsonNode m) {
        if (!m.has("version")) {
            return false;
        }
        JsonNode metrics = m.path("metrics");
        models.add(
                new ModelVersion(
                        m.path("version").asLong(),
                        OutputJson.text(m, "cell", ""),
                        OutputJson.text(m, "config", ""),
                        OutputJson.number(metrics, "trainLoss"),
                        OutputJson.number(metrics, "validationLoss"),
                        OutputJson.integer(metrics, "samplesSeen", -1)));
        return true;
    }
}

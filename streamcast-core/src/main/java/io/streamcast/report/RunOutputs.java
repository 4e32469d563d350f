package io.streamcast.report;

import io.streamcast.event.Forecast;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.event.Score;
import io.streamcast.io.AlertOutput;
import io.streamcast.io.DriftOutput;
import io.streamcast.io.ModelOutput;
import io.streamcast.io.ModelsRecord;
import io.streamcast.io.OutputDecoder;
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
    private final Path directory;
    private final Map<String, SeriesTrace> series = new TreeMap<>();
    private final List<ModelOutput> models = new ArrayList<>();
    private final List<DriftOutput> drifts = new ArrayList<>();
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
        Path forecasts = directory.resolve(Stream.FORECASTS.fileName());
        Path scores = directory.resolve(Stream.SCORES.fileName());
        if (!Files.isRegularFile(forecasts) && !Files.isRegularFile(scores)) {
            throw new IllegalArgumentException(
                    "no "
                            + forecasts.getFileName()
                            + " or "
                            + scores.getFileName()
                            + " in "
                            + directory
                            + " (give the --output folder of backfill or evaluate)");
        }
        RunOutputs run = new RunOutputs(directory);
        run.lines(forecasts, line -> run.forecast(OutputDecoder.forecast(line)));
        run.lines(scores, line -> run.score(OutputDecoder.score(line)));
        run.lines(
                directory.resolve(Stream.ALERTS.fileName()),
                line -> run.alert(OutputDecoder.alert(line)));
        run.lines(
                directory.resolve(Stream.MODELS.fileName()),
                line -> run.model(OutputDecoder.models(line)));
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
    public List<ModelOutput> models() {
        return Collections.unmodifiableList(models);
    }

    /** Drift events in file order. */
    public List<DriftOutput> drifts() {
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

    /** Decodes one line and takes its record into the traces. */
    private interface LineHandler {
        void accept(String line);
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
                String why = null;
                try {
                    handler.accept(line);
                } catch (OutputDecoder.Unreadable e) {
                    why = e.getMessage();
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

    private SeriesTrace trace(String name) {
        return series.computeIfAbsent(name, SeriesTrace::new);
    }

    private void forecast(Forecast f) {
        trace(f.series()).addForecast(f.ts(), f.coldStart(), f.modelVersion());
    }

    private void score(Score s) {
        trace(s.series())
                .addPoint(
                        new SeriesTrace.Point(
                                s.ts(), s.actual(), s.expected(), s.lower(), s.upper(), s.score()));
    }

    private void alert(AlertOutput a) {
        trace(a.series())
                .addAlert(
                        a.alertId(),
                        a.state(),
                        a.ts(),
                        a.openedAt(),
                        a.severity(),
                        a.score(),
                        a.reason());
    }

    /** A promoted version or a drift event; the version a drift's round promoted is its own. */
    private void model(ModelsRecord record) {
        if (record instanceof DriftOutput d) {
            drifts.add(d);
        } else if (record instanceof ModelOutput m) {
            models.add(m);
        }
    }
}

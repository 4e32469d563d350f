package io.streamcast.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.FileOutputSink;
import io.streamcast.io.OutputEncoder;
import io.streamcast.model.anomaly.AnomalyScorer;
import io.streamcast.model.anomaly.AnomalyStep;
import io.streamcast.model.anomaly.ScorerMemory;
import io.streamcast.model.anomaly.Verdict;
import io.streamcast.report.OutputJson;
import io.streamcast.report.SkippedRecords;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Re-scores an earlier run's {@code scores.jsonl} with a configuration's {@link AnomalyStep} (the
 * anomaly scorer and alert tracker the job runs), writing {@code scores.jsonl} and {@code
 * alerts.jsonl} into another directory: what a full replay with that configuration would write,
 * since the forecaster never sees the scores (its residuals are the same), in seconds instead of
 * minutes. For tuning the scorer offline ({@code evaluate --nab ... --rescore DIR}).
 */
final class Rescore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Rescore() {}

    /**
     * Re-scores {@code scoresIn} into {@code outputDir}; a line that cannot be read is skipped
     * (before it touches any series' state) and counted in what is returned.
     */
    static SkippedRecords run(StreamcastConfig config, Path scoresIn, Path outputDir)
            throws IOException {
        AnomalyStep step = new AnomalyStep(config.scoring(), config.alerts());
        Map<String, AnomalyStep.SeriesState> states = new HashMap<>();
        SkippedRecords skipped = new SkippedRecords();
        try (BufferedReader r = Files.newBufferedReader(scoresIn);
                BufferedWriter scores =
                        Files.newBufferedWriter(FileOutputSink.file(outputDir, Stream.SCORES));
                BufferedWriter alerts =
                        Files.newBufferedWriter(FileOutputSink.file(outputDir, Stream.ALERTS))) {
            String line;
            long number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    skipped.skip(scoresIn.getFileName() + " line " + number, "not JSON");
                    continue;
                }
                String why = unreadable(n);
                if (why != null) {
                    skipped.skip(scoresIn.getFileName() + " line " + number, why);
                    continue;
                }
                String series = n.get("series").asText();
                double actual = n.get("actual").asDouble();
                double expected = n.get("expected").asDouble();
                long model = modelVersion(n);
                AnomalyStep.Outcome o =
                        step.next(
                                states.computeIfAbsent(series, k -> step.initial()),
                                series,
                                OutputJson.timestamp(n, "ts"),
                                actual,
                                expected,
                                n.get("lower").asDouble(),
                                n.get("upper").asDouble(),
                                model);
                writeLine(scores, OutputEncoder.score(o.score()));
                if (o.alert().isPresent()) {
                    writeLine(alerts, OutputEncoder.alert(o.alert().get()));
                }
            }
        }
        return skipped;
    }

    /** The model version a score record names, or unknown in output of earlier versions. */
    private static long modelVersion(JsonNode n) {
        JsonNode v = n.get("modelVersion");
        return v != null && v.canConvertToLong() ? v.asLong() : AnomalyScorer.UNKNOWN_FORECASTER;
    }

    /** Why score record {@code n} cannot be re-scored, or null when it can. */
    private static String unreadable(JsonNode n) {
        if (n == null || !n.isObject()) {
            return "not a JSON object";
        }
        if (OutputJson.text(n, "series", null) == null) {
            return "no series";
        }
        if (OutputJson.timestamp(n, "ts") == Long.MIN_VALUE) {
            return OutputJson.badTime(n, "ts");
        }
        for (String field : new String[] {"actual", "expected", "lower", "upper"}) {
            if (n.get(field) == null) {
                return "no " + field;
            }
        }
        return null;
    }

    /** One series' checked readings from a scores file, in the order they were scored. */
    record Checked(long[] ts, double[] actual, double[] expected, long[] model) {}

    /** The checked readings of every series in a {@code scores.jsonl}, by series, in order. */
    static Map<String, Checked> read(Path scoresIn) throws IOException {
        Map<String, java.util.List<double[]>> rows = new java.util.LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(scoresIn)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n = JSON.readTree(line);
                rows.computeIfAbsent(n.get("series").asText(), k -> new java.util.ArrayList<>())
                        .add(
                                new double[] {
                                    Instant.parse(n.get("ts").asText()).toEpochMilli(),
                                    n.get("actual").asDouble(),
                                    n.get("expected").asDouble(),
                                    modelVersion(n)
                                });
            }
        }
        Map<String, Checked> out = new java.util.LinkedHashMap<>();
        rows.forEach(
                (series, list) -> {
                    Checked c =
                            new Checked(
                                    new long[list.size()],
                                    new double[list.size()],
                                    new double[list.size()],
                                    new long[list.size()]);
                    for (int i = 0; i < list.size(); i++) {
                        c.ts()[i] = (long) list.get(i)[0];
                        c.actual()[i] = list.get(i)[1];
                        c.expected()[i] = list.get(i)[2];
                        c.model()[i] = (long) list.get(i)[3];
                    }
                    out.put(series, c);
                });
        return out;
    }

    /** The verdicts {@code scorer} gives one series' readings, from a fresh state. */
    static Verdict[] verdicts(AnomalyScorer scorer, Checked series) {
        ScorerMemory state = scorer.initial();
        Verdict[] out = new Verdict[series.ts().length];
        for (int i = 0; i < out.length; i++) {
            out[i] =
                    scorer.score(
                            state, series.actual()[i], series.expected()[i], series.model()[i]);
        }
        return out;
    }

    private static void writeLine(BufferedWriter out, OutputRecord record) throws IOException {
        out.write(new String(record.json(), StandardCharsets.UTF_8));
        out.write('\n');
    }
}

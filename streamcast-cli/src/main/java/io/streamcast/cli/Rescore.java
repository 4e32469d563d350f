package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.event.Score;
import io.streamcast.io.FileOutputSink;
import io.streamcast.io.OutputDecoder;
import io.streamcast.io.OutputEncoder;
import io.streamcast.model.anomaly.AnomalyScorer;
import io.streamcast.model.anomaly.AnomalyStep;
import io.streamcast.model.anomaly.ScorerMemory;
import io.streamcast.model.anomaly.Verdict;
import io.streamcast.report.SkippedRecords;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
                Score in;
                try {
                    in = OutputDecoder.score(line);
                } catch (OutputDecoder.Unreadable e) {
                    skipped.skip(scoresIn.getFileName() + " line " + number, e.getMessage());
                    continue;
                }
                String series = in.series();
                double actual = in.actual();
                double expected = in.expected();
                long model = in.modelVersion();
                AnomalyStep.Outcome o =
                        step.next(
                                states.computeIfAbsent(series, k -> step.initial()),
                                series,
                                in.ts(),
                                actual,
                                expected,
                                in.lower(),
                                in.upper(),
                                model);
                writeLine(scores, OutputEncoder.score(o.score()));
                if (o.alert().isPresent()) {
                    writeLine(alerts, OutputEncoder.alert(o.alert().get()));
                }
            }
        }
        return skipped;
    }

    /** One series' checked readings from a scores file, in the order they were scored. */
    record Checked(long[] ts, double[] actual, double[] expected, long[] model) {}

    /** The checked readings of every series in a {@code scores.jsonl}, by series, in order. */
    static Map<String, Checked> read(Path scoresIn) throws IOException {
        Map<String, java.util.List<double[]>> rows = new java.util.LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(scoresIn)) {
            String line;
            while ((line = r.readLine()) != null) {
                Score n = OutputDecoder.score(line);
                rows.computeIfAbsent(n.series(), k -> new java.util.ArrayList<>())
                        .add(new double[] {n.ts(), n.actual(), n.expected(), n.modelVersion()});
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

package io.streamcast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.eval.forecast.PrequentialEvaluation;
import io.streamcast.eval.nab.CostProfile;
import io.streamcast.eval.nab.FileScore;
import io.streamcast.eval.nab.NabBenchmark;
import io.streamcast.eval.nab.NabCorpus;
import io.streamcast.eval.nab.NabDataFile;
import io.streamcast.eval.nab.NabReport;
import io.streamcast.eval.nab.NabResult;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.event.Score;
import io.streamcast.io.AlertOutput;
import io.streamcast.io.FileOutputSink;
import io.streamcast.io.HistoryFiles;
import io.streamcast.io.HistoryRowParser;
import io.streamcast.io.OutputDecoder;
import io.streamcast.io.UserError;
import io.streamcast.model.anomaly.AnomalyScorer;
import io.streamcast.model.anomaly.Verdict;
import io.streamcast.pipeline.StreamcastJob;
import io.streamcast.report.SkippedRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evaluate --nab DIR --labels FILE}: replays every file of a NAB-layout data directory
 * through the job (series = file name), turns the score stream into one anomaly score per row, and
 * scores it with NAB's cost profiles at one threshold per profile optimised over the whole corpus;
 * prints the per-profile table, per-file details and the alerts the job opened per file.
 */
@Command(
        name = "evaluate",
        header = "forecast accuracy over a history file, or NAB scoring of the anomaly scores",
        description = {
            "Forecast accuracy (--input): prequential MSE, MAE, MASE against repeat-last and seasonal"
                    + " naive, and interval coverage, over the rows after the first --train-rows. Or"
                    + " NAB scoring (--nab, --labels) of the job's anomaly scores."
        })
final class EvaluateCommand extends Subcommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description = "one history file (forecast accuracy)")
    Path input;

    @Option(
            names = "--train-rows",
            paramLabel = "N",
            converter = OptionTypes.AtLeast0.class,
            description = "rows that set the z-score scale and are not scored")
    int trainRows = 0;

    @Option(
            names = "--season",
            paramLabel = "S",
            converter = OptionTypes.AtLeast1.class,
            description = "season length of the seasonal-naive baseline")
    int season = 24;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "start from a saved model (see train)")
    Path model;

    @Option(
            names = "--nab",
            paramLabel = "DIR",
            description = "NAB's data/ folder (anomaly detection)")
    Path nab;

    @Option(
            names = "--labels",
            paramLabel = "FILE",
            description =
                    "NAB's labels file (labels/combined_windows.json, or a subset such as windows_shared.json)")
    Path labels;

    @Option(
            names = "--profiles",
            paramLabel = "FILE",
            description = "NAB's config/profiles.json (default: next to --nab)")
    Path profiles;

    @Option(
            names = "--rescore",
            paramLabel = "DIR",
            description = "re-score an earlier run's scores.jsonl offline instead of replaying")
    Path rescore;

    @Option(
            names = "--robustness",
            description =
                    "also score the run's residuals with each scorer parameter halved and doubled")
    boolean robustness;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "keep the job's output and evaluation.json here")
    Path output;

    @Option(names = "--report", description = "also write report.html into --output")
    boolean report;

    @Override
    protected int run() throws Exception {
        if (input == null && (nab == null || labels == null)) {
            throw new UserError(
                    "evaluate needs --input FILE (forecast accuracy) or --nab DIR and --labels FILE"
                            + " (anomaly detection)");
        }
        ReportCommand.checkFlag(report, output);
        int code = input != null ? forecasts() : nab();
        ReportCommand.afterRun(report, output, out);
        return code;
    }

    private int nab() throws Exception {
        Path dataDir = nab;
        Path profiles =
                this.profiles != null
                        ? this.profiles
                        : nab.toAbsolutePath().getParent().resolve("config/profiles.json");
        NabCorpus corpus = NabCorpus.load(dataDir, labels);
        Map<String, CostProfile> costs = CostProfile.loadAll(profiles);
        Path output = this.output != null ? this.output : temp.directory("streamcast-nab");

        StreamcastConfig config = BackfillCommand.config(common);
        Path scoresFrom = output;
        if (rescore != null) {
            // The forecaster never sees the scores, so an earlier run's residuals re-scored with
            // this configuration's scorer and alert tracker are exactly what a full replay would
            // give.
            scoresFrom = rescore;
            if (!Files.isRegularFile(FileOutputSink.file(scoresFrom, Stream.SCORES))) {
                throw new UserError(
                        "--rescore "
                                + scoresFrom.toAbsolutePath()
                                + " holds no scores.jsonl; pass the"
                                + " --output folder of an earlier evaluate --nab run");
            }
            Files.createDirectories(output);
            SkippedRecords skipped =
                    Rescore.run(config, FileOutputSink.file(scoresFrom, Stream.SCORES), output);
            if (skipped.count() > 0) {
                out.println("Rescore: " + skipped.summary());
            }
        } else {
            BackfillCommand.replay(config, HistoryFiles.at(dataDir), null, null, null, output, out);
        }

        Map<String, String> fileOfSeries = new HashMap<>();
        for (String relative : corpus.files().keySet()) {
            fileOfSeries.put(
                    HistoryRowParser.seriesOf(Path.of(relative).getFileName().toString()),
                    relative);
        }
        RowScores rows = rowScores(corpus, fileOfSeries, output);
        Map<String, double[]> scores = rows.scores();
        Map<String, Integer> alerts = openedAlerts(fileOfSeries, output);
        NabBenchmark benchmark = new NabBenchmark(corpus);
        Map<String, NabResult> results = benchmark.evaluateAll(scores, costs.values());
        out.println();
        NabReport.print(out, results);
        CostProfile standardProfile = costs.get("standard");
        if (standardProfile != null) {
            out.println();
            ProtocolReport.print(out, benchmark, results, costs, rows);
            if (robustness) {
                out.println();
                ProtocolReport.robustness(
                        out,
                        benchmark,
                        standardProfile,
                        config.scoring(),
                        Rescore.read(FileOutputSink.file(output, Stream.SCORES)),
                        (checked, scorer) -> rescored(corpus, fileOfSeries, checked, scorer));
            }
        }
        out.println();
        out.println("Alerts opened by the job, per file:");
        for (String file : new TreeMap<>(corpus.files()).keySet()) {
            NabResult standard = results.get("standard");
            FileScore fs = standard == null ? null : standard.files().get(file);
            out.printf(
                    "  %-55s %4d alerts; windows %d; at the standard threshold: TP %d, FP %d, FN %d%n",
                    file,
                    alerts.getOrDefault(file, 0),
                    corpus.file(file).windows().size(),
                    fs == null ? 0 : fs.tp(),
                    fs == null ? 0 : fs.fp(),
                    fs == null ? 0 : fs.fn());
        }
        out.println(
                this.output != null
                        ? "Job output (forecasts, scores, alerts) is in " + output.toAbsolutePath()
                        : "Pass --output DIR to keep the job's output (forecasts, scores, alerts)");
        return 0;
    }

    /**
     * {@code evaluate --input FILE --train-rows N [--season S]}: prequential forecast accuracy of
     * the job over one history file (forecast, then learn, as it streams), on the z-score scale of
     * the first N rows, for the rows after them; next to repeat-last and seasonal naive on the same
     * targets; also written as JSON.
     */
    private int forecasts() throws Exception {
        StreamcastConfig config = BackfillCommand.config(common);
        HistoryFiles files = HistoryFiles.at(input);
        if (files.files().size() != 1) {
            throw new UserError(
                    "evaluate --input takes one history file, found "
                            + files.files().size()
                            + " at "
                            + input.toAbsolutePath());
        }
        long rows = files.countRows();
        if (rows <= trainRows) {
            throw new UserError(
                    input.toAbsolutePath()
                            + " has "
                            + rows
                            + " data rows, not more than --train-rows "
                            + trainRows
                            + ": nothing is left to evaluate; pass a smaller --train-rows");
        }
        var initial = StreamcastJob.initialModel(config, model);
        Path output = this.output != null ? this.output : temp.directory("streamcast-eval");
        BackfillCommand.replay(config, files, null, null, initial, output, out);

        PrequentialEvaluation evaluation =
                PrequentialEvaluation.ofHistory(
                        HistoryRowParser.of(config),
                        files.files().get(0),
                        trainRows,
                        season,
                        config.model().horizon());
        evaluation.addForecasts(FileOutputSink.file(output, Stream.FORECASTS));
        out.println();
        evaluation.print(out, input.getFileName().toString(), config.input().target());
        Path json = output.resolve("evaluation.json");
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(
                        json.toFile(),
                        Map.of(
                                "input",
                                input.toString(),
                                "target",
                                config.input().target(),
                                "trainRows",
                                evaluation.trainRows(),
                                "season",
                                season,
                                "cell",
                                config.model().cell().id(),
                                "decoder",
                                config.model().decoder().id(),
                                "horizon",
                                config.model().horizon(),
                                "steps",
                                evaluation.steps()));
        out.println(
                this.output != null
                        ? "Written to " + json.toAbsolutePath()
                        : "Pass --output DIR to keep evaluation.json and the job's output");
        return 0;
    }

    /** One anomaly score and scoring channel per row of each corpus file, by relative path. */
    record RowScores(Map<String, double[]> scores, Map<String, String[]> channels) {
        static RowScores empty(NabCorpus corpus) {
            RowScores r = new RowScores(new HashMap<>(), new HashMap<>());
            for (NabDataFile f : corpus.files().values()) {
                r.scores.put(f.relativePath(), new double[f.rows()]);
                r.channels.put(f.relativePath(), new String[f.rows()]);
            }
            return r;
        }

        void put(Map<Long, Integer> rowOf, String file, long ts, double score, String channel) {
            Integer row = rowOf.get(ts);
            if (row != null) {
                scores.get(file)[row] = score;
                channels.get(file)[row] = channel;
            }
        }
    }

    /** Per file, the row of each timestamp (the first row, for a repeated timestamp). */
    private static Map<String, Map<Long, Integer>> rowIndex(NabCorpus corpus) {
        Map<String, Map<Long, Integer>> rowOf = new HashMap<>();
        for (NabDataFile f : corpus.files().values()) {
            Map<Long, Integer> rows = new HashMap<>();
            for (int i = 0; i < f.rows(); i++) {
                rows.putIfAbsent(f.timestamps()[i].toInstant(ZoneOffset.UTC).toEpochMilli(), i);
            }
            rowOf.put(f.relativePath(), rows);
        }
        return rowOf;
    }

    /**
     * One anomaly score per row of each corpus file from the scores stream; rows without a score
     * (the first, rejected ones) get 0.
     */
    private static RowScores rowScores(
            NabCorpus corpus, Map<String, String> fileOfSeries, Path output) throws IOException {
        Map<String, Map<Long, Integer>> rowOf = rowIndex(corpus);
        RowScores out = RowScores.empty(corpus);
        try (BufferedReader r =
                Files.newBufferedReader(FileOutputSink.file(output, Stream.SCORES))) {
            String line;
            while ((line = r.readLine()) != null) {
                Score s = OutputDecoder.score(line);
                String file = fileOfSeries.get(s.series());
                if (file == null) {
                    continue;
                }
                out.put(rowOf.get(file), file, s.ts(), s.score(), s.channel());
            }
        }
        return out;
    }

    /** The row scores {@code scorer} gives the checked readings of an earlier run, in memory. */
    static RowScores rescored(
            NabCorpus corpus,
            Map<String, String> fileOfSeries,
            Map<String, Rescore.Checked> checked,
            AnomalyScorer scorer) {
        Map<String, Map<Long, Integer>> rowOf = rowIndex(corpus);
        RowScores out = RowScores.empty(corpus);
        checked.forEach(
                (series, c) -> {
                    String file = fileOfSeries.get(series);
                    if (file == null) {
                        return;
                    }
                    Verdict[] v = Rescore.verdicts(scorer, c);
                    for (int i = 0; i < v.length; i++) {
                        out.put(rowOf.get(file), file, c.ts()[i], v[i].score(), v[i].channelName());
                    }
                });
        return out;
    }

    private static Map<String, Integer> openedAlerts(Map<String, String> fileOfSeries, Path output)
            throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        try (BufferedReader r =
                Files.newBufferedReader(FileOutputSink.file(output, Stream.ALERTS))) {
            String line;
            while ((line = r.readLine()) != null) {
                AlertOutput a = OutputDecoder.alert(line);
                if (a.state().equals("open")) {
                    counts.merge(fileOfSeries.getOrDefault(a.series(), "?"), 1, Integer::sum);
                }
            }
        }
        return counts;
    }
}

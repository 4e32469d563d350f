package io.streamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.streamcast.io.FileOutputSink;
import io.streamcast.io.HistoryFiles;
import io.streamcast.io.HistoryRowParser;
import io.streamcast.io.UserError;
import io.streamcast.model.anomaly.AnomalyScorer;
import io.streamcast.model.anomaly.Verdict;
import io.streamcast.pipeline.StreamcastJob;
import io.streamcast.report.SkippedRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code evaluate --nab DIR --labels FILE}: replays every file of a NAB-layout data directory
 * through the job (series = file name), turns the score stream into one anomaly score per row, and
 * scores it with NAB's cost profiles at one threshold per profile optimised over the whole corpus;
 * prints the per-profile table, per-file details and the alerts the job opened per file.
 */
final class EvaluateCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluateCommand() {}

    /**
     * evaluate's options, parsed and checked: one history file (forecast accuracy) or a NAB corpus.
     */
    record Args(
            Path input,
            int trainRows,
            int season,
            Path model,
            Path nab,
            Path labels,
            Path profiles,
            Path output) {
        static Args of(Options options) {
            Path input = options.path("input");
            Path nab = options.path("nab");
            Path labels = options.path("labels");
            if (input == null && (nab == null || labels == null)) {
                throw new UserError(
                        "evaluate needs --input FILE (forecast accuracy) or --nab DIR and --labels FILE"
                                + " (anomaly detection)");
            }
            Path profiles =
                    options.has("profiles") || nab == null
                            ? options.path("profiles")
                            : nab.toAbsolutePath().getParent().resolve("config/profiles.json");
            return new Args(
                    input,
                    options.integer("train-rows", 0, 0),
                    options.integer("season", 24, 1),
                    options.path("model"),
                    nab,
                    labels,
                    profiles,
                    options.path("output"));
        }
    }

    static int run(Options options, PrintStream out, TempFiles temp) throws Exception {
        Args args = Args.of(options);
        ReportCommand.checkFlag(options);
        int code =
                args.input() != null
                        ? forecasts(args, options, out, temp)
                        : nab(args, options, out, temp);
        ReportCommand.afterRun(options, out);
        return code;
    }

    private static int nab(Args args, Options options, PrintStream out, TempFiles temp)
            throws Exception {
        Path dataDir = args.nab();
        NabCorpus corpus = NabCorpus.load(dataDir, args.labels());
        Map<String, CostProfile> costs = CostProfile.loadAll(args.profiles());
        Path output = args.output() != null ? args.output() : temp.directory("streamcast-nab");

        StreamcastConfig config = BackfillCommand.config(options);
        Path scoresFrom = output;
        if (options.has("rescore")) {
            // The forecaster never sees the scores, so an earlier run's residuals re-scored with
            // this
            // configuration's scorer and alert tracker are exactly what a full replay would give.
            scoresFrom = options.path("rescore");
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
            if (options.has("robustness")) {
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
                args.output() != null
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
    private static int forecasts(Args args, Options options, PrintStream out, TempFiles temp)
            throws Exception {
        Path input = args.input();
        int trainRows = args.trainRows();
        int season = args.season();
        StreamcastConfig config = BackfillCommand.config(options);
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
        var model = StreamcastJob.initialModel(config, args.model());
        Path output = args.output() != null ? args.output() : temp.directory("streamcast-eval");
        BackfillCommand.replay(config, files, null, null, model, output, out);

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
                args.output() != null
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
                JsonNode s = JSON.readTree(line);
                String file = fileOfSeries.get(s.get("series").asText());
                if (file == null) {
                    continue;
                }
                long ts = java.time.Instant.parse(s.get("ts").asText()).toEpochMilli();
                JsonNode channel = s.get("channel");
                out.put(
                        rowOf.get(file),
                        file,
                        ts,
                        s.get("score").asDouble(),
                        channel == null ? "" : channel.asText());
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
                JsonNode a = JSON.readTree(line);
                if (a.get("state").asText().equals("open")) {
                    counts.merge(
                            fileOfSeries.getOrDefault(a.get("series").asText(), "?"),
                            1,
                            Integer::sum);
                }
            }
        }
        return counts;
    }
}

package io.streamcast.cli;

import io.streamcast.eval.nab.CostProfile;
import io.streamcast.eval.nab.NabBenchmark;
import io.streamcast.eval.nab.NabProtocol;
import io.streamcast.eval.nab.NabProtocol.CrossValidation;
import io.streamcast.eval.nab.NabProtocol.FalseDetections;
import io.streamcast.eval.nab.NabProtocol.Fold;
import io.streamcast.eval.nab.NabResult;
import io.streamcast.model.anomaly.AnomalyScorer;
import io.streamcast.model.anomaly.AnomalyScorerConfig;
import io.streamcast.model.anomaly.ScorerConstants;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Prints the development protocol of {@code evaluate --nab} (docs/anomaly-scoring.md, "Protocol"):
 * the leave-one-category-out score of every profile with the standard profile's folds, false
 * detections per 10,000 scored readings per file and per channel; and with {@code --robustness},
 * re-scoring the run's own residuals in memory, the held-out score with {@code alerts.threshold}
 * chosen per fold too and the robustness table (the development and held-out standard scores with
 * each scorer parameter halved and doubled).
 */
final class ProtocolReport {

    /** A file with more false detections per 10,000 scored readings than this is marked. */
    static final double FALSE_DETECTION_BOUND = 5;

    private ProtocolReport() {}

    static void print(
            PrintStream out,
            NabBenchmark benchmark,
            Map<String, NabResult> results,
            Map<String, CostProfile> costs,
            EvaluateCommand.RowScores rows) {
        out.println("Held out: leave one category out (threshold chosen on the other categories)");
        out.printf("%-22s %12s %12s%n", "profile", "development", "held-out");
        CrossValidation standard = null;
        for (Map.Entry<String, NabResult> e : results.entrySet()) {
            CrossValidation cv =
                    NabProtocol.leaveOneCategoryOut(
                            benchmark, rows.scores(), costs.get(e.getKey()));
            if (e.getKey().equals("standard")) {
                standard = cv;
            }
            out.printf(
                    java.util.Locale.ROOT,
                    "%-22s %12.2f %12.2f%n",
                    e.getKey(),
                    e.getValue().normalisedScore(),
                    cv.normalisedScore());
        }
        if (standard != null) {
            out.println("  standard, per held-out category:");
            for (Fold f : standard.folds()) {
                out.printf(
                        java.util.Locale.ROOT,
                        "    %-24s threshold %.6f  windows %2d/%-2d  raw %8.4f%n",
                        f.category(),
                        f.threshold(),
                        f.windowsDetected(),
                        f.windows(),
                        f.rawScore());
            }
        }
        NabResult r = results.get("standard");
        if (r == null) {
            return;
        }
        out.println();
        out.printf(
                java.util.Locale.ROOT,
                "False detections at the standard threshold %.6f (after probation, outside windows):%n",
                r.threshold());
        for (FalseDetections f :
                NabProtocol.perFile(benchmark.corpus(), rows.scores(), r.threshold())) {
            out.printf(
                    java.util.Locale.ROOT,
                    "  %-55s %4d in %6d readings, %5.2f per 10,000%s%n",
                    f.name(),
                    f.detections(),
                    f.scoredRows(),
                    f.per10k(),
                    f.per10k() > FALSE_DETECTION_BOUND
                            ? "  (over " + FALSE_DETECTION_BOUND + ")"
                            : "");
        }
        out.println("  by channel, over all files:");
        for (FalseDetections f :
                NabProtocol.perChannel(
                        benchmark.corpus(), rows.scores(), rows.channels(), r.threshold())) {
            out.printf(
                    java.util.Locale.ROOT,
                    "    %-12s %4d (%.2f per 10,000 readings)%n",
                    f.name(),
                    f.detections(),
                    f.per10k());
        }
    }

    /**
     * Multiples of the configured threshold's surprise among which the nested held-out score
     * chooses.
     */
    static final double[] THRESHOLD_GRID = {0.8, 0.9, 1.0, 1.1, 1.25};

    /** One robustness variant: a name and the scorer it stands for. */
    record Variant(String name, AnomalyScorer scorer) {}

    /**
     * The scorer with each parameter of its configuration and each internal constant halved and
     * doubled.
     */
    static List<Variant> variants(AnomalyScorerConfig c) {
        List<Variant> out = new ArrayList<>();
        ScorerConstants k = ScorerConstants.defaults();
        out.add(new Variant("as configured", new AnomalyScorer(c, k)));
        double surprise = AnomalyScorer.surpriseOf(c.threshold());
        for (double f : new double[] {0.5, 2}) {
            String x = f == 0.5 ? " x0.5" : " x2";
            int shortWindow = Math.max(1, (int) Math.round(c.shortWindow() * f));
            out.add(
                    new Variant(
                            "shortWindow" + x,
                            new AnomalyScorer(
                                    new AnomalyScorerConfig(
                                            shortWindow,
                                            Math.max(c.longTermWindow(), shortWindow),
                                            Math.max(c.warmup(), shortWindow),
                                            c.threshold(),
                                            c.suppression()),
                                    k)));
            out.add(
                    new Variant(
                            "longTermWindow" + x,
                            new AnomalyScorer(
                                    new AnomalyScorerConfig(
                                            c.shortWindow(),
                                            Math.max(
                                                    c.shortWindow(),
                                                    (int) Math.round(c.longTermWindow() * f)),
                                            c.warmup(),
                                            c.threshold(),
                                            c.suppression()),
                                    k)));
            out.add(
                    new Variant(
                            "warmup" + x,
                            new AnomalyScorer(
                                    new AnomalyScorerConfig(
                                            c.shortWindow(),
                                            c.longTermWindow(),
                                            Math.max(
                                                    c.shortWindow(),
                                                    (int) Math.round(c.warmup() * f)),
                                            c.threshold(),
                                            c.suppression()),
                                    k)));
            out.add(
                    new Variant(
                            "suppression" + x,
                            new AnomalyScorer(
                                    new AnomalyScorerConfig(
                                            c.shortWindow(),
                                            c.longTermWindow(),
                                            c.warmup(),
                                            c.threshold(),
                                            (int) Math.round(c.suppression() * f)),
                                    k)));
            out.add(
                    new Variant(
                            "threshold (surprise)" + x,
                            new AnomalyScorer(
                                    new AnomalyScorerConfig(
                                            c.shortWindow(),
                                            c.longTermWindow(),
                                            c.warmup(),
                                            AnomalyScorer.scoreOf(surprise * f),
                                            c.suppression()),
                                    k)));
            for (String name : ScorerConstants.names()) {
                out.add(new Variant(name + x, new AnomalyScorer(c, k.scaled(name, f))));
            }
        }
        return out;
    }

    static void robustness(
            PrintStream out,
            NabBenchmark benchmark,
            CostProfile standard,
            AnomalyScorerConfig config,
            Map<String, Rescore.Checked> checked,
            BiFunction<Map<String, Rescore.Checked>, AnomalyScorer, EvaluateCommand.RowScores>
                    rescore) {
        double surprise = AnomalyScorer.surpriseOf(config.threshold());
        List<Map<String, double[]>> candidates = new ArrayList<>();
        for (double f : THRESHOLD_GRID) {
            AnomalyScorerConfig c =
                    new AnomalyScorerConfig(
                            config.shortWindow(),
                            config.longTermWindow(),
                            config.warmup(),
                            AnomalyScorer.scoreOf(surprise * f),
                            config.suppression());
            candidates.add(rescore.apply(checked, new AnomalyScorer(c)).scores());
        }
        CrossValidation nested = NabProtocol.leaveOneCategoryOut(benchmark, candidates, standard);
        out.printf(
                java.util.Locale.ROOT,
                "Held out with alerts.threshold chosen per fold too (surprise x %s of the configured):"
                        + " standard %.2f%n",
                java.util.Arrays.toString(THRESHOLD_GRID),
                nested.normalisedScore());
        for (Fold f : nested.folds()) {
            out.printf(
                    java.util.Locale.ROOT,
                    "    %-24s surprise x%-5s threshold %.6f  windows %2d/%-2d  raw %8.4f%n",
                    f.category(),
                    THRESHOLD_GRID[f.candidate()],
                    f.threshold(),
                    f.windowsDetected(),
                    f.windows(),
                    f.rawScore());
        }
        out.println();
        out.println(
                "Robustness: this run's residuals re-scored with each scorer parameter halved and"
                        + " doubled (standard profile)");
        out.printf(
                "  %-26s %11s %9s %8s %9s %14s%n",
                "variant",
                "development",
                "held-out",
                "windows",
                "false det",
                "files over " + (int) FALSE_DETECTION_BOUND);
        for (Variant v : variants(config)) {
            EvaluateCommand.RowScores rows = rescore.apply(checked, v.scorer());
            NabResult r = benchmark.evaluate(rows.scores(), standard);
            CrossValidation cv =
                    NabProtocol.leaveOneCategoryOut(benchmark, rows.scores(), standard);
            List<FalseDetections> fd =
                    NabProtocol.perFile(benchmark.corpus(), rows.scores(), r.threshold());
            int total = fd.stream().mapToInt(FalseDetections::detections).sum();
            long over = fd.stream().filter(f -> f.per10k() > FALSE_DETECTION_BOUND).count();
            out.printf(
                    java.util.Locale.ROOT,
                    "  %-26s %11.2f %9.2f %4d/%-3d %9d %14d%n",
                    v.name(),
                    r.normalisedScore(),
                    cv.normalisedScore(),
                    r.windowsDetected(),
                    r.windowsDetected() + r.windowsMissed(),
                    total,
                    over);
        }
    }
}

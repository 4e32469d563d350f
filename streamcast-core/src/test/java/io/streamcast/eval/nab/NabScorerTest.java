package io.streamcast.eval.nab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamcast.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Golden tests of the NAB scorer against the published results of NAB's {@code numenta} detector
 * (shared/data/nab/reference_results), plus NAB's normalisation anchors.
 */
@Tag("dev-data")
class NabScorerTest {

    /** Published scores carry 12 significant digits. */
    private static final double TOLERANCE = 1e-6;

    private static Path nabDir;
    private static NabCorpus corpus;
    private static Map<String, CostProfile> profiles;

    @BeforeAll
    static void loadCorpus() throws IOException {
        nabDir =
                System.getProperty("streamcast.nab.dir") != null
                        ? Path.of(System.getProperty("streamcast.nab.dir"))
                        : Repository.path("../shared/data/nab");
        // The golden files are the maintainers' development data, not shipped with the repository.
        assumeTrue(
                Files.isDirectory(nabDir),
                "skipped: NAB development data not found at "
                        + nabDir.toAbsolutePath()
                        + " (it sits in ../shared beside a maintainer's clone; set -Dstreamcast.nab.dir)");
        corpus =
                NabCorpus.load(
                        nabDir.resolve("data"), nabDir.resolve("labels/windows_shared.json"));
        profiles = CostProfile.loadAll(nabDir.resolve("config/profiles.json"));
    }

    @Test
    void reproducesPublishedPerFileAndPerRowScoresOfNumentaDetector() throws IOException {
        NabCsv published =
                NabCsv.read(
                        nabDir.resolve(
                                "reference_results/numenta/numenta_published_per_file_scores_shared.csv"));
        String[] detector = column(published, "Detector");
        String[] profile = column(published, "Profile");
        String[] file = column(published, "File");
        double[] threshold = published.doubles("Threshold");
        double[] expected = published.doubles("Score");
        assertTrue(published.rows() > 0);

        double maxFileDiff = 0;
        double maxRowDiff = 0;
        int rowsChecked = 0;
        for (int r = 0; r < published.rows(); r++) {
            NabDataFile data = corpus.file(file[r]);
            NabCsv results = NabCsv.read(resultsFile(detector[r], file[r]));
            assertArrayEquals(
                    data.timestamps(), results.timestamps("timestamp"), "timestamps of " + file[r]);
            assertArrayEquals(
                    data.labels(), toInts(results.doubles("label")), "labels of " + file[r]);

            FileScore score =
                    new NabScorer(profiles.get(profile[r]))
                            .scoreFile(data, results.doubles("anomaly_score"), threshold[r]);
            double diff = Math.abs(score.score() - expected[r]);
            maxFileDiff = Math.max(maxFileDiff, diff);
            assertEquals(expected[r], score.score(), TOLERANCE, profile[r] + " " + file[r]);
            assertEquals(
                    Arrays.stream(score.rowScores()).sum(),
                    score.score(),
                    1e-9,
                    "row scores add up");

            String column = "S(t)_" + profile[r];
            if (results.hasColumn(column)) {
                double[] rowExpected = results.doubles(column);
                for (int i = 0; i < rowExpected.length; i++) {
                    maxRowDiff =
                            Math.max(maxRowDiff, Math.abs(score.rowScores()[i] - rowExpected[i]));
                    assertEquals(
                            rowExpected[i],
                            score.rowScores()[i],
                            TOLERANCE,
                            column + " of " + file[r] + " row " + i);
                }
                rowsChecked += rowExpected.length;
            }
        }
        System.out.printf(
                "NAB golden: %d per-file scores, max |diff| %.3g; %d S(t) rows, max |diff| %.3g%n",
                published.rows(), maxFileDiff, rowsChecked, maxRowDiff);
        assertTrue(rowsChecked > 0, "reference files carry S(t) columns");
    }

    @Test
    void nullDetectorNormalisesToZero() {
        NabBenchmark benchmark = new NabBenchmark(corpus);
        for (CostProfile p : profiles.values()) {
            for (double constant : new double[] {0.0, 0.5, 1.0}) {
                NabResult r = benchmark.evaluate(constantScores(constant), p);
                assertEquals(0.0, r.normalisedScore(), 1e-9, p.name() + " constant " + constant);
            }
        }
    }

    @Test
    void perfectDetectorScoresHundred() {
        Map<String, double[]> perfect = new HashMap<>();
        for (NabDataFile f : corpus.files().values()) {
            double[] s = new double[f.rows()];
            f.windows().forEach(w -> s[w.start()] = 1.0);
            perfect.put(f.relativePath(), s);
        }
        Map<String, NabResult> results =
                new NabBenchmark(corpus).evaluateAll(perfect, profiles.values());
        for (NabResult r : results.values()) {
            assertEquals(100.0, r.normalisedScore(), 1e-9, r.profile().name());
            assertEquals(corpus.totalWindows(), r.windowsDetected());
            assertEquals(0, r.falsePositives());
        }
        String report = NabReport.render(results);
        assertTrue(
                report.contains("reward_low_FN_rate")
                        && report.contains("realTraffic/speed_7578.csv"),
                report);
    }

    @Tag("slow")
    @Test
    void optimisedThresholdIsTheBestOfEveryDistinctThreshold() throws IOException {
        // Two-file corpus with real detector output: brute force over every distinct score.
        Map<String, NabDataFile> files = new HashMap<>();
        Map<String, double[]> scores = new HashMap<>();
        for (String f : List.of("realTraffic/occupancy_6005.csv", "realTraffic/speed_7578.csv")) {
            files.put(f, corpus.file(f));
            scores.put(f, NabCsv.read(resultsFile("numenta", f)).doubles("anomaly_score"));
        }
        NabBenchmark benchmark = new NabBenchmark(new NabCorpus(files));
        for (CostProfile p : profiles.values()) {
            NabScorer scorer = new NabScorer(p);
            TreeSet<Double> candidates = new TreeSet<>();
            scores.values().forEach(s -> Arrays.stream(s).forEach(candidates::add));
            candidates.add(NabScorer.START_THRESHOLD);
            double bruteBest = Double.NEGATIVE_INFINITY;
            for (double t : candidates.descendingSet()) {
                double total = 0;
                for (String f : files.keySet()) {
                    total += scorer.scoreFile(files.get(f), scores.get(f), t).score();
                }
                bruteBest = Math.max(bruteBest, total);
            }
            NabResult r = benchmark.evaluate(scores, p);
            assertEquals(bruteBest, r.rawScore(), 1e-9, p.name());
            assertEquals(
                    r.rawScore(),
                    benchmark.evaluateAt(scores, p, r.threshold()).rawScore(),
                    0.0,
                    p.name());
            assertEquals(
                    benchmark.optimiseThreshold(scores, p).score(), r.rawScore(), 1e-9, p.name());
        }
    }

    @Test
    void scaledSigmoidMatchesNabAnchors() {
        assertEquals(0.98661, NabScorer.scaledSigmoid(-1.0), 1e-5);
        assertEquals(0.84828, NabScorer.scaledSigmoid(-0.5), 1e-5);
        assertEquals(0.0, NabScorer.scaledSigmoid(0.0), 0.0);
        assertEquals(-0.98661, NabScorer.scaledSigmoid(1.0), 1e-5);
        assertEquals(-1.0, NabScorer.scaledSigmoid(3.5), 0.0);
    }

    @Test
    void probationIsFifteenPercentCappedAt750Rows() {
        assertEquals(169, NabScorer.probationaryLength(1127, 0.15)); // floor(169.05)
        assertEquals(357, NabScorer.probationaryLength(2380, 0.15));
        assertEquals(
                750,
                NabScorer.probationaryLength(7267, 0.15)); // floor(1090.05) capped at 0.15 * 5000
        assertEquals(0, NabScorer.probationaryLength(6, 0.15));
    }

    private static Path resultsFile(String detector, String relativePath) {
        Path p = Path.of(relativePath);
        String dir = p.getParent() == null ? "" : p.getParent().toString();
        return nabDir.resolve("reference_results")
                .resolve(detector)
                .resolve(dir)
                .resolve(detector + "_" + p.getFileName());
    }

    private static Map<String, double[]> constantScores(double value) {
        Map<String, double[]> out = new HashMap<>();
        for (NabDataFile f : corpus.files().values()) {
            double[] s = new double[f.rows()];
            Arrays.fill(s, value);
            out.put(f.relativePath(), s);
        }
        return out;
    }

    private static String[] column(NabCsv csv, String name) {
        return csv.text(name);
    }

    private static int[] toInts(double[] v) {
        return Arrays.stream(v).mapToInt(x -> (int) x).toArray();
    }
}

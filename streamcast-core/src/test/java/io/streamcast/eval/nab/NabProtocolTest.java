package io.streamcast.eval.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamcast.eval.nab.NabProtocol.CrossValidation;
import io.streamcast.eval.nab.NabProtocol.FalseDetections;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The development protocol's numbers on a two-category corpus small enough to check by hand. */
class NabProtocolTest {

    private static final CostProfile STANDARD = new CostProfile("standard", 1, 0.11, 1, 1);

    /** 100 rows at 5-minute steps with one window. */
    private static NabDataFile file(String path, int start, int end) {
        LocalDateTime[] ts = new LocalDateTime[100];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = LocalDateTime.of(2026, 1, 1, 0, 0).plusMinutes(5L * i);
        }
        return new NabDataFile(path, ts, new double[100], List.of(new NabWindow(start, end)));
    }

    private static double[] detections(int... rows) {
        double[] s = new double[100];
        for (int r : rows) {
            s[r] = 0.9;
        }
        return s;
    }

    private final NabCorpus corpus =
            new NabCorpus(
                    Map.of(
                            "catA/f1.csv", file("catA/f1.csv", 60, 70),
                            "catB/f2.csv", file("catB/f2.csv", 80, 90)));

    @Test
    void whenEveryFoldChoosesTheCorpusThresholdTheHeldOutScoreIsTheDevelopmentScore() {
        Map<String, double[]> scores =
                Map.of("catA/f1.csv", detections(30, 62), "catB/f2.csv", detections(85));
        NabBenchmark benchmark = new NabBenchmark(corpus);
        CrossValidation cv = NabProtocol.leaveOneCategoryOut(benchmark, scores, STANDARD);
        NabResult dev = benchmark.evaluate(scores, STANDARD);
        assertEquals(dev.normalisedScore(), cv.normalisedScore(), 1e-9);
        assertEquals(List.of("catA", "catB"), cv.folds().stream().map(f -> f.category()).toList());
        assertEquals(2, cv.windowsDetected());
    }

    @Test
    void aFoldIsScoredAtTheSettingTheOtherFoldsPrefer() {
        // Candidate 1 finds catB's window but not catA's: catA's fold must take it (chosen on
        // catB).
        Map<String, double[]> first =
                Map.of("catA/f1.csv", detections(62), "catB/f2.csv", detections());
        Map<String, double[]> second =
                Map.of("catA/f1.csv", detections(), "catB/f2.csv", detections(85));
        CrossValidation cv =
                NabProtocol.leaveOneCategoryOut(
                        new NabBenchmark(corpus), List.of(first, second), STANDARD);
        assertEquals(1, cv.folds().get(0).candidate());
        assertEquals(0, cv.folds().get(1).candidate());
        assertEquals(0, cv.windowsDetected());
    }

    @Test
    void falseDetectionsCountRowsAfterProbationOutsideWindowsPer10kScoredRows() {
        // Probation is 15 rows of 100: row 10 is not counted, rows 30 and 40 are, row 62 is a hit.
        Map<String, double[]> scores =
                Map.of("catA/f1.csv", detections(10, 30, 40, 62), "catB/f2.csv", detections());
        List<FalseDetections> perFile = NabProtocol.perFile(corpus, scores, 0.5);
        assertEquals(2, perFile.get(0).detections());
        assertEquals(85, perFile.get(0).scoredRows());
        assertEquals(2 * 10_000.0 / 85, perFile.get(0).per10k(), 1e-9);
        assertEquals(0, perFile.get(1).detections());

        String[] channels = new String[100];
        channels[30] = "flat";
        channels[40] = "change";
        List<FalseDetections> perChannel =
                NabProtocol.perChannel(
                        corpus,
                        scores,
                        Map.of("catA/f1.csv", channels, "catB/f2.csv", new String[100]),
                        0.5);
        assertEquals(
                List.of("change", "flat"), perChannel.stream().map(FalseDetections::name).toList());
        assertEquals(170, perChannel.get(0).scoredRows());
    }
}

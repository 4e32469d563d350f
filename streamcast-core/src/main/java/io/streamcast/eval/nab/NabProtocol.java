package io.streamcast.eval.nab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The development protocol's held-out numbers for a detector's scores on a {@link NabCorpus}:
 * leave-one-category-out cross-validation (each category scored at the threshold NAB's optimiser
 * picks on the other categories) and false detections per 10,000 scored readings, per file and per
 * channel.
 *
 * <p>Implementation notes. A category is a file's folder ({@code realTweets}, {@code
 * artificialNoAnomaly}, ...). The cross-validated score sums each fold's raw score at its held-out
 * threshold and normalises the sum as NAB normalises a whole run (against the corpus' null and
 * perfect detectors), so it reads on the same scale as the development score and equals it when
 * every fold happens to get the corpus-wide threshold. A false detection is a row after the
 * probationary period, outside every window, scoring at or above the threshold; the scorer holds
 * its score below the threshold after a detection, so rows and detections coincide.
 */
public final class NabProtocol {

    private NabProtocol() {}

    /** One held-out fold: its category, the threshold chosen without it, and its result there. */
    public record Fold(
            String category,
            int candidate,
            double threshold,
            double rawScore,
            int windowsDetected,
            int windows) {}

    /** Leave-one-category-out result: the folds and the normalised sum of their raw scores. */
    public record CrossValidation(List<Fold> folds, double normalisedScore) {
        public int windowsDetected() {
            return folds.stream().mapToInt(Fold::windowsDetected).sum();
        }
    }

    /** False detections of one file (or channel) after probation, outside windows. */
    public record FalseDetections(String name, int detections, int scoredRows) {
        /** Detections per 10,000 scored rows (rows after the probationary period). */
        public double per10k() {
            return scoredRows == 0 ? 0 : detections * 10_000.0 / scoredRows;
        }
    }

    /**
     * The folder of a relative path ({@code realTweets/Twitter_volume_AAPL.csv} gives {@code
     * realTweets}).
     */
    public static String category(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        return slash < 0 ? "" : relativePath.substring(0, slash);
    }

    /** Leave-one-category-out cross-validation of {@code scores} for one profile. */
    public static CrossValidation leaveOneCategoryOut(
            NabBenchmark benchmark, Map<String, double[]> scores, CostProfile profile) {
        return leaveOneCategoryOut(benchmark, List.of(scores), profile);
    }

    /**
     * Leave-one-category-out cross-validation that also chooses among {@code candidates} (the
     * scores of one detector under several settings) without the held-out fold: per fold, the
     * candidate and threshold with the best score on the other categories.
     */
    public static CrossValidation leaveOneCategoryOut(
            NabBenchmark benchmark, List<Map<String, double[]>> candidates, CostProfile profile) {
        NabCorpus corpus = benchmark.corpus();
        Map<String, Map<String, NabDataFile>> byCategory = new TreeMap<>();
        for (NabDataFile f : corpus.files().values()) {
            byCategory
                    .computeIfAbsent(category(f.relativePath()), k -> new TreeMap<>())
                    .put(f.relativePath(), f);
        }
        List<Fold> folds = new ArrayList<>();
        double raw = 0;
        for (Map.Entry<String, Map<String, NabDataFile>> held : byCategory.entrySet()) {
            Map<String, NabDataFile> rest = new TreeMap<>(corpus.files());
            rest.keySet().removeAll(held.getValue().keySet());
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(
                        "cross-validation needs at least two categories, the corpus has only "
                                + held.getKey());
            }
            NabBenchmark training = new NabBenchmark(new NabCorpus(rest));
            int best = -1;
            ThresholdScore chosen = null;
            for (int c = 0; c < candidates.size(); c++) {
                ThresholdScore t =
                        training.optimiseThreshold(subset(candidates.get(c), rest), profile);
                if (chosen == null || t.score() > chosen.score()) {
                    chosen = t;
                    best = c;
                }
            }
            NabResult r =
                    new NabBenchmark(new NabCorpus(held.getValue()))
                            .evaluateAt(
                                    subset(candidates.get(best), held.getValue()),
                                    profile,
                                    chosen.threshold());
            raw += r.rawScore();
            folds.add(
                    new Fold(
                            held.getKey(),
                            best,
                            chosen.threshold(),
                            r.rawScore(),
                            r.windowsDetected(),
                            r.windowsDetected() + r.windowsMissed()));
        }
        double nullScore = benchmark.nullScore(profile);
        double perfect = corpus.totalWindows() * profile.tpWeight();
        return new CrossValidation(folds, 100 * (raw - nullScore) / (perfect - nullScore));
    }

    /** False detections per file at {@code threshold}, in path order. */
    public static List<FalseDetections> perFile(
            NabCorpus corpus, Map<String, double[]> scores, double threshold) {
        List<FalseDetections> out = new ArrayList<>();
        for (NabDataFile f : corpus.files().values()) {
            double[] s = scores.get(f.relativePath());
            int[] labels = f.labels();
            int probation = f.probationaryLength(NabScorer.DEFAULT_PROBATION_PERCENT);
            int fp = 0;
            for (int i = probation; i < f.rows(); i++) {
                if (labels[i] == 0 && s[i] >= threshold) {
                    fp++;
                }
            }
            out.add(new FalseDetections(f.relativePath(), fp, f.rows() - probation));
        }
        return out;
    }

    /**
     * False detections at {@code threshold} by the channel that gave them ({@code channels}: one
     * name per row, as the scores stream writes it), over all files; scored rows are the corpus'.
     */
    public static List<FalseDetections> perChannel(
            NabCorpus corpus,
            Map<String, double[]> scores,
            Map<String, String[]> channels,
            double threshold) {
        Map<String, Integer> counts = new TreeMap<>();
        int scored = 0;
        for (NabDataFile f : corpus.files().values()) {
            double[] s = scores.get(f.relativePath());
            String[] c = channels.get(f.relativePath());
            int[] labels = f.labels();
            int probation = f.probationaryLength(NabScorer.DEFAULT_PROBATION_PERCENT);
            scored += f.rows() - probation;
            for (int i = probation; i < f.rows(); i++) {
                if (labels[i] == 0 && s[i] >= threshold) {
                    String name = c == null || c[i] == null || c[i].isEmpty() ? "?" : c[i];
                    counts.merge(name, 1, Integer::sum);
                }
            }
        }
        List<FalseDetections> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            out.add(new FalseDetections(e.getKey(), e.getValue(), scored));
        }
        return out;
    }

    private static Map<String, double[]> subset(
            Map<String, double[]> scores, Map<String, NabDataFile> files) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String f : files.keySet()) {
            out.put(f, scores.get(f));
        }
        return out;
    }
}

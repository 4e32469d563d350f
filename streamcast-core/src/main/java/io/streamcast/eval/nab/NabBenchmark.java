package io.streamcast.eval.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs NAB's benchmark procedure for a detector's outputs on a {@link NabCorpus}: one threshold per
 * profile optimised over the whole corpus, per-file scores at that threshold, and NAB's
 * normalisation against the null and the perfect detector.
 *
 * <p>Implementation notes. As in NAB's {@code optimizer.py}, the sweep points of all files are
 * swept together and the first entry with the highest score wins (Python's stable sort by score,
 * descending, keeps the highest threshold among ties). The raw score is then the sum of {@link
 * NabScorer#scoreFile} over the files at that threshold, as NAB's "Totals" row. The null baseline
 * is NAB's null detector (a constant 0.5 on every row) put through the same procedure; the perfect
 * score is one full true positive per labelled window, as in NAB's {@code runner.normalize}. Usage:
 *
 * <pre>{@code
 * NabCorpus corpus = NabCorpus.load(dataDir, labelsJson);
 * Map<String, CostProfile> profiles = CostProfile.loadAll(profilesJson);
 * NabResult r = new NabBenchmark(corpus).evaluate(scoresByFile, profiles.get("standard"));
 * }</pre>
 */
public final class NabBenchmark {

    /** The constant output of NAB's null detector. */
    static final double NULL_DETECTOR_SCORE = 0.5;

    private final NabCorpus corpus;
    private final double probationPercent;
    private final Map<String, Double> nullScores = new HashMap<>();

    public NabBenchmark(NabCorpus corpus) {
        this(corpus, NabScorer.DEFAULT_PROBATION_PERCENT);
    }

    public NabBenchmark(NabCorpus corpus, double probationPercent) {
        this.corpus = corpus;
        this.probationPercent = probationPercent;
    }

    public NabCorpus corpus() {
        return corpus;
    }

    /**
     * Scores a detector for one profile.
     *
     * @param anomalyScores one score in [0, 1] per row, for every file of the corpus (by relative
     *     path)
     * @throws IllegalArgumentException if files are missing or unknown, or a series has the wrong
     *     length
     */
    public NabResult evaluate(Map<String, double[]> anomalyScores, CostProfile profile) {
        requireCoversCorpus(anomalyScores);
        double threshold =
                optimise(new NabScorer(profile, probationPercent), anomalyScores).threshold();
        return evaluateAt(anomalyScores, profile, threshold);
    }

    /**
     * Scores a detector for one profile at a given threshold instead of the optimised one, e.g. the
     * threshold NAB published for the full corpus.
     */
    public NabResult evaluateAt(
            Map<String, double[]> anomalyScores, CostProfile profile, double threshold) {
        requireCoversCorpus(anomalyScores);
        NabScorer scorer = new NabScorer(profile, probationPercent);
        Map<String, FileScore> files = new TreeMap<>();
        double raw = 0;
        for (NabDataFile f : corpus.files().values()) {
            FileScore s = scorer.scoreFile(f, anomalyScores.get(f.relativePath()), threshold);
            files.put(f.relativePath(), s);
            raw += s.score();
        }
        double nullScore = nullScore(profile);
        double perfect = corpus.totalWindows() * profile.tpWeight();
        double normalised = 100 * (raw - nullScore) / (perfect - nullScore);
        return new NabResult(profile, threshold, raw, normalised, nullScore, perfect, files);
    }

    /** {@link #evaluate} for each profile, in the given order, keyed by profile name. */
    public Map<String, NabResult> evaluateAll(
            Map<String, double[]> anomalyScores, Collection<CostProfile> profiles) {
        Map<String, NabResult> out = new LinkedHashMap<>();
        for (CostProfile p : profiles) {
            out.put(p.name(), evaluate(anomalyScores, p));
        }
        return out;
    }

    /** NAB's optimiser: the sweep entry with the highest corpus-wide score. */
    public ThresholdScore optimiseThreshold(
            Map<String, double[]> anomalyScores, CostProfile profile) {
        requireCoversCorpus(anomalyScores);
        return optimise(new NabScorer(profile, probationPercent), anomalyScores);
    }

    /** Raw score of NAB's null detector for the profile (cached: it depends only on the corpus). */
    public double nullScore(CostProfile profile) {
        return nullScores.computeIfAbsent(
                profile.name(),
                k -> {
                    NabScorer scorer = new NabScorer(profile, probationPercent);
                    Map<String, double[]> constant = new HashMap<>();
                    for (NabDataFile f : corpus.files().values()) {
                        double[] s = new double[f.rows()];
                        Arrays.fill(s, NULL_DETECTOR_SCORE);
                        constant.put(f.relativePath(), s);
                    }
                    double threshold = optimise(scorer, constant).threshold();
                    double total = 0;
                    for (NabDataFile f : corpus.files().values()) {
                        total +=
                                scorer.scoreFile(f, constant.get(f.relativePath()), threshold)
                                        .score();
                    }
                    return total;
                });
    }

    private ThresholdScore optimise(NabScorer scorer, Map<String, double[]> anomalyScores) {
        List<SweepPoint> all = new ArrayList<>();
        for (NabDataFile f : corpus.files().values()) {
            all.addAll(scorer.sweep(f, anomalyScores.get(f.relativePath())));
        }
        ThresholdScore best = null;
        for (ThresholdScore s : scorer.scoresByThreshold(all)) {
            if (best == null || s.score() > best.score()) {
                best = s;
            }
        }
        return best;
    }

    private void requireCoversCorpus(Map<String, double[]> anomalyScores) {
        TreeSet<String> missing = new TreeSet<>(corpus.files().keySet());
        missing.removeAll(anomalyScores.keySet());
        TreeSet<String> unknown = new TreeSet<>(anomalyScores.keySet());
        unknown.removeAll(corpus.files().keySet());
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            // NAB's threshold and normalisation are corpus-wide, so a partial run is not a NAB
            // score.
            throw new IllegalArgumentException(
                    "anomaly scores must cover exactly the corpus files; missing "
                            + missing
                            + ", unknown "
                            + unknown);
        }
    }
}

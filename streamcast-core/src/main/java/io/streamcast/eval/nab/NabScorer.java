package io.streamcast.eval.nab;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores anomaly-score series against labelled windows exactly as NAB v1.x does (numenta/NAB {@code
 * nab/sweeper.py} at the commit our data comes from), for one cost profile.
 *
 * <p>Implementation notes. NAB's sweep gives every row the value it would add if it were a
 * detection. Inside a window the value is {@code scaledSigmoid(-(end - i + 1) / width) * tp /
 * maxTP} (the first row earns exactly tpWeight, later rows less); outside, a row after a window
 * earns {@code scaledSigmoid(|prevEnd - i| / (prevWidth - 1)) * fp} and a row before any window
 * {@code -fp}, where {@code scaledSigmoid(y) = 2/(1+e^{5y}) - 1} (and -1 for y &gt; 3). Rows of the
 * probationary period ({@code min(floor(0.15 n), 0.15 * 5000)} rows) are dropped. The remaining
 * rows, sorted by anomaly score descending (stable, as Python's sort), are then swept: each window
 * starts at -fnWeight and takes the max value of its detected rows, false positives add up, and the
 * total is recorded once per distinct anomaly score, i.e. for every threshold at which the set of
 * detections changes. Scoring one file at a given threshold picks the sweep entry NAB's {@code
 * scoreDataSet} picks. Floating-point evaluation order follows NAB's so results agree to the last
 * few ulps.
 *
 * <p>Two inputs on which NAB itself fails get a defined answer here: a threshold below every score
 * (NAB returns no row) scores with all rows detected, and a false positive after a one-row window
 * (NAB divides by zero) counts as far from the window (-fpWeight).
 */
public final class NabScorer {

    /** NAB's default share of each file that is probationary. */
    public static final double DEFAULT_PROBATION_PERCENT = 0.15;

    /** Sweep start: above every valid score, so the first entry is "nothing detected". */
    static final double START_THRESHOLD = 1.1;

    private static final double MAX_TP = scaledSigmoid(-1.0);

    private final CostProfile profile;
    private final double probationPercent;

    public NabScorer(CostProfile profile) {
        this(profile, DEFAULT_PROBATION_PERCENT);
    }

    public NabScorer(CostProfile profile, double probationPercent) {
        if (!(probationPercent >= 0 && probationPercent < 1)) {
            throw new IllegalArgumentException(
                    "probationPercent must be in [0, 1), got " + probationPercent);
        }
        this.profile = profile;
        this.probationPercent = probationPercent;
    }

    public CostProfile profile() {
        return profile;
    }

    /**
     * NAB's probationary length: {@code min(floor(p * rows), p * 5000)}, i.e. 15% of the file and
     * at most 750 rows with the default p. Rows with index below it are not scored.
     */
    public static int probationaryLength(int rows, double probationPercent) {
        double length = Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
        // NAB compares the row index i >= length; for a fractional length that is i >=
        // ceil(length).
        return (int) Math.ceil(length);
    }

    /**
     * NAB's scaled sigmoid: 2/(1+e^{5y}) - 1 for a relative position y, and -1 for y &gt; 3. y = -1
     * is a window's first row (0.9866), 0 its right edge, positive values lie after it.
     */
    public static double scaledSigmoid(double relativePosition) {
        if (relativePosition > 3.0) {
            return -1.0;
        }
        return 2 * sigmoid(-5 * relativePosition) - 1.0;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** NAB's {@code calcSweepScore}: one {@link SweepPoint} per row of the file. */
    public List<SweepPoint> sweep(NabDataFile file, double[] anomalyScores) {
        int n = file.rows();
        if (anomalyScores.length != n) {
            throw new IllegalArgumentException(
                    file.relativePath()
                            + ": "
                            + anomalyScores.length
                            + " anomaly scores for "
                            + n
                            + " rows");
        }
        int probation = probationaryLength(n, probationPercent);
        List<NabWindow> windows = file.windows();
        List<SweepPoint> points = new ArrayList<>(n);
        int next = 0; // next window to enter
        NabWindow current = null;
        String currentName = null;
        NabWindow previous = null;
        for (int i = 0; i < n; i++) {
            double score = anomalyScores[i];
            if (!(score >= 0 && score <= 1)) {
                throw new IllegalArgumentException(
                        file.relativePath()
                                + ": anomaly score of row "
                                + i
                                + " is "
                                + score
                                + ", expected a number in [0, 1]");
            }
            if (next < windows.size() && i == windows.get(next).start()) {
                current = windows.get(next++);
                currentName = file.relativePath() + "|" + file.timestamps()[current.start()];
            }
            double weighted;
            if (current != null) {
                double position = -(double) (current.end() - i + 1) / current.width();
                weighted = scaledSigmoid(position) * profile.tpWeight() / MAX_TP;
            } else if (previous == null) {
                weighted = -1.0 * profile.fpWeight();
            } else {
                double position = Math.abs(previous.end() - i) / (double) (previous.width() - 1);
                weighted = scaledSigmoid(position) * profile.fpWeight();
            }
            boolean probationary = i < probation;
            points.add(
                    new SweepPoint(
                            i, score, weighted, probationary ? null : currentName, probationary));
            if (current != null && i == current.end()) {
                previous = current;
                current = null;
                currentName = null;
            }
        }
        return points;
    }

    /**
     * NAB's {@code calcScoreByThreshold}: the score and counts at every distinct anomaly score,
     * from the highest threshold (1.1: nothing detected) down. Points may come from several files;
     * window names keep their windows apart.
     */
    public List<ThresholdScore> scoresByThreshold(List<SweepPoint> points) {
        List<SweepPoint> scorable = new ArrayList<>(points.size());
        for (SweepPoint p : points) {
            if (!p.probationary()) {
                scorable.add(p);
            }
        }
        // List.sort is stable, like Python's sorted(..., reverse=True).
        scorable.sort(Comparator.comparingDouble(SweepPoint::anomalyScore).reversed());

        // Insertion order matters only for the order of the float sum, kept as NAB's dict order.
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put(null, 0.0); // NAB's "fp" part; null cannot clash with a window name
        int tn = 0;
        int fn = 0;
        for (SweepPoint p : scorable) {
            if (p.window() != null) {
                parts.put(p.window(), -profile.fnWeight());
                fn++;
            } else {
                tn++;
            }
        }
        int tp = 0;
        int fp = 0;
        List<ThresholdScore> out = new ArrayList<>();
        double threshold = START_THRESHOLD;
        for (SweepPoint p : scorable) {
            if (p.anomalyScore() != threshold) {
                out.add(
                        new ThresholdScore(
                                threshold, sum(parts), tp, tn, fp, fn, tp + tn + fp + fn));
                threshold = p.anomalyScore();
            }
            if (p.window() != null) {
                tp++;
                fn--;
                parts.put(p.window(), Math.max(parts.get(p.window()), p.sweepScore()));
            } else {
                fp++;
                tn--;
                parts.put(null, parts.get(null) + p.sweepScore());
            }
        }
        out.add(new ThresholdScore(threshold, sum(parts), tp, tn, fp, fn, tp + tn + fp + fn));
        return out;
    }

    private static double sum(Map<String, Double> parts) {
        double s = 0;
        for (double v : parts.values()) {
            s += v;
        }
        return s;
    }

    /**
     * NAB's {@code scoreDataSet}: the file's score and counts when rows with anomaly score {@code
     * >= threshold} are detections, plus the per-row attribution of that score.
     */
    public FileScore scoreFile(NabDataFile file, double[] anomalyScores, double threshold) {
        List<SweepPoint> points = sweep(file, anomalyScores);
        ThresholdScore row = select(scoresByThreshold(points), threshold);

        double[] rowScores = new double[file.rows()];
        int detected = 0;
        int missed = 0;
        int probation = probationaryLength(file.rows(), probationPercent);
        for (NabWindow w : file.windows()) {
            int from = Math.max(w.start(), probation);
            if (from > w.end()) {
                continue; // wholly probationary: NAB neither rewards nor penalises it
            }
            int first = -1;
            for (int i = from; i <= w.end() && first < 0; i++) {
                if (anomalyScores[i] >= threshold) {
                    first = i;
                }
            }
            // The earliest detection has the largest sigmoid value, which is what the sweep keeps.
            rowScores[w.start()] =
                    first >= 0 ? points.get(first).sweepScore() : -profile.fnWeight();
            if (first >= 0) {
                detected++;
            } else {
                missed++;
            }
        }
        for (SweepPoint p : points) {
            if (!p.probationary() && p.window() == null && p.anomalyScore() >= threshold) {
                rowScores[p.row()] = p.sweepScore();
            }
        }
        return new FileScore(
                file.relativePath(),
                threshold,
                row.score(),
                row.tp(),
                row.tn(),
                row.fp(),
                row.fn(),
                row.total(),
                detected,
                missed,
                rowScores);
    }

    /** NAB's threshold look-up in {@code scoreDataSet}, with an answer where NAB has none. */
    static ThresholdScore select(List<ThresholdScore> byThreshold, double threshold) {
        ThresholdScore previous = null;
        for (ThresholdScore s : byThreshold) {
            if (s.threshold() == threshold) {
                return s;
            }
            if (s.threshold() < threshold) {
                // First entry already below: threshold > 1.1, nothing can be detected.
                return previous != null ? previous : s;
            }
            previous = s;
        }
        // Threshold below every score: every row is a detection (NAB would return None here).
        return byThreshold.get(byThreshold.size() - 1);
    }
}

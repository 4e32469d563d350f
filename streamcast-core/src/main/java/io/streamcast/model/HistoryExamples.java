package io.streamcast.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training examples from history, built exactly as the streaming job's window assembler builds
 * them: per series, a {@link SeriesHistory} of {@code windowSize + horizon} rows with its online
 * normalisation, offered every reading in order, and {@link SeriesHistory#trainingExample} after
 * each accepted one. Every complete window becomes an example (the job's {@code
 * training.sample-rate} thins a live stream; offline there is no reason to).
 *
 * <p>Implementation notes: {@link #split} holds back the newest {@code fraction} of each series'
 * examples for validation and drops the {@code horizon} training examples just before them, whose
 * targets would reach into the validation examples' targets.
 */
public final class HistoryExamples {
    private final int windowSize;
    private final int horizon;
    private final int width;
    private final int calendar;
    private final int halfLife;
    private final long maxOutOfOrderMs;
    private final long maxJumpMs;
    private final int maxRows;
    private final Map<String, SeriesHistory> histories = new LinkedHashMap<>();
    private final Map<String, List<float[][]>> examples = new LinkedHashMap<>();
    private final Map<String, Integer> rowsTaken = new LinkedHashMap<>();
    private long rejected;

    /**
     * {@code maxRows} > 0 uses only the first that many readings of each series (e.g. a train
     * split); {@code width} columns are read per reading, without calendar inputs.
     */
    public HistoryExamples(
            int windowSize,
            int horizon,
            int width,
            int halfLife,
            long maxOutOfOrderMs,
            long maxJumpMs,
            int maxRows) {
        this(windowSize, horizon, width, 0, halfLife, maxOutOfOrderMs, maxJumpMs, maxRows);
    }

    /** As above, each input row followed by {@code calendar} calendar values. */
    public HistoryExamples(
            int windowSize,
            int horizon,
            int width,
            int calendar,
            int halfLife,
            long maxOutOfOrderMs,
            long maxJumpMs,
            int maxRows) {
        this.calendar = calendar;
        this.windowSize = windowSize;
        this.horizon = horizon;
        this.width = width;
        this.halfLife = halfLife;
        this.maxOutOfOrderMs = maxOutOfOrderMs;
        this.maxJumpMs = maxJumpMs;
        this.maxRows = maxRows;
    }

    /**
     * Offers one reading of {@code series}; late, duplicate and jumping readings are counted and
     * skipped.
     */
    public void offer(String series, long ts, float[] values) {
        int taken = rowsTaken.merge(series, 1, Integer::sum);
        if (maxRows > 0 && taken > maxRows) {
            return;
        }
        SeriesHistory h =
                histories.computeIfAbsent(
                        series, s -> new SeriesHistory(windowSize + horizon, width));
        SeriesHistory.Insertion result = h.offer(ts, values, maxOutOfOrderMs, maxJumpMs, halfLife);
        if (result != SeriesHistory.Insertion.APPENDED
                && result != SeriesHistory.Insertion.REORDERED) {
            rejected++;
            return;
        }
        float[][] example = h.trainingExample(windowSize, horizon, calendar);
        if (example != null) {
            examples.computeIfAbsent(series, s -> new ArrayList<>()).add(example);
        }
    }

    public int series() {
        return histories.size();
    }

    /** Readings used (after the per-series limit), accepted or not. */
    public long rows() {
        return rowsTaken.values().stream()
                .mapToLong(n -> maxRows > 0 ? Math.min(n, maxRows) : n)
                .sum();
    }

    /** Readings skipped as late, duplicate or too far ahead. */
    public long rejected() {
        return rejected;
    }

    public int examples() {
        return examples.values().stream().mapToInt(List::size).sum();
    }

    /**
     * {@code {train, validation}}: per series, the newest {@code fraction} held back, a gap of
     * horizon before it.
     */
    public List<List<float[][]>> split(double fraction) {
        List<float[][]> train = new ArrayList<>();
        List<float[][]> validation = new ArrayList<>();
        for (List<float[][]> s : examples.values()) {
            int held = (int) Math.round(s.size() * fraction);
            int trainEnd = held == 0 ? s.size() : Math.max(0, s.size() - held - horizon);
            train.addAll(s.subList(0, trainEnd));
            validation.addAll(s.subList(s.size() - held, s.size()));
        }
        return List.of(train, validation);
    }
}

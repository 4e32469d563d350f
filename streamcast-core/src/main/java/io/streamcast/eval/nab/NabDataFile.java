package io.streamcast.eval.nab;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One NAB data file: its rows' timestamps and values and its labelled windows (sorted,
 * non-overlapping, as row indices).
 *
 * @param relativePath the file's path relative to the data directory, e.g. {@code
 *     realTraffic/speed_7578.csv}; NAB's key for labels and results
 */
public record NabDataFile(
        String relativePath, LocalDateTime[] timestamps, double[] values, List<NabWindow> windows) {

    public NabDataFile {
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException(
                    relativePath
                            + ": "
                            + timestamps.length
                            + " timestamps but "
                            + values.length
                            + " values");
        }
        windows = List.copyOf(windows);
        for (int w = 0; w < windows.size(); w++) {
            NabWindow win = windows.get(w);
            if (win.end() >= timestamps.length) {
                throw new IllegalArgumentException(
                        relativePath + ": window " + win + " beyond the last row");
            }
            if (w > 0 && win.start() <= windows.get(w - 1).end()) {
                // NAB's sweep walks the windows in order and would silently skip an overlapping
                // one.
                throw new IllegalArgumentException(
                        relativePath + ": windows overlap or are unsorted: " + windows);
            }
        }
    }

    public int rows() {
        return timestamps.length;
    }

    /**
     * NAB's probationary length for this file; see {@link NabScorer#probationaryLength(int,
     * double)}.
     */
    public int probationaryLength(double probationPercent) {
        return NabScorer.probationaryLength(rows(), probationPercent);
    }

    /** Per-row ground-truth label: 1 inside a window, 0 outside (NAB's {@code label} column). */
    public int[] labels() {
        int[] labels = new int[rows()];
        for (NabWindow w : windows) {
            for (int i = w.start(); i <= w.end(); i++) {
                labels[i] = 1;
            }
        }
        return labels;
    }
}

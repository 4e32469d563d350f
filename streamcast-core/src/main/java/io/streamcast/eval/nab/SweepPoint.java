package io.streamcast.eval.nab;

/**
 * One row as NAB's sweeper sees it: its anomaly score, the score it would add if detected, and
 * which window (if any) it belongs to. NAB's {@code AnomalyPoint}.
 *
 * @param row index of the row in its file
 * @param anomalyScore the detector's output for the row
 * @param sweepScore weighted scaled-sigmoid value the row contributes when detected: positive
 *     inside a window (a true positive), negative outside (a false positive)
 * @param window unique window name ({@code file|start label}) or null outside any window
 * @param probationary true if the row lies in the file's probationary period and is not scored
 */
public record SweepPoint(
        int row, double anomalyScore, double sweepScore, String window, boolean probationary) {}

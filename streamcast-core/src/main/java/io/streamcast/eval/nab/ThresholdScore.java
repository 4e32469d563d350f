package io.streamcast.eval.nab;

/**
 * NAB's score and row counts when every row with anomaly score {@code >= threshold} is a detection.
 * NAB's {@code ThresholdScore}; counts are of scorable (non-probationary) rows, not of windows.
 */
public record ThresholdScore(
        double threshold, double score, int tp, int tn, int fp, int fn, int total) {}

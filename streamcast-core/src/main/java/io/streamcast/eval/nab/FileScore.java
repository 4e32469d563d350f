package io.streamcast.eval.nab;

/**
 * NAB's result for one data file at one threshold: the raw score, NAB's row counts, window counts,
 * and the per-row score attribution that NAB writes as the {@code S(t)_<profile>} column.
 *
 * @param tp scorable rows inside a window that were detected (NAB counts rows, not windows)
 * @param tn scorable rows outside windows that were not detected
 * @param fp scorable rows outside windows that were detected
 * @param fn scorable rows inside a window that were not detected
 * @param total scorable rows (rows after the probationary period)
 * @param windowsDetected scored windows with at least one detection
 * @param windowsMissed scored windows with no detection (each costs fnWeight)
 * @param rowScores per-row contribution: a window's true-positive or false-negative value sits on
 *     the window's first row, a false positive's value on its own row, zero elsewhere; sums to
 *     {@code score}
 */
public record FileScore(
        String relativePath,
        double threshold,
        double score,
        int tp,
        int tn,
        int fp,
        int fn,
        int total,
        int windowsDetected,
        int windowsMissed,
        double[] rowScores) {}

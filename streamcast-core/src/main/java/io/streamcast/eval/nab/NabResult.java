package io.streamcast.eval.nab;

import java.util.Map;

/**
 * A detector's NAB result for one profile: the corpus-wide threshold NAB's optimiser picks, the raw
 * and normalised scores, and each file's score at that threshold.
 *
 * @param threshold the one threshold, over all files, that maximises the raw score
 * @param rawScore sum of the per-file scores (NAB's "Totals" row)
 * @param normalisedScore {@code 100 * (raw - null) / (perfect - null)}: 0 for the null detector,
 *     100 for a detector that flags the first row of every window and nothing else
 * @param nullScore raw score of NAB's null detector (constant 0.5) at its own best threshold
 * @param perfectScore number of labelled windows times tpWeight
 * @param files per-file results, by relative path
 */
public record NabResult(
        CostProfile profile,
        double threshold,
        double rawScore,
        double normalisedScore,
        double nullScore,
        double perfectScore,
        Map<String, FileScore> files) {

    public NabResult {
        files = Map.copyOf(files);
    }

    /** Windows detected over all files. */
    public int windowsDetected() {
        return files.values().stream().mapToInt(FileScore::windowsDetected).sum();
    }

    /** Windows missed over all files. */
    public int windowsMissed() {
        return files.values().stream().mapToInt(FileScore::windowsMissed).sum();
    }

    /** False-positive rows over all files. */
    public int falsePositives() {
        return files.values().stream().mapToInt(FileScore::fp).sum();
    }
}

package io.streamcast.report;

/**
 * The output records a reader could not read and skipped: how many, and where and why the first one
 * was, so that the reader says so once ({@link #summary()}) instead of failing or staying silent.
 * Not thread-safe: one reader counts.
 */
public final class SkippedRecords {
    private long count;
    private String first;

    /** Counts one skipped record; {@code where} (e.g. "scores.jsonl line 3") and {@code why}. */
    public void skip(String where, String why) {
        if (count++ == 0) {
            first = where + ": " + why;
        }
    }

    public long count() {
        return count;
    }

    /** Where and why the first skipped record was; null when none was. */
    public String first() {
        return first;
    }

    /**
     * "skipped N record(s) that could not be read: first WHERE: WHY", or the empty string when none
     * was.
     */
    public String summary() {
        return count == 0
                ? ""
                : String.format(
                        "skipped %,d record%s that could not be read: first %s",
                        count, count == 1 ? "" : "s", first);
    }
}

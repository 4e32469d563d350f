package io.streamcast.io;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts, over one history file's rows, how often a series' reading is older than its previous one
 * (a backward step) or newer (a forward step), to tell a file written newest first from one with a
 * few rows out of order.
 */
final class TimeOrder {
    private final Map<String, Long> last = new HashMap<>();
    private long rows;
    private long forward;
    private long backward;

    void add(String series, long ts) {
        rows++;
        Long previous = last.put(series, ts);
        if (previous != null) {
            if (ts > previous) {
                forward++;
            } else if (ts < previous) {
                backward++;
            }
        }
    }

    /** A data row that did not parse: counted as a row, no step. */
    void addRejected() {
        rows++;
    }

    long rows() {
        return rows;
    }

    long steps() {
        return forward + backward;
    }

    long backwardSteps() {
        return backward;
    }

    /** More steps back in time than forward: the file lists its series newest first. */
    boolean isMostlyDescending() {
        return backward > forward;
    }
}

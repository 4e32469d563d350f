package io.streamcast.eval.nab;

/**
 * One labelled anomaly window of a data file, as inclusive row indices.
 *
 * @param start index of the row whose timestamp is the window's start label
 * @param end index of the row whose timestamp is the window's end label (inclusive)
 */
public record NabWindow(int start, int end) {

    public NabWindow {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException(
                    "NabWindow needs 0 <= start <= end, got [" + start + ", " + end + "]");
        }
    }

    /** Number of rows in the window; NAB calls this the window width. */
    public int width() {
        return end - start + 1;
    }

    public boolean contains(int row) {
        return row >= start && row <= end;
    }
}

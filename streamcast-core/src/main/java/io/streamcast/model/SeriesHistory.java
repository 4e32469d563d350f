package io.streamcast.model;

import java.util.Arrays;

/**
 * One series' recent readings in timestamp order plus its online normalisation statistics; a plain
 * mutable POJO so that Flink can keep it as keyed state.
 *
 * <p>Implementation notes: rows are kept oldest first in a flat array of {@code capacity × width}
 * floats; appending to a full buffer shifts by one row (a memmove of a few hundred bytes, cheaper
 * than ring-buffer index arithmetic on every read). Statistics are exponentially weighted with a
 * half-life in readings, but start as a plain running mean/variance ({@code alpha = max(1/n,
 * alphaHalfLife)}) so that the first readings are not dominated by the initial zero. Normalised
 * values are clipped to ±{@link #CLIP} so that a constant series that suddenly moves cannot feed
 * the network values in the millions.
 */
public class SeriesHistory {
    /** Largest magnitude of a normalised value. */
    public static final float CLIP = 8f;

    /** Result of offering a reading. */
    public enum Insertion {
        APPENDED,
        REORDERED,
        DUPLICATE,
        LATE,
        JUMP
    }

    public int capacity;
    public int width;
    public long[] ts;
    public float[] rows;
    public int count;
    public double[] mean;
    public double[] var;
    public long seen;
    public long stepMillis;

    /** For Flink's POJO serializer. */
    public SeriesHistory() {}

    public SeriesHistory(int capacity, int width) {
        this.capacity = capacity;
        this.width = width;
        this.ts = new long[capacity];
        this.rows = new float[capacity * width];
        this.mean = new double[width];
        this.var = new double[width];
    }

    /**
     * Offers a reading. Newer than the newest: appended (or {@code JUMP} if more than {@code
     * maxJumpMs} ahead). Older but within {@code maxOutOfOrderMs} of the newest and inside the
     * buffer: inserted in order ({@code REORDERED}). An already-held timestamp: {@code DUPLICATE}.
     * Otherwise {@code LATE}.
     */
    public Insertion offer(
            long t, float[] values, long maxOutOfOrderMs, long maxJumpMs, int halfLife) {
        if (count > 0) {
            long newest = ts[count - 1];
            if (t > newest) {
                if (t - newest > maxJumpMs) {
                    return Insertion.JUMP;
                }
            } else {
                int pos = Arrays.binarySearch(ts, 0, count, t);
                if (pos >= 0) {
                    return Insertion.DUPLICATE;
                }
                int at = -pos - 1;
                if (newest - t > maxOutOfOrderMs || (count == capacity && at == 0)) {
                    return Insertion.LATE;
                }
                insertAt(at, t, values);
                observe(values, halfLife);
                return Insertion.REORDERED;
            }
            stepMillis = t - newest;
        }
        insertAt(count, t, values);
        observe(values, halfLife);
        return Insertion.APPENDED;
    }

    private void insertAt(int at, long t, float[] values) {
        if (count == capacity) {
            // Drop the oldest row to make room; `at` moves down by one with it.
            System.arraycopy(ts, 1, ts, 0, count - 1);
            System.arraycopy(rows, width, rows, 0, (count - 1) * width);
            count--;
            at--;
        }
        System.arraycopy(ts, at, ts, at + 1, count - at);
        System.arraycopy(rows, at * width, rows, (at + 1) * width, (count - at) * width);
        ts[at] = t;
        System.arraycopy(values, 0, rows, at * width, width);
        count++;
    }

    private void observe(float[] values, int halfLife) {
        seen++;
        double alpha = Math.max(1.0 / seen, 1.0 - Math.pow(0.5, 1.0 / halfLife));
        for (int j = 0; j < width; j++) {
            double d = values[j] - mean[j];
            mean[j] += alpha * d;
            var[j] = (1 - alpha) * (var[j] + alpha * d * d);
        }
    }

    /**
     * Standard deviation of column j, floored so that a constant series still has a usable scale.
     */
    public double scale(int j) {
        return Math.max(Math.sqrt(var[j]), 1e-3 * Math.abs(mean[j]) + 1e-6);
    }

    public long newestTs() {
        return ts[count - 1];
    }

    public double newestTarget() {
        return rows[(count - 1) * width];
    }

    /** Row i (0 = oldest held) normalised into {@code out} at {@code offset}. */
    public void normalisedRow(int i, float[] out, int offset) {
        for (int j = 0; j < width; j++) {
            out[offset + j] = clip((rows[i * width + j] - mean[j]) / scale(j));
        }
    }

    /**
     * Row i normalised as {@link #normalisedRow}, followed by its {@code calendar} calendar values
     * (0, or {@link CalendarInputs#COLUMNS}) from its timestamp and the series' sampling interval.
     */
    void inputRow(int i, int calendar, float[] out, int offset) {
        normalisedRow(i, out, offset);
        if (calendar > 0) {
            CalendarInputs.write(ts[i], stepMillis, out, offset + width);
        }
    }

    /** The newest row as network inputs (see {@link #inputRow}). */
    public float[] newestInputRow(int calendar) {
        float[] out = new float[width + calendar];
        inputRow(count - 1, calendar, out, 0);
        return out;
    }

    /** The newest {@code min(count, maxRows)} rows normalised, oldest first, time-major. */
    public float[] normalisedWindow(int maxRows) {
        return normalisedWindow(maxRows, 0);
    }

    /**
     * The newest {@code min(count, maxRows)} rows as network inputs, oldest first, time-major:
     * {@code width + calendar} values per row (see {@link #inputRow}).
     */
    public float[] normalisedWindow(int maxRows, int calendar) {
        int n = Math.min(count, maxRows);
        int w = width + calendar;
        float[] out = new float[n * w];
        for (int r = 0; r < n; r++) {
            inputRow(count - n + r, calendar, out, r * w);
        }
        return out;
    }

    /**
     * A training example once {@code windowSize + horizon} rows are held: the oldest {@code
     * windowSize} rows as input and, for every input step, the normalised change of the target over
     * the next 1..horizon steps; null before.
     */
    public float[][] trainingExample(int windowSize, int horizon) {
        return trainingExample(windowSize, horizon, 0);
    }

    /** As {@link #trainingExample(int, int)}, each input row followed by its calendar values. */
    public float[][] trainingExample(int windowSize, int horizon, int calendar) {
        if (count < windowSize + horizon) {
            return null;
        }
        int first = count - windowSize - horizon;
        int w = width + calendar;
        float[] input = new float[windowSize * w];
        float[] target = new float[windowSize * horizon];
        double s = scale(0);
        for (int r = 0; r < windowSize; r++) {
            inputRow(first + r, calendar, input, r * w);
            double base = rows[(first + r) * width];
            for (int k = 1; k <= horizon; k++) {
                target[r * horizon + k - 1] = clip((rows[(first + r + k) * width] - base) / s);
            }
        }
        return new float[][] {input, target};
    }

    static float clip(double v) {
        return (float) Math.max(-CLIP, Math.min(CLIP, v));
    }
}

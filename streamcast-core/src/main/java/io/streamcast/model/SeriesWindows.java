package io.streamcast.model;

import io.streamcast.event.ForecastInput;
import java.io.Serializable;
import java.util.Arrays;

/**
 * How a series' history becomes the network's inputs: where a reading goes (in order, reordered, or
 * rejected as late, duplicate or a jump), the forecaster's input after each accepted reading, and,
 * for a share of readings fixed by the series and its time, a training example. The job's window
 * assembler and the plain-Java replay both use it, so they make the same windows.
 */
public final class SeriesWindows implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int windowSize;
    private final int horizon;
    private final int width;
    private final int calendar;
    private final int normHalfLife;
    private final long maxOutOfOrderMs;
    private final long maxJumpMs;
    private final long defaultStepMs;
    private final boolean training;
    private final double sampleRate;
    private final boolean windowsAlways;

    /**
     * Windows of {@code windowSize} rows of {@code width} values plus {@code calendar} calendar
     * inputs, targets {@code horizon} steps ahead; {@code sampleRate} of the readings give a
     * training example when {@code training}; a series' first forecast targets {@code
     * defaultStepMs} ahead. {@code windowsAlways}: every forecaster input carries its whole window
     * (the forecaster rebuilds states from windows after each new model, or its cell keeps no
     * state); otherwise only the inputs that may need one do (see {@link #input}).
     */
    public SeriesWindows(
            int windowSize,
            int horizon,
            int width,
            int calendar,
            int normHalfLife,
            long maxOutOfOrderMs,
            long maxJumpMs,
            long defaultStepMs,
            boolean training,
            double sampleRate,
            boolean windowsAlways) {
        this.windowSize = windowSize;
        this.horizon = horizon;
        this.width = width;
        this.calendar = calendar;
        this.normHalfLife = normHalfLife;
        this.maxOutOfOrderMs = maxOutOfOrderMs;
        this.maxJumpMs = maxJumpMs;
        this.defaultStepMs = defaultStepMs;
        this.training = training;
        this.sampleRate = sampleRate;
        this.windowsAlways = windowsAlways;
    }

    /** An empty history of the rows a window and its targets need. */
    public SeriesHistory newHistory() {
        return new SeriesHistory(windowSize + horizon, width);
    }

    /** Offers a reading to {@code history}: where it went, or why it was refused. */
    public SeriesHistory.Insertion offer(SeriesHistory history, long ts, float[] values) {
        return history.offer(ts, values, maxOutOfOrderMs, maxJumpMs, normHalfLife);
    }

    public long maxOutOfOrderMs() {
        return maxOutOfOrderMs;
    }

    public long maxJumpMs() {
        return maxJumpMs;
    }

    /**
     * The training example ({input, target}) of the reading at {@code ts} just accepted, if this
     * reading is one of the sampled share (a hash of the series and the time, so every run samples
     * the same ones) and enough rows are held; else null.
     */
    public float[][] sample(SeriesHistory history, String series, long ts) {
        if (!training || SplitMix64.unitHash(series, ts) >= sampleRate) {
            return null;
        }
        return history.trainingExample(windowSize, horizon, calendar);
    }

    /**
     * The forecaster's input after the newest accepted reading; {@code samplesEmitted} counts the
     * training samples sent so far, this reading's included.
     *
     * <p>The whole window goes with it only where the forecaster may rebuild the series' state from
     * it: while the window is still filling (a new series, or one whose state was dropped), for a
     * reading that arrived out of order, and always when {@code windowsAlways}. Otherwise the
     * forecaster steps the state it holds, and the window is left empty: building, serialising and
     * reading 48 rows with their calendar values for every reading was about 40% of the window
     * assembler's time.
     */
    public ForecastInput input(
            SeriesHistory history, String series, boolean reordered, long samplesEmitted) {
        int inputs = width + calendar;
        int rows = Math.min(history.count, windowSize);
        float[] window;
        float[] step;
        if (windowsAlways || reordered || rows < windowSize) {
            window = history.normalisedWindow(windowSize, calendar);
            step = Arrays.copyOfRange(window, (rows - 1) * inputs, rows * inputs);
        } else {
            window = NO_WINDOW;
            step = history.newestInputRow(calendar);
        }
        // A series' first reading (also the first after its state was dropped) shows no interval
        // yet: its forecast targets the configured default step, not the reading's own time.
        long stepMillis = history.stepMillis > 0 ? history.stepMillis : defaultStepMs;
        return new ForecastInput(
                series,
                history.newestTs(),
                step,
                window,
                rows,
                history.newestTarget(),
                history.scale(0),
                stepMillis,
                reordered,
                samplesEmitted);
    }

    private static final float[] NO_WINDOW = new float[0];
}

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

    /**
     * Windows of {@code windowSize} rows of {@code width} values plus {@code calendar} calendar
     * inputs, targets {@code horizon} steps ahead; {@code sampleRate} of the readings give a
     * training example when {@code training}; a series' first forecast targets {@code
     * defaultStepMs} ahead.
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
            double sampleRate) {
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
     */
    public ForecastInput input(
            SeriesHistory history, String series, boolean reordered, long samplesEmitted) {
        float[] window = history.normalisedWindow(windowSize, calendar);
        int inputs = width + calendar;
        int rows = window.length / inputs;
        float[] step = Arrays.copyOfRange(window, (rows - 1) * inputs, rows * inputs);
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
}

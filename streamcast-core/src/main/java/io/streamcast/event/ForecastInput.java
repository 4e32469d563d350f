package io.streamcast.event;

/**
 * What the window assembler hands the forecaster for one accepted reading.
 *
 * <p>{@code step} is the newest row normalised ({@code width} values); {@code window} holds the
 * whole current window normalised, oldest row first ({@code windowLength} rows of {@code width}),
 * used when the forecaster must rebuild a series' recurrent state; it is empty where the assembler
 * expects the forecaster to step a current state instead ({@link
 * io.streamcast.model.SeriesWindows#input}). {@code last} and {@code scale} turn the model's
 * normalised change back into the series' units; {@code stepMillis} is the series' sampling
 * interval (never 0: {@code time.default-step} until a second reading shows it); {@code reordered}
 * says the reading arrived out of order, so the recurrent state must be rebuilt from the window.
 * {@code samplesEmitted} counts the training samples the emitting assembler had sent up to and
 * including this reading (synchronous retraining gates on it).
 */
public record ForecastInput(
        String series,
        long ts,
        float[] step,
        float[] window,
        int windowLength,
        double last,
        double scale,
        long stepMillis,
        boolean reordered,
        long samplesEmitted) {

    /**
     * What the series' state is rebuilt from: the window, or the newest row alone where the
     * assembler sent none because it expected a current state (a series whose state the forecaster
     * dropped while the assembler kept its history starts afresh from that row).
     */
    public float[] rebuildWindow() {
        return window.length > 0 ? window : step;
    }

    /** The rows of {@link #rebuildWindow}. */
    public int rebuildRows() {
        return window.length > 0 ? windowLength : 1;
    }
}

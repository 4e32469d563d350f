package io.streamcast.model.anomaly;

/** Builds the {@link Reading}s a channel sees, as the scorer would, for the channels' own tests. */
final class ChannelReadings {
    private final int warmup;
    private final double longRate;
    private long count;
    private double lastValue;
    private double minStep;
    private boolean held;
    private long forecaster = AnomalyScorer.UNKNOWN_FORECASTER;

    ChannelReadings(int warmup, int longTermWindow) {
        this.warmup = warmup;
        this.longRate = 1.0 / longTermWindow;
    }

    /** The next reading of the series: {@code actual} against a forecast of {@code expected}. */
    Reading next(double actual, double expected) {
        count++;
        if (count > 1 && actual != lastValue) {
            double step = Math.abs(actual - lastValue);
            minStep = minStep == 0 ? step : Math.min(minStep, step);
        }
        double r = actual - expected;
        Reading in =
                new Reading(
                        actual,
                        r,
                        Math.min(Math.abs(r), AnomalyScorer.MAX_ABS),
                        forecaster,
                        count,
                        lastValue,
                        minStep,
                        Math.max(1.0 / count, longRate),
                        count > warmup,
                        held,
                        ScorerConstants.defaults());
        lastValue = actual;
        return in;
    }

    ChannelReadings held(boolean held) {
        this.held = held;
        return this;
    }

    ChannelReadings forecaster(long version) {
        this.forecaster = version;
        return this;
    }
}

package io.streamcast.event;

/**
 * What the forecaster makes of one reading: the forecast it made after it, and the reading's {@link
 * Score} against the forecast made for it earlier ({@code null} when there was none: a series'
 * first reading, or one that arrived out of order).
 */
public record ForecastResult(Forecast forecast, Score score) {}

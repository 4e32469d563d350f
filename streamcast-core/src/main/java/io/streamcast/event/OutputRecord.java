package io.streamcast.event;

/**
 * One record for an output stream, already serialised: which stream, the Kafka key (series id or
 * model version) and the JSON body. One sink writes all streams, so one transaction covers them
 * all.
 */
public record OutputRecord(Stream stream, String key, byte[] json) {

    /** The job's output streams; each maps to a configured topic or file. */
    public enum Stream {
        FORECASTS,
        SCORES,
        ALERTS,
        MODELS,
        DEAD_LETTERS
    }
}

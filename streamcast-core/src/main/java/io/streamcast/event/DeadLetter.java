package io.streamcast.event;

/**
 * A rejected input: why (a {@link Reason} code and a message), the raw payload (cut to a bounded
 * length), and the source position: a Kafka topic, partition and offset, or a file (partition -1)
 * and line number. An output record too large to send becomes one too ({@link
 * Reason#OUTPUT_TOO_LARGE}: source is the topic it was meant for).
 */
public record DeadLetter(
        Reason reason, String message, String raw, String source, int partition, long offset) {

    /** Why an input was rejected. */
    public enum Reason {
        /** Not parseable as a JSON object, or the wrong JSON types. */
        MALFORMED_JSON,
        /** A history file row with the wrong number of columns. */
        MALFORMED_ROW,
        /** series, ts or value is absent. */
        MISSING_FIELD,
        /** value is not a finite number. */
        INVALID_VALUE,
        /**
         * A feature is not a finite number, a configured feature is absent, or an unknown feature
         * is present.
         */
        INVALID_FEATURE,
        /** ts is neither ISO-8601 nor epoch milliseconds. */
        INVALID_TIMESTAMP,
        /** ts is outside the configured range or jumps absurdly far ahead of its series. */
        TIMESTAMP_OUT_OF_RANGE,
        /** Older than the series' allowed out-of-orderness. */
        LATE,
        /** A reading for a timestamp the series has already accepted. */
        DUPLICATE,
        /** The payload exceeds the size limit. */
        TOO_LARGE,
        /**
         * ts is further ahead of the processing clock than {@code time.max-ahead} (a sensor with a
         * skewed clock).
         */
        FUTURE_TIMESTAMP,
        /**
         * Not an input: an output record (e.g. a model version with many parameters) larger than
         * the producer's {@code max.request.size}; the dead letter keeps its start and names the
         * topic it was meant for.
         */
        OUTPUT_TOO_LARGE
    }
}

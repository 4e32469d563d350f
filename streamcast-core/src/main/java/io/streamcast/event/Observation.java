package io.streamcast.event;

/**
 * One accepted sensor reading: series id, event time (epoch ms), and the model's raw input values
 * {@code [target, feature1, ...]} in configured order. The source position (Kafka topic, partition
 * and offset, or file, partition -1 and line) travels with it so that a later rejection still
 * points at the input, and so does the start of the input as received ({@code raw}: the record
 * value or the file's line, at most {@link io.streamcast.io.EventParser#MAX_RAW_IN_DEAD_LETTER}
 * bytes; null when not known), so that a later dead letter (late, duplicate) shows what was sent.
 */
public record Observation(
        String series,
        long ts,
        float[] values,
        String source,
        int partition,
        long offset,
        byte[] raw) {

    /** A reading whose input is not known (tests, readings made in code). */
    public Observation(
            String series, long ts, float[] values, String source, int partition, long offset) {
        this(series, ts, values, source, partition, offset, null);
    }
}

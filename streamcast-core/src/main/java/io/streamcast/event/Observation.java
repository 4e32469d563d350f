package io.streamcast.event;

/**
 * One accepted sensor reading: series id, event time (epoch ms), and the model's raw input values
 * {@code [target, feature1, ...]} in configured order. The source position (Kafka topic, partition
 * and offset, or file, partition -1 and line) travels with it so that a later rejection still
 * points at the input.
 */
public record Observation(
        String series, long ts, float[] values, String source, int partition, long offset) {}

package io.streamcast.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Tolerant reading of the job's output records (forecasts, scores, alerts, models): a missing, null
 * or non-numeric field reads as NaN (or a given default), unknown fields are ignored, so outputs of
 * newer job versions still read.
 */
public final class OutputJson {
    private OutputJson() {}

    /**
     * A number field; NaN when missing or not a number (the encoder writes non-finite doubles as
     * "NaN" strings).
     */
    public static double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Double.NaN;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** A text field, or {@code fallback} when missing or not a scalar. */
    public static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? fallback : v.asText();
    }

    /** A long field, or {@code fallback} when missing or not integral. */
    public static long integer(JsonNode node, String field, long fallback) {
        JsonNode v = node.get(field);
        return v != null && v.canConvertToLong() ? v.asLong() : fallback;
    }

    /**
     * An ISO-8601 instant (or epoch milliseconds) field as epoch milliseconds; {@link
     * Long#MIN_VALUE} when missing or unparseable.
     */
    public static long timestamp(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Long.MIN_VALUE;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        try {
            return Instant.parse(v.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }
}

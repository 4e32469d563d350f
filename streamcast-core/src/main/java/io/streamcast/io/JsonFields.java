package io.streamcast.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Tolerant reading of fields of the job's output records, for {@link OutputDecoder}: a missing,
 * null or non-numeric field reads as NaN (or a given default), unknown fields are ignored, so
 * outputs of newer job versions still read.
 */
final class JsonFields {
    private static final int MAX_QUOTE = 60;

    private JsonFields() {}

    /**
     * A number field; NaN when missing or not a number (the encoder writes non-finite doubles as
     * "NaN" strings).
     */
    static double number(JsonNode node, String field) {
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
    static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? fallback : v.asText();
    }

    /** A long field, or {@code fallback} when missing or not integral. */
    static long integer(JsonNode node, String field, long fallback) {
        JsonNode v = node.get(field);
        return v != null && v.canConvertToLong() ? v.asLong() : fallback;
    }

    /**
     * The largest time, in milliseconds either side of 1970, that is read (2^53 ms, about 285,000
     * years): the report and the live page hand times to JavaScript, whose numbers hold integers
     * exactly only this far, and differences of readable times cannot overflow a long.
     */
    static final long MAX_ABS_MILLIS = 1L << 53;

    /**
     * An ISO-8601 instant (or epoch milliseconds) field as epoch milliseconds; {@link
     * Long#MIN_VALUE} when missing, unparseable or beyond {@link #MAX_ABS_MILLIS} (a year such as
     * +1000000000 parses as an instant but has no epoch milliseconds).
     */
    static long timestamp(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return Long.MIN_VALUE;
        }
        long millis;
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                return Long.MIN_VALUE;
            }
            millis = v.asLong();
        } else if (v.isTextual()) {
            try {
                millis = Instant.parse(v.asText()).toEpochMilli();
            } catch (DateTimeException | ArithmeticException e) {
                return Long.MIN_VALUE;
            }
        } else {
            return Long.MIN_VALUE;
        }
        return millis >= -MAX_ABS_MILLIS && millis <= MAX_ABS_MILLIS ? millis : Long.MIN_VALUE;
    }

    /**
     * Why {@code node}'s {@code field} is not a time {@link #timestamp} reads ("missing", or the
     * value quoted), for a skipped record's message.
     */
    static String badTime(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull()
                ? "no " + field
                : field
                        + " "
                        + quote(v.isTextual() ? v.asText() : v.toString())
                        + " is not a time (ISO-8601 or epoch milliseconds, within 285,000 years of 1970)";
    }

    /**
     * Why {@code record} (whose {@code ts} field read as {@code ts}) has no series and time to file
     * it under, or null when it has: the reason a reader skips it.
     */
    static String unfiled(JsonNode record, long ts) {
        if (text(record, "series", null) == null) {
            return "no series";
        }
        return ts == Long.MIN_VALUE ? badTime(record, "ts") : null;
    }

    /** {@code text} cut to a length that fits in a message, for quoting a bad field. */
    static String quote(String text) {
        String t = text.length() > MAX_QUOTE ? text.substring(0, MAX_QUOTE) + "..." : text;
        return "'" + t + "'";
    }
}

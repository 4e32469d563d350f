package io.streamcast.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.streamcast.config.StreamcastConfig.TimeConfig;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.DeadLetter.Reason;
import io.streamcast.event.Observation;
import io.streamcast.event.ParsedEvent;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns one raw input record (JSON, docs/design.md §2) into an {@link Observation} or a {@link
 * DeadLetter} with a reason code; it never throws on input. The series id comes from the JSON
 * {@code series} field, or else the record key.
 *
 * <p>Validation is per record and stateless (so it runs in the source): structure, finite numbers,
 * the configured features (all present, no unknown ones), an absolute timestamp range and, for live
 * input, how far ahead of the processing clock a reading may be. Checks that need a series' history
 * (late, duplicate, absurd jumps) happen in the window assembler.
 */
public final class EventParser implements Serializable {
    /** Longest payload accepted, and the longest raw prefix kept in a dead letter. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    public static final int MAX_RAW_IN_DEAD_LETTER = 1024;

    /**
     * Trailing tokens fail: {@code {...}}} or two documents in one record are malformed, not a
     * reading.
     */
    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    /** Longest series id, from the {@code series} field or the record key. */
    public static final int MAX_SERIES_LENGTH = 256;

    private final List<String> features;
    private final long minTs;
    private final long maxTs;

    /** Null for history files: no reading is judged against the clock. */
    private final Clock clock;

    private final long maxAheadMs;

    /**
     * A parser for history files (backfill, train, evaluate): they replay the past, so no reading
     * is judged against the clock, and a backfill's result does not depend on when it runs.
     */
    public EventParser(List<String> features, TimeConfig time) {
        this(features, time, null);
    }

    /**
     * A parser for live input (Kafka): a reading more than {@code time.max-ahead} ahead of {@code
     * clock} is rejected as {@link Reason#FUTURE_TIMESTAMP}, so one sensor with a skewed clock
     * cannot push the job's event time into the future; {@code clock} must be serialisable ({@link
     * Clock#systemUTC()} is).
     */
    public EventParser(List<String> features, TimeConfig time, Clock clock) {
        this.features = List.copyOf(features);
        this.minTs = time.minTimestamp();
        this.maxTs = time.maxTimestamp();
        this.clock = clock;
        this.maxAheadMs = time.maxAhead().toMillis();
    }

    /** Parses {@code value} read at (source, partition, offset); {@code key} may be null. */
    public ParsedEvent parse(byte[] key, byte[] value, String source, int partition, long offset) {
        try {
            return ParsedEvent.accepted(parseOrThrow(key, value, source, partition, offset));
        } catch (Rejection r) {
            return ParsedEvent.rejected(
                    new DeadLetter(
                            r.reason, r.getMessage(), rawPrefix(value), source, partition, offset));
        }
    }

    private Observation parseOrThrow(
            byte[] key, byte[] value, String source, int partition, long offset) throws Rejection {
        if (value == null || value.length == 0) {
            throw new Rejection(Reason.MALFORMED_JSON, "empty record");
        }
        if (value.length > MAX_PAYLOAD_BYTES) {
            throw new Rejection(
                    Reason.TOO_LARGE,
                    value.length + " bytes exceeds the limit of " + MAX_PAYLOAD_BYTES);
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new Rejection(
                    Reason.MALFORMED_JSON, "not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw new Rejection(Reason.MALFORMED_JSON, "unreadable: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new Rejection(Reason.MALFORMED_JSON, "expected a JSON object");
        }
        String series = series(root.get("series"), key);
        long ts = timestamp(root.get("ts"));
        float[] values = new float[1 + features.size()];
        values[0] = number(root.get("value"), "value", Reason.INVALID_VALUE);
        readFeatures(root.get("features"), values);
        return new Observation(series, ts, values, source, partition, offset, rawStart(value));
    }

    private static String series(JsonNode node, byte[] key) throws Rejection {
        if (node == null || node.isNull()) {
            if (key != null && key.length > 0) {
                return checkSeries(recordKey(key), "the record key");
            }
            throw new Rejection(Reason.MISSING_FIELD, "missing field 'series' (and no record key)");
        }
        if (!node.isTextual() && !node.isNumber()) {
            throw new Rejection(Reason.MALFORMED_JSON, "'series' must be a string");
        }
        return checkSeries(node.asText(), "'series'");
    }

    /** The same rules for a series id wherever it comes from. */
    private static String checkSeries(String s, String what) throws Rejection {
        if (s.isBlank() || s.length() > MAX_SERIES_LENGTH) {
            throw new Rejection(
                    Reason.MALFORMED_JSON,
                    what + " must be 1 to " + MAX_SERIES_LENGTH + " characters, not all blank");
        }
        return s;
    }

    /**
     * The key as text; a key that is not UTF-8 is refused rather than decoded with replacement
     * characters, which would merge different keys into one series.
     */
    private static String recordKey(byte[] key) throws Rejection {
        if (key.length > 4 * MAX_SERIES_LENGTH) {
            throw new Rejection(
                    Reason.MALFORMED_JSON,
                    "the record key is "
                            + key.length
                            + " bytes; a series id is at most "
                            + MAX_SERIES_LENGTH
                            + " characters");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Rejection(Reason.MALFORMED_JSON, "the record key is not valid UTF-8");
        }
    }

    private long timestamp(JsonNode node) throws Rejection {
        if (node == null || node.isNull()) {
            throw new Rejection(Reason.MISSING_FIELD, "missing field 'ts'");
        }
        long ts;
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new Rejection(
                        Reason.TIMESTAMP_OUT_OF_RANGE,
                        "ts " + cut(node.asText(), 64) + " is out of range");
            }
            ts = node.asLong();
        } else if (node.isTextual()) {
            ts = parseTimestamp(node.asText());
        } else {
            throw new Rejection(
                    Reason.INVALID_TIMESTAMP, "'ts' must be ISO-8601 text or epoch milliseconds");
        }
        return checkAhead(checkRange(ts));
    }

    /** Rejects a live reading too far ahead of the processing clock. */
    private long checkAhead(long ts) throws Rejection {
        if (clock != null) {
            long now = clock.millis();
            if (ts - now > maxAheadMs) {
                throw new Rejection(
                        Reason.FUTURE_TIMESTAMP,
                        "ts "
                                + Instant.ofEpochMilli(ts)
                                + " is "
                                + (ts - now) / 1000
                                + " s ahead of the processing clock ("
                                + Instant.ofEpochMilli(now)
                                + "); time.max-ahead allows "
                                + maxAheadMs / 1000
                                + " s");
            }
        }
        return ts;
    }

    /**
     * ISO-8601 with an offset ("2026-11-25T10:00:00Z"), ISO-8601 or {@code yyyy-MM-dd HH:mm:ss}
     * without one (read as UTC), or epoch milliseconds as digits.
     */
    static long parseTimestamp(String text) throws Rejection {
        String t = text.trim();
        if (isEpochMillis(t)) {
            return Long.parseLong(t);
        }
        long utc = canonicalUtcMillis(t);
        if (utc != NOT_CANONICAL) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t.replace(' ', 'T'))
                        .toInstant(ZoneOffset.UTC)
                        .toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e2) {
                throw new Rejection(
                        Reason.INVALID_TIMESTAMP,
                        "cannot read ts '"
                                + cut(t, 64)
                                + "' as ISO-8601, yyyy-MM-dd HH:mm:ss or epoch ms");
            }
        } catch (ArithmeticException e) {
            throw new Rejection(
                    Reason.INVALID_TIMESTAMP, "ts '" + cut(t, 64) + "' is out of range");
        }
    }

    private static boolean isEpochMillis(String t) {
        if (t.isEmpty() || t.length() > 18) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static final long NOT_CANONICAL = Long.MIN_VALUE;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /**
     * Epoch milliseconds of {@code yyyy-MM-ddTHH:mm:ss[.f…]Z} (1 to 9 fraction digits, truncated to
     * milliseconds as {@code OffsetDateTime} does), or {@link #NOT_CANONICAL} for anything else,
     * which the general parsers then read. The form nearly every producer writes, read without
     * {@code DateTimeFormatter}: its parse allocates a dozen objects per call, on the source's hot
     * path.
     */
    static long canonicalUtcMillis(String t) {
        int n = t.length();
        if (n < 20
                || n == 21
                || n > 30
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':'
                || t.charAt(n - 1) != 'Z'
                || (n > 20 && t.charAt(19) != '.')) {
            return NOT_CANONICAL;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int fraction = n > 20 ? digits(t, 20, n - 1) : 0;
        if (year < 0 || month < 1 || month > 12 || fraction < 0) {
            return NOT_CANONICAL;
        }
        if (day < 1
                || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return NOT_CANONICAL;
        }
        int fractionDigits = n > 20 ? n - 21 : 0;
        int millis =
                fractionDigits <= 3
                        ? fraction * POWERS_OF_TEN[3 - fractionDigits]
                        : fraction / POWERS_OF_TEN[fractionDigits - 3];
        long seconds =
                LocalDate.of(year, month, day).toEpochDay() * 86_400L
                        + hour * 3_600L
                        + minute * 60L
                        + second;
        return seconds * 1000 + millis;
    }

    /**
     * The ASCII decimal number in {@code t[from, to)}, or -1 if any of it is not an ASCII digit.
     */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Rejects timestamps outside the configured range. */
    long checkRange(long ts) throws Rejection {
        if (ts < minTs || ts > maxTs) {
            throw new Rejection(
                    Reason.TIMESTAMP_OUT_OF_RANGE,
                    "ts "
                            + Instant.ofEpochMilli(ts)
                            + " is outside ["
                            + Instant.ofEpochMilli(minTs)
                            + ", "
                            + Instant.ofEpochMilli(maxTs)
                            + "]");
        }
        return ts;
    }

    private void readFeatures(JsonNode node, float[] values) throws Rejection {
        if (features.isEmpty()) {
            if (node != null && !node.isNull() && !(node.isObject() && node.isEmpty())) {
                if (!node.isObject()) {
                    throw new Rejection(Reason.MALFORMED_JSON, "'features' must be an object");
                }
                throw new Rejection(
                        Reason.INVALID_FEATURE,
                        "unknown feature '"
                                + node.fieldNames().next()
                                + "' (no features are configured)");
            }
            return;
        }
        if (node == null || !node.isObject()) {
            throw new Rejection(
                    Reason.INVALID_FEATURE, "missing 'features' object with " + features);
        }
        for (int i = 0; i < features.size(); i++) {
            values[i + 1] =
                    number(
                            node.get(features.get(i)),
                            "features." + features.get(i),
                            Reason.INVALID_FEATURE);
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            String name = it.next().getKey();
            if (!features.contains(name)) {
                throw new Rejection(
                        Reason.INVALID_FEATURE,
                        "unknown feature '" + cut(name, 64) + "'; configured: " + features);
            }
        }
    }

    List<String> features() {
        return features;
    }

    private static float number(JsonNode node, String field, Reason invalid) throws Rejection {
        if (node == null || node.isNull()) {
            throw new Rejection(
                    field.equals("value") ? Reason.MISSING_FIELD : invalid,
                    "missing field '" + field + "'");
        }
        double d;
        if (node.isNumber()) {
            d = node.asDouble();
        } else if (node.isTextual()) {
            // Some producers quote their numbers: a string that holds a JSON number is read as
            // one. Java's own number syntax (hex, a d or f suffix, padding) is not JSON's.
            String text = node.asText();
            if (!isJsonNumber(text)) {
                throw new Rejection(
                        invalid, "'" + field + "' is not a number: '" + cut(text, 64) + "'");
            }
            d = Double.parseDouble(text);
        } else {
            throw new Rejection(invalid, "'" + field + "' is not a number");
        }
        if (!Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE) {
            throw new Rejection(invalid, "'" + field + "' is not a finite number: " + d);
        }
        return (float) d;
    }

    /** JSON's number grammar: {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    static boolean isJsonNumber(String t) {
        int i = 0;
        int n = t.length();
        if (i < n && t.charAt(i) == '-') {
            i++;
        }
        if (i < n && t.charAt(i) == '0') {
            i++;
        } else {
            int start = i;
            while (i < n && isDigit(t.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(t.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
                i++;
            }
            int start = i;
            while (i < n && isDigit(t.charAt(i))) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The start of a payload, safe to store: bounded so that a flood of huge records cannot blow up
     * memory.
     */
    public static String rawPrefix(byte[] value) {
        if (value == null) {
            return "";
        }
        int n = Math.min(value.length, MAX_RAW_IN_DEAD_LETTER);
        return new String(value, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The bytes of {@link #rawPrefix} without decoding them: the value itself when short (no copy;
     * the usual reading is far below the limit).
     */
    public static byte[] rawStart(byte[] value) {
        return value.length <= MAX_RAW_IN_DEAD_LETTER
                ? value
                : java.util.Arrays.copyOf(value, MAX_RAW_IN_DEAD_LETTER);
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n) + "...";
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return s == null ? "" : nl < 0 ? s : s.substring(0, nl);
    }

    /** A rejection inside the parser; never escapes {@link #parse}. */
    static final class Rejection extends Exception {
        final Reason reason;

        Rejection(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}

package io.streamcast.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.config.ConfigLoader;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.DeadLetter.Reason;
import io.streamcast.event.Observation;
import io.streamcast.event.ParsedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventParserTest {
    private final EventParser parser =
            new EventParser(List.of("rpm", "load"), ConfigLoader.defaults().time());
    private final EventParser univariate =
            new EventParser(List.of(), ConfigLoader.defaults().time());

    private ParsedEvent parse(EventParser p, String json) {
        return p.parse(
                null, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "events", 2, 41);
    }

    @Test
    void readsTheDesignDocumentExample() {
        ParsedEvent e =
                parse(
                        parser,
                        "{\"series\": \"pump-17\", \"ts\": \"2026-11-25T10:00:00Z\", \"value\": 42.1,"
                                + " \"features\": {\"rpm\": 1480, \"load\": 0.7}}");
        assertTrue(e.isAccepted());
        Observation o = e.observation();
        assertEquals("pump-17", o.series());
        assertEquals(1795600800000L, o.ts());
        assertArrayEquals(new float[] {42.1f, 1480f, 0.7f}, o.values());
        assertEquals("events", o.source());
        assertEquals(2, o.partition());
        assertEquals(41, o.offset());
    }

    @Test
    void aLiveReadingTooFarAheadOfTheClockIsRejectedAndHistoryIsNotJudgedByTheClock() {
        long now = 1795600800000L; // 2026-11-25T10:00:00Z
        EventParser live =
                new EventParser(
                        List.of(),
                        ConfigLoader.defaults().time(),
                        Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
        String inAnHour = "{\"series\": \"a\", \"ts\": " + (now + 3_600_000) + ", \"value\": 1}";
        String inTwoHours = "{\"series\": \"a\", \"ts\": \"2026-11-25T12:00:00Z\", \"value\": 1}";
        assertTrue(
                parse(live, inAnHour).isAccepted(), "time.max-ahead (1 h by default) is allowed");
        DeadLetter d = parse(live, inTwoHours).deadLetter();
        assertEquals(Reason.FUTURE_TIMESTAMP, d.reason());
        assertTrue(
                d.message().contains("7200 s ahead") && d.message().contains("time.max-ahead"),
                d.message());
        assertEquals(inTwoHours, d.raw());
        // A file parser replays history: its result must not depend on when it runs.
        assertTrue(parse(univariate, inTwoHours).isAccepted());
    }

    @Test
    void acceptsEpochMillisAndTakesTheSeriesFromTheKeyWhenAbsent() {
        ParsedEvent e =
                univariate.parse(
                        "s-1".getBytes(StandardCharsets.UTF_8),
                        "{\"ts\": 1795600800000, \"value\": 1}".getBytes(StandardCharsets.UTF_8),
                        "t",
                        0,
                        0);
        assertEquals("s-1", e.observation().series());
        assertEquals(1795600800000L, e.observation().ts());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{not json                                               | MALFORMED_JSON",
                "[1,2,3]                                                 | MALFORMED_JSON",
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": 1}}            | MALFORMED_JSON",
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": 1} garbage     | MALFORMED_JSON",
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": 1}{\"x\": 2} | MALFORMED_JSON",
                "{\"ts\": 1795600800000, \"value\": 1}                   | MISSING_FIELD",
                "{\"series\": \"a\", \"value\": 1}                       | MISSING_FIELD",
                "{\"series\": \"a\", \"ts\": 1795600800000}              | MISSING_FIELD",
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": \"NaN\"}      | INVALID_VALUE",
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": \"Infinity\"} | INVALID_VALUE",
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": 1e999}        | INVALID_VALUE",
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": [1]}          | INVALID_VALUE",
                "{\"series\": \"a\", \"ts\": \"yesterday\", \"value\": 1}            | INVALID_TIMESTAMP",
                "{\"series\": \"a\", \"ts\": \"0001-01-01T00:00:00Z\", \"value\": 1} | TIMESTAMP_OUT_OF_RANGE",
                "{\"series\": \"a\", \"ts\": \"9999-01-01T00:00:00Z\", \"value\": 1} | TIMESTAMP_OUT_OF_RANGE",
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": 1, \"features\": {\"x\": 1}} | INVALID_FEATURE",
            })
    void rejectsBadInputWithAReasonCode(String json, Reason reason) {
        ParsedEvent e = parse(univariate, json);
        assertEquals(reason, e.deadLetter().reason(), e.deadLetter().message());
        assertEquals("events", e.deadLetter().source());
        assertEquals(41, e.deadLetter().offset());
        assertEquals(json, e.deadLetter().raw());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": 1}",
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": 1, \"features\": {\"rpm\": \"fast\", \"load\": 1}}",
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": 1, \"features\": {\"rpm\": 1, \"load\": 1, \"x\": 2}}",
                "{\"series\": \"a\", \"ts\": 1795600800000, \"value\": 1, \"features\": {\"rpm\": 1, \"load\": \"NaN\"}}",
            })
    void featuresMustBeTheConfiguredFiniteNumbers(String json) {
        assertEquals(Reason.INVALID_FEATURE, parse(parser, json).deadLetter().reason());
    }

    private ParsedEvent parseKeyed(byte[] key, String json) {
        return univariate.parse(key, json.getBytes(StandardCharsets.UTF_8), "events", 0, 1);
    }

    @Test
    void aRecordKeyPassesTheSeriesFieldsRules() {
        String noSeries = "{\"ts\": 1795600800000, \"value\": 1}";
        byte[] huge = "k".repeat(300_000).getBytes(StandardCharsets.UTF_8);
        assertEquals(Reason.MALFORMED_JSON, parseKeyed(huge, noSeries).deadLetter().reason());
        assertEquals(
                Reason.MALFORMED_JSON,
                parseKeyed("x".repeat(257).getBytes(StandardCharsets.UTF_8), noSeries)
                        .deadLetter()
                        .reason());
        assertEquals(
                Reason.MALFORMED_JSON,
                parseKeyed("   ".getBytes(StandardCharsets.UTF_8), noSeries).deadLetter().reason());
        // Two different invalid UTF-8 keys would both decode to U+FFFD: one series of two sensors.
        DeadLetter invalid = parseKeyed(new byte[] {(byte) 0xC3}, noSeries).deadLetter();
        assertEquals(Reason.MALFORMED_JSON, invalid.reason());
        assertTrue(invalid.message().contains("UTF-8"), invalid.message());
        assertEquals(
                "pump-é",
                parseKeyed("pump-é".getBytes(StandardCharsets.UTF_8), noSeries)
                        .observation()
                        .series());
    }

    @Test
    void aFieldGivenTwiceIsMalformedNotLastOneWins() {
        DeadLetter d =
                parse(
                                univariate,
                                "{\"series\":\"a\",\"ts\":1795600800000,\"value\":1,\"value\":999}")
                        .deadLetter();
        assertEquals(Reason.MALFORMED_JSON, d.reason());
        assertTrue(d.message().contains("value"), d.message());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "0x1p3", "12d", "' 7 '", "7f", "1_000", "+5", ".5", "5.", "01", "1e", "--1", "''"
            })
    void aQuotedValueMustBeAJsonNumber(String text) {
        ParsedEvent e =
                parse(
                        univariate,
                        "{\"series\":\"a\",\"ts\":1795600800000,\"value\":\"" + text + "\"}");
        assertEquals(Reason.INVALID_VALUE, e.deadLetter().reason(), text);
    }

    @ParameterizedTest
    @CsvSource({"7, 7", "-0.5, -0.5", "1e3, 1000", "2.5E-1, 0.25", "0, 0"})
    void aQuotedJsonNumberIsRead(String text, float expected) {
        ParsedEvent e =
                parse(
                        univariate,
                        "{\"series\":\"a\",\"ts\":1795600800000,\"value\":\"" + text + "\"}");
        assertEquals(expected, e.observation().values()[0], text);
    }

    @Test
    void anEpochTimestampBeyondALongIsOutOfRangeNotWrappedRound() {
        DeadLetter d =
                parse(univariate, "{\"series\":\"a\",\"ts\":18446745773709551616,\"value\":1}")
                        .deadLetter();
        assertEquals(Reason.TIMESTAMP_OUT_OF_RANGE, d.reason());
    }

    @Test
    void emptyAndHugePayloadsAreRejectedWithABoundedRawCopy() {
        assertEquals(Reason.MALFORMED_JSON, parse(univariate, null).deadLetter().reason());
        String huge = "{\"series\": \"" + "x".repeat(EventParser.MAX_PAYLOAD_BYTES) + "\"}";
        DeadLetter d = parse(univariate, huge).deadLetter();
        assertEquals(Reason.TOO_LARGE, d.reason());
        assertEquals(EventParser.MAX_RAW_IN_DEAD_LETTER, d.raw().length());
    }

    /** What {@code parseTimestamp} answered before the canonical form got its own reader. */
    static String generalParse(String t) {
        try {
            return String.valueOf(OffsetDateTime.parse(t).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            try {
                return String.valueOf(
                        LocalDateTime.parse(t.replace(' ', 'T'))
                                .toInstant(ZoneOffset.UTC)
                                .toEpochMilli());
            } catch (DateTimeParseException e2) {
                return "rejected";
            }
        }
    }

    static String fastParse(String t) {
        try {
            return String.valueOf(EventParser.parseTimestamp(t));
        } catch (EventParser.Rejection r) {
            return "rejected";
        }
    }

    @Test
    void canonicalUtcTimestampsReadAsTheGeneralParserReadsThem() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            // Years 0000-9999, with 0 to 9 fraction digits.
            long millis = random.nextLong(-62_167_219_200_000L, 253_402_300_800_000L);
            String t =
                    Instant.ofEpochSecond(
                                    Math.floorDiv(millis, 1000), random.nextInt(1_000_000_000))
                            .toString();
            int digits = random.nextInt(10);
            String head = t.substring(0, 19);
            String canonical =
                    digits == 0
                            ? head + "Z"
                            : head
                                    + "."
                                    + String.format("%09d", random.nextInt(1_000_000_000))
                                            .substring(0, digits)
                                    + "Z";
            assertEquals(generalParse(canonical), fastParse(canonical), canonical);
            assertTrue(EventParser.canonicalUtcMillis(canonical) != Long.MIN_VALUE, canonical);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "2024-02-29T23:59:59.999Z", "2023-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
                "2026-11-25T24:00:00Z",
        "2026-11-25T23:60:00Z", "2026-11-25T23:59:60Z", "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z",
        "2026-11-25T10:00:00.Z", "2026-11-25T10:00:00.1234567891Z", "2026-11-25t10:00:00Z",
                "2026-11-25T10:00:00z",
        "2026-11-25T10:00:00+01:00", "2026-11-25T10:00Z", "2026-11-25 10:00:00",
                "2026-11-25T10:00:00",
        "+12026-11-25T10:00:00Z", "2026-1a-25T10:00:00Z",
    })
    void everyOtherFormAndEveryInvalidDateReadsAsBefore(String t) {
        assertEquals(generalParse(t), fastParse(t), t);
    }
}

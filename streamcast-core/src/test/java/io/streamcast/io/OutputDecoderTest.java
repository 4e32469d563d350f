package io.streamcast.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.config.ConfigOption;
import io.streamcast.config.StreamcastOptions;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.DriftCheck;
import io.streamcast.event.Forecast;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.event.Score;
import io.streamcast.model.Cell;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.model.alert.Severity;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every stream's record, encoded by {@link OutputEncoder}, decodes to the same fields. */
class OutputDecoderTest {
    private static final long T = 1_441_820_280_000L;

    /** Times the encoder writes in its own way: fractions of a second, before 1970, year 10000. */
    private static final long[] TIMES = {T, T + 7, -86_400_001L, 253_402_300_800_000L};

    private static final NetworkSpec SPEC = new NetworkSpec(Cell.LSTM, 2, 16, 1, 2, 7, 0.01, 1, 0);

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void forecastsRoundTrip() {
        for (long ts : TIMES) {
            Forecast f =
                    new Forecast(
                            "speed_7578",
                            ts,
                            3,
                            "lstm",
                            false,
                            new long[] {ts + 300_000, ts + 600_000},
                            new double[] {43.071871217419556, -1e-9},
                            new double[] {32.47965701763471, Double.NaN},
                            new double[] {53.664085417204404, Double.POSITIVE_INFINITY},
                            new String[] {"blend", "network"},
                            new double[] {43.13173985764468, 0.5});
            OutputRecord r = OutputEncoder.forecast(f);
            assertEquals(Stream.FORECASTS, r.stream());
            assertSameForecast(f, OutputDecoder.forecast(r.json()));
            assertSameForecast(
                    f, OutputDecoder.forecast(new String(r.json(), StandardCharsets.UTF_8)));
        }
        Forecast bare =
                new Forecast(
                        "s",
                        T,
                        -1,
                        "gru",
                        true,
                        new long[] {T + 1},
                        new double[] {1},
                        new double[] {0},
                        new double[] {2},
                        null,
                        null);
        assertSameForecast(bare, OutputDecoder.forecast(OutputEncoder.forecast(bare).json()));
    }

    private static void assertSameForecast(Forecast expected, Forecast actual) {
        assertEquals(expected.series(), actual.series());
        assertEquals(expected.ts(), actual.ts());
        assertEquals(expected.modelVersion(), actual.modelVersion());
        assertEquals(expected.cell(), actual.cell());
        assertEquals(expected.coldStart(), actual.coldStart());
        assertArrayEquals(expected.targetTs(), actual.targetTs());
        assertArrayEquals(expected.mean(), actual.mean());
        assertArrayEquals(expected.lower(), actual.lower());
        assertArrayEquals(expected.upper(), actual.upper());
        assertArrayEquals(expected.source(), actual.source());
        assertArrayEquals(expected.network(), actual.network());
    }

    @Test
    void scoresRoundTrip() {
        for (long ts : TIMES) {
            for (long version : new long[] {4, -1}) {
                Score s =
                        new Score(
                                "s",
                                ts,
                                62.0,
                                43.07,
                                32.5,
                                53.7,
                                18.93,
                                0.30007954134281106,
                                Double.NaN,
                                "level",
                                version);
                OutputRecord r = OutputEncoder.score(s);
                assertEquals(Stream.SCORES, r.stream());
                assertEquals(s, OutputDecoder.score(r.json()));
                assertEquals(s, OutputDecoder.score(new String(r.json(), StandardCharsets.UTF_8)));
            }
        }
    }

    @Test
    void alertsRoundTripLooselyAndStrictly() {
        for (AlertStatus state : AlertStatus.values()) {
            for (Severity severity : Severity.values()) {
                AlertEvent a =
                        new AlertEvent(
                                "s",
                                "s-" + T,
                                state,
                                T + 60_000,
                                0.99,
                                severity,
                                62,
                                43,
                                32,
                                53,
                                T,
                                60_000,
                                "value 62.0 above expected band",
                                "level",
                                1e-7);
                OutputRecord r = OutputEncoder.alert(a);
                assertEquals(Stream.ALERTS, r.stream());
                assertEquals(a, OutputDecoder.alertEvent(r.json()));
                assertEquals(
                        new AlertOutput(
                                a.series(),
                                a.alertId(),
                                state.name().toLowerCase(java.util.Locale.ROOT),
                                a.ts(),
                                a.score(),
                                severity.name().toLowerCase(java.util.Locale.ROOT),
                                a.actual(),
                                a.expected(),
                                a.lower(),
                                a.upper(),
                                a.openedAt(),
                                a.durationMs(),
                                a.reason(),
                                a.channel(),
                                a.surprise()),
                        OutputDecoder.alert(r.json()));
            }
        }
    }

    @Test
    void modelVersionsAndDriftEventsRoundTrip() {
        ModelUpdate m = new ModelUpdate(5, "lstm", 0.2, 0.25, 0.5, 4100, new float[] {1, 2, 3});
        OutputRecord r = OutputEncoder.model(m, SPEC);
        assertEquals(Stream.MODELS, r.stream());
        assertEquals(
                new ModelOutput(5, "lstm", SPEC.summary(), 0.2, 0.25, 0.5, 4100, 3),
                OutputDecoder.models(r.json()));

        DriftCheck d = new DriftCheck(true, 1.7333, 0.3168, 5.43, 5, 4096).at(T);
        assertEquals(
                new DriftOutput(T, 1.7333, 0.3168, 5.43, 5, 4096, 5),
                OutputDecoder.models(OutputEncoder.drift(d, m).json()));
        DriftCheck untimed = new DriftCheck(true, 0.9, 0.25, 5.1, 5, 5000);
        DriftOutput none =
                (DriftOutput) OutputDecoder.models(OutputEncoder.drift(untimed, null).json());
        assertEquals(new DriftOutput(Long.MIN_VALUE, 0.9, 0.25, 5.1, 5, 5000, -1), none);
        assertFalse(none.promoted());
    }

    @Test
    void deadLettersRoundTripFromKafkaAndFromFiles() {
        for (DeadLetter d :
                List.of(
                        new DeadLetter(
                                DeadLetter.Reason.MALFORMED_JSON, "not JSON", "{", "events", 1, 42),
                        new DeadLetter(
                                DeadLetter.Reason.INVALID_VALUE,
                                "not a number: 'n/a'",
                                "2015-09-09 04:19:00,n/a",
                                "file:/tmp/in/speed_7578.csv",
                                -1,
                                201))) {
            OutputRecord r = OutputEncoder.deadLetter(d);
            assertEquals(Stream.DEAD_LETTERS, r.stream());
            assertEquals(d, OutputDecoder.deadLetter(r.json()));
        }
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingOnesReadAsNaNOrDefaults() {
        Score s =
                OutputDecoder.score(
                        "{\"series\":\"s\",\"ts\":1000,\"actual\":\"NaN\",\"lower\":null,\"future\":[1]}");
        assertEquals(1000, s.ts());
        assertTrue(Double.isNaN(s.actual()) && Double.isNaN(s.lower()) && Double.isNaN(s.score()));
        assertEquals(-1, s.modelVersion());
        Forecast f = OutputDecoder.forecast("{\"series\":\"s\",\"ts\":\"2024-01-01T00:00:00Z\"}");
        assertEquals(0, f.mean().length);
        assertEquals(-1, f.modelVersion());
        assertNull(f.source());
        AlertOutput a =
                OutputDecoder.alert(
                        "{\"series\":\"s\",\"alertId\":\"a\",\"state\":\"open\",\"ts\":\"2024-01-01T00:00:00Z\"}");
        assertEquals("", a.severity());
        assertEquals(Long.MIN_VALUE, a.openedAt());
        // The strict reading of the notifier: a missing time is a missing time.
        AlertEvent e =
                OutputDecoder.alertEvent(
                        bytes(
                                "{\"series\":\"s\",\"alertId\":\"s-1\",\"state\":\"open\",\"severity\":\"warning\","
                                        + "\"ts\":\"2026-01-01T00:01:00Z\",\"openedAt\":\"2026-01-01T00:00:00Z\","
                                        + "\"future\":[1]}"));
        assertEquals(AlertStatus.OPEN, e.state());
        assertEquals(60_000, e.durationMs());
        assertTrue(Double.isNaN(e.score()));
    }

    @Test
    void anUnreadableRecordSaysWhatIsWrong() {
        assertEquals("not JSON", why(() -> OutputDecoder.score("not json")));
        assertEquals("not a JSON object", why(() -> OutputDecoder.score("[1]")));
        assertEquals("not a JSON object", why(() -> OutputDecoder.forecast((byte[]) null)));
        assertEquals("no series", why(() -> OutputDecoder.score("{\"ts\":1}")));
        assertEquals(
                "ts '+1000000000-01-01T00:00:00Z' is not a time (ISO-8601 or epoch milliseconds,"
                        + " within 285,000 years of 1970)",
                why(
                        () ->
                                OutputDecoder.forecast(
                                        "{\"series\":\"s\",\"ts\":\"+1000000000-01-01T00:00:00Z\"}")));
        assertEquals("no alertId or state", why(() -> OutputDecoder.alert("{\"series\":\"s\"}")));
        assertEquals("no version", why(() -> OutputDecoder.models("{\"cell\":\"lstm\"}")));
        assertTrue(
                why(() -> OutputDecoder.models("{\"drift\":{\"ts\":\"yesterday\"}}"))
                        .contains("yesterday"));
        assertEquals(
                "reason 'EXPLODED' is unknown",
                why(() -> OutputDecoder.deadLetter("{\"reason\":\"EXPLODED\",\"source\":\"x\"}")));
        // The notifier's strict reading.
        assertEquals(
                "no alertId", why(() -> OutputDecoder.alertEvent(bytes("{\"series\":\"s\"}"))));
        assertTrue(why(() -> OutputDecoder.alertEvent(bytes("{"))).startsWith("not JSON"));
        assertEquals(
                "state 'exploded' is unknown",
                why(
                        () ->
                                OutputDecoder.alertEvent(
                                        bytes(
                                                "{\"series\":\"s\",\"alertId\":\"s-1\",\"state\":\"exploded\","
                                                        + "\"severity\":\"warning\"}"))));
    }

    private static String why(Runnable decode) {
        return assertThrows(OutputDecoder.Unreadable.class, decode::run).getMessage();
    }

    @Test
    void eachStreamNamesItsFileAndTheOptionOfItsTopic() {
        Set<String> keys =
                StreamcastOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        Set<String> files = new java.util.HashSet<>();
        for (Stream s : EnumSet.allOf(Stream.class)) {
            assertTrue(keys.contains(s.topicKey()), s.topicKey());
            assertTrue(files.add(s.fileName()), s.fileName());
            assertEquals(s, Stream.of(s.displayName()).orElseThrow());
        }
        assertEquals("dead-letters.jsonl", Stream.DEAD_LETTERS.fileName());
        assertEquals("kafka.topics.dead-letters", Stream.DEAD_LETTERS.topicKey());
    }
}

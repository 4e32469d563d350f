package io.streamcast.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.config.ConfigLoader;
import io.streamcast.event.DeadLetter.Reason;
import io.streamcast.event.ParsedEvent;
import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryRowParserTest {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private static HistoryRowParser parser(String... overrides) {
        return HistoryRowParser.of(ConfigLoader.load(null, List.of(overrides)));
    }

    private static List<ParsedEvent> rows(HistoryRowParser parser, String fileName, String text)
            throws Exception {
        List<ParsedEvent> out = new ArrayList<>();
        try (HistoryRowParser.Rows rows =
                parser.rows(
                        new BufferedReader(new StringReader(text)), "dir/" + fileName, fileName)) {
            ParsedEvent e;
            while ((e = rows.next()) != null) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void csvRowsBecomeObservationsOfTheFilesSeriesAndBadRowsDeadLettersWithTheirLine()
            throws Exception {
        List<ParsedEvent> parsed =
                rows(
                        parser(),
                        "machine_7.csv",
                        """
                timestamp,value
                2026-01-01T00:00:00Z,1.5

                2026-01-01T00:01:00Z,abc
                2026-01-01T00:02:00Z
                "2026-01-01T00:03:00Z","2.5"
                """);
        assertEquals(4, parsed.size(), "the blank line is skipped");

        assertTrue(parsed.get(0).isAccepted());
        assertEquals(
                "machine_7",
                parsed.get(0).observation().series(),
                "the file name without extension");
        assertEquals(T0, parsed.get(0).observation().ts());
        assertArrayEquals(new float[] {1.5f}, parsed.get(0).observation().values());
        assertEquals(
                2,
                parsed.get(0).observation().offset(),
                "1-based line number, the header is line 1");

        assertEquals(Reason.INVALID_VALUE, parsed.get(1).deadLetter().reason());
        assertEquals(4, parsed.get(1).deadLetter().offset());
        assertEquals("dir/machine_7.csv", parsed.get(1).deadLetter().source());
        assertEquals(Reason.MALFORMED_ROW, parsed.get(2).deadLetter().reason());
        assertEquals(5, parsed.get(2).deadLetter().offset());

        assertTrue(parsed.get(3).isAccepted(), "quoted cells lose their quotes");
        assertArrayEquals(new float[] {2.5f}, parsed.get(3).observation().values());
    }

    @Test
    void cellsInJavasOwnNumberSyntaxAreNotNumbers() throws Exception {
        List<ParsedEvent> parsed =
                rows(
                        parser(),
                        "m.csv",
                        """
                timestamp,value
                2026-01-01T00:00:00Z,0x1p3
                2026-01-01T00:01:00Z,12d
                2026-01-01T00:02:00Z,Infinity
                2026-01-01T00:03:00Z, 7
                2026-01-01T00:04:00Z,-1.5e2
                """);
        for (int i = 0; i < 3; i++) {
            assertEquals(Reason.INVALID_VALUE, parsed.get(i).deadLetter().reason(), "row " + i);
        }
        assertArrayEquals(new float[] {7f}, parsed.get(3).observation().values(), "padding");
        assertArrayEquals(new float[] {-150f}, parsed.get(4).observation().values());
    }

    @Test
    void columnsAreFoundByNameWithTheTargetFirstThenTheFeatures() throws Exception {
        HistoryRowParser parser = parser("input.target=OT", "window.features=HUFL");
        List<ParsedEvent> parsed =
                rows(
                        parser,
                        "ETTh1.csv",
                        """
                date,HUFL,HULL,OT
                2026-01-01 00:00:00,5.8,2.0,30.5
                """);
        assertTrue(parsed.get(0).isAccepted(), parsed.get(0).toString());
        assertArrayEquals(new float[] {30.5f, 5.8f}, parsed.get(0).observation().values());
        assertEquals(T0, parsed.get(0).observation().ts(), "'date' is a timestamp column name");
    }

    @Test
    void aHeaderWithoutTheNeededColumnsIsAFileLevelErrorNamingThem() {
        IllegalArgumentException noTime =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> parser().columns("when,value", "f.csv"));
        assertTrue(noTime.getMessage().contains("no timestamp column"), noTime.getMessage());
        IllegalArgumentException noTarget =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> parser("input.target=OT").columns("timestamp,value", "f.csv"));
        assertTrue(noTarget.getMessage().contains("'OT'"), noTarget.getMessage());
        UserError empty = assertThrows(UserError.class, () -> rows(parser(), "empty.csv", ""));
        assertEquals(
                "dir/empty.csv:1: the file is empty; a CSV history file needs a header row (e.g. timestamp,value)",
                empty.getMessage());
    }

    @Test
    void aMissingTargetColumnSaysWhichColumnsThereAreAndWhatToSet() {
        UserError e =
                assertThrows(
                        UserError.class, () -> parser().columns("date,HUFL,HULL,OT", "ETTh1.csv"));
        assertEquals(
                "ETTh1.csv:1: the target column 'value' is not in the header; the columns are date, HUFL, HULL,"
                        + " OT; set input.target=<one of them> (e.g. --set input.target=OT)",
                e.getMessage());
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsIgnored() throws Exception {
        List<ParsedEvent> parsed =
                rows(parser(), "bom.csv", "\uFEFFtimestamp,value\n2026-01-01 00:00:00,3.5\n");
        assertTrue(parsed.get(0).isAccepted(), parsed.get(0).toString());
        assertEquals(T0, parsed.get(0).observation().ts());
        List<ParsedEvent> json =
                rows(
                        parser(),
                        "bom.jsonl",
                        "\uFEFF{\"ts\":\"2026-01-01T00:00:00Z\",\"value\":3}\n");
        assertTrue(json.get(0).isAccepted(), json.get(0).toString());
    }

    @Test
    void semicolonSeparatedFilesAreReadWithTheirDecimalCommas() throws Exception {
        List<ParsedEvent> parsed =
                rows(
                        parser(),
                        "semi.csv",
                        """
                timestamp;value
                2026-01-01 00:00:00;3,5
                2026-01-01 00:01:00;4.25
                """);
        assertTrue(parsed.get(0).isAccepted(), parsed.get(0).toString());
        assertArrayEquals(new float[] {3.5f}, parsed.get(0).observation().values());
        assertArrayEquals(new float[] {4.25f}, parsed.get(1).observation().values());
    }

    @Test
    void jsonLinesRowsAreEventsWhoseMissingSeriesIsTheFileName() throws Exception {
        List<ParsedEvent> parsed =
                rows(
                        parser(),
                        "pump.jsonl",
                        """
                {"ts":"2026-01-01T00:00:00Z","value":3}
                {"series":"other","ts":"2026-01-01T00:01:00Z","value":4}
                {"ts":"2026-01-01T00:02:00Z"}
                """);
        assertEquals("pump", parsed.get(0).observation().series());
        assertEquals("other", parsed.get(1).observation().series());
        assertFalse(parsed.get(2).isAccepted());
        assertEquals(Reason.MISSING_FIELD, parsed.get(2).deadLetter().reason());
        assertEquals(3, parsed.get(2).deadLetter().offset(), "JSON Lines have no header");
    }

    @Test
    void fileNamesDecideFormatAndSeries() {
        assertTrue(HistoryRowParser.isJsonLines("a.jsonl"));
        assertTrue(HistoryRowParser.isJsonLines("a.ndjson"));
        assertFalse(HistoryRowParser.isJsonLines("a.csv"));
        assertEquals("a.b", HistoryRowParser.seriesOf("a.b.csv"));
        assertEquals("noext", HistoryRowParser.seriesOf("noext"));
    }
}

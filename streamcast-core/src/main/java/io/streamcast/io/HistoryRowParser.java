package io.streamcast.io;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.DeadLetter.Reason;
import io.streamcast.event.Observation;
import io.streamcast.event.ParsedEvent;
import io.streamcast.io.EventParser.Rejection;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the rows of history files (docs/design.md §2): CSV with a header row, one series per file
 * (series id = file name without extension), a timestamp column and numeric columns; or JSON Lines
 * in the event format. Like {@link EventParser}, it never throws on input: a bad row becomes a dead
 * letter with the file and line number.
 *
 * <p>The timestamp column is {@code timestampColumn}, or else the first of {@code timestamp},
 * {@code date}, {@code ts}, {@code time}; the target column is {@code targetColumn}; features are
 * the configured names. So NAB's {@code timestamp,value} and ETT's {@code date,HUFL,...,OT} layouts
 * work without renaming.
 */
public final class HistoryRowParser implements Serializable {
    private static final List<String> TIMESTAMP_NAMES = List.of("timestamp", "date", "ts", "time");

    private final EventParser events;
    private final String timestampColumn;
    private final String targetColumn;

    public HistoryRowParser(EventParser events, String timestampColumn, String targetColumn) {
        this.events = events;
        this.timestampColumn = timestampColumn;
        this.targetColumn = targetColumn;
    }

    /**
     * The parser the configuration describes: its features, time limits, timestamp and target
     * columns.
     */
    public static HistoryRowParser of(StreamcastConfig config) {
        return new HistoryRowParser(
                new EventParser(config.window().features(), config.time()),
                config.input().timestampColumn(),
                config.input().target());
    }

    public static boolean isJsonLines(String fileName) {
        return fileName.endsWith(".jsonl")
                || fileName.endsWith(".json")
                || fileName.endsWith(".ndjson");
    }

    /** The series id of a CSV file: its name without the extension. */
    public static String seriesOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /**
     * Column positions of a CSV header, resolved once per file, and the file's separator: a comma,
     * or a semicolon when the header has semicolons and no comma (as spreadsheets write CSV in
     * locales with a decimal comma; a decimal comma in such a file's numbers is read as a point).
     */
    public record Columns(int timestamp, int[] values, int count, char separator)
            implements Serializable {}

    /** The byte-order mark some editors write at the start of a UTF-8 file (decoded: U+FEFF). */
    private static final char BOM = '\uFEFF';

    /**
     * Resolves the header (line 1 of {@code file}); a leading byte-order mark is ignored. Throws
     * {@link UserError} naming the missing column, the columns there are and the setting to change.
     */
    public Columns columns(String headerLine, String file) {
        String header = stripBom(headerLine);
        char separator = header.indexOf(',') < 0 && header.indexOf(';') >= 0 ? ';' : ',';
        List<String> names = Arrays.stream(split(header, separator)).map(String::trim).toList();
        int ts = -1;
        if (timestampColumn != null) {
            ts = names.indexOf(timestampColumn);
        } else {
            for (String candidate : TIMESTAMP_NAMES) {
                if (names.contains(candidate)) {
                    ts = names.indexOf(candidate);
                    break;
                }
            }
        }
        if (ts < 0) {
            throw UserError.at(
                    file,
                    1,
                    (timestampColumn != null
                                    ? "the timestamp column '"
                                            + timestampColumn
                                            + "' (input.timestamp-column) is not in the header"
                                    : "no timestamp column ("
                                            + String.join(", ", TIMESTAMP_NAMES)
                                            + ") in the header")
                            + "; the columns are "
                            + String.join(", ", names)
                            + "; set input.timestamp-column=<one of them>");
        }
        List<String> wanted = new java.util.ArrayList<>();
        wanted.add(targetColumn);
        wanted.addAll(events.features());
        int[] values = new int[wanted.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = names.indexOf(wanted.get(i));
            if (values[i] < 0) {
                throw UserError.at(
                        file,
                        1,
                        (i == 0
                                ? "the target column '"
                                        + wanted.get(i)
                                        + "' is not in the"
                                        + " header; the columns are "
                                        + String.join(", ", names)
                                        + "; set input.target=<one of them>"
                                        + " (e.g. --set input.target="
                                        + names.get(names.size() - 1)
                                        + ")"
                                : "the feature column '"
                                        + wanted.get(i)
                                        + "' (window.features) is not in the header; the"
                                        + " columns are "
                                        + String.join(", ", names)
                                        + "; set window.features to some of them"));
            }
        }
        return new Columns(ts, values, names.size(), separator);
    }

    /** One CSV data row at 1-based {@code line} of {@code file}. */
    public ParsedEvent csvRow(
            Columns columns, String series, String line, String file, long lineNumber) {
        String[] cells = split(line, columns.separator());
        try {
            if (cells.length != columns.count()) {
                throw new Rejection(
                        Reason.MALFORMED_ROW,
                        "expected " + columns.count() + " columns, found " + cells.length);
            }
            long ts = events.checkRange(EventParser.parseTimestamp(cells[columns.timestamp()]));
            float[] values = new float[columns.values().length];
            for (int i = 0; i < values.length; i++) {
                String cell = cells[columns.values()[i]];
                values[i] =
                        number(
                                columns.separator() == ';' ? cell.replace(',', '.') : cell,
                                i == 0 ? Reason.INVALID_VALUE : Reason.INVALID_FEATURE);
            }
            return ParsedEvent.accepted(
                    new Observation(
                            series,
                            ts,
                            values,
                            file,
                            -1,
                            lineNumber,
                            EventParser.rawStart(line.getBytes(StandardCharsets.UTF_8))));
        } catch (Rejection r) {
            return ParsedEvent.rejected(
                    new DeadLetter(
                            r.reason,
                            r.getMessage(),
                            EventParser.rawPrefix(line.getBytes(StandardCharsets.UTF_8)),
                            file,
                            -1,
                            lineNumber));
        }
    }

    /** One JSON Lines row; a missing series id falls back to the file's name. */
    public ParsedEvent jsonRow(String series, String line, String file, long lineNumber) {
        return events.parse(
                series.getBytes(StandardCharsets.UTF_8),
                line.getBytes(StandardCharsets.UTF_8),
                file,
                -1,
                lineNumber);
    }

    /**
     * The data rows of one history file, in order, one {@link ParsedEvent} per non-blank data row
     * (a CSV file's header is read first); used by the Flink file source and by the offline {@code
     * train} command alike.
     */
    public Rows rows(java.io.BufferedReader in, String file, String fileName)
            throws java.io.IOException {
        return new Rows(in, file, fileName);
    }

    /** See {@link #rows}. Not thread-safe; closes the reader it was given. */
    public final class Rows implements java.io.Closeable {
        private final java.io.BufferedReader in;
        private final String file;
        private final String series;
        private final boolean jsonLines;
        private Columns columns;
        private long lineNumber;

        private Rows(java.io.BufferedReader in, String file, String fileName)
                throws java.io.IOException {
            this.in = in;
            this.file = file;
            this.series = seriesOf(fileName);
            this.jsonLines = isJsonLines(fileName);
            if (!jsonLines) {
                String header = in.readLine();
                lineNumber++;
                if (header == null) {
                    throw UserError.at(
                            file,
                            1,
                            "the file is empty; a CSV history file needs a header row (e.g."
                                    + " timestamp,value)");
                }
                columns = columns(header, file);
            }
        }

        /** The next data row, parsed, or null at the end of the file. */
        public ParsedEvent next() throws java.io.IOException {
            String line;
            do {
                line = in.readLine();
                lineNumber++;
            } while (line != null && line.isBlank());
            if (line == null) {
                return null;
            }
            if (lineNumber == 1) {
                line = stripBom(line);
            }
            return jsonLines
                    ? jsonRow(series, line, file, lineNumber)
                    : csvRow(columns, series, line, file, lineNumber);
        }

        @Override
        public void close() throws java.io.IOException {
            in.close();
        }
    }

    private static float number(String cell, Reason invalid) throws Rejection {
        String c = cell.trim();
        double d;
        try {
            if (!isDecimal(c)) {
                // Java also reads hex ("0x1p3"), type suffixes ("12d") and "Infinity".
                throw new NumberFormatException(c);
            }
            d = Double.parseDouble(c);
        } catch (NumberFormatException e) {
            throw new Rejection(
                    invalid, "not a number: '" + (c.length() > 64 ? c.substring(0, 64) : c) + "'");
        }
        if (!Double.isFinite(d) || Math.abs(d) > Float.MAX_VALUE) {
            throw new Rejection(invalid, "not a finite number: " + c);
        }
        return (float) d;
    }

    /** Only what a decimal number in a CSV cell is written with: digits, sign, point, exponent. */
    private static boolean isDecimal(String c) {
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if ((ch < '0' || ch > '9')
                    && ch != '-'
                    && ch != '+'
                    && ch != '.'
                    && ch != 'e'
                    && ch != 'E') {
                return false;
            }
        }
        return true;
    }

    private static String stripBom(String line) {
        return !line.isEmpty() && line.charAt(0) == BOM ? line.substring(1) : line;
    }

    /**
     * Splits a CSV line on the separator; quoted cells (no embedded separators in our formats) lose
     * their quotes.
     */
    private static String[] split(String line, char separator) {
        String[] cells = line.split(separator == ';' ? ";" : ",", -1);
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].trim();
            if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
                cells[i] = c.substring(1, c.length() - 1);
            }
        }
        return cells;
    }
}

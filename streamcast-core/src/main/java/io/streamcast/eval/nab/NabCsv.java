package io.streamcast.eval.nab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A NAB-style CSV (header line, comma-separated, no quoting) held as text, with typed column
 * access.
 *
 * <p>Used for NAB data files ({@code timestamp,value}) and detector result files ({@code
 * timestamp,value,anomaly_score,...}). NAB files never quote fields, so a plain split is enough;
 * anything else is rejected with the file and line.
 */
public final class NabCsv {

    private final Path source;
    private final List<String> header;
    private final List<String[]> rows;

    private NabCsv(Path source, List<String> header, List<String[]> rows) {
        this.source = source;
        this.header = header;
        this.rows = rows;
    }

    /** Reads the whole file; blank lines are skipped. */
    public static NabCsv read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + ": empty file, expected a header line");
        }
        String first = lines.get(0);
        // A byte-order mark (U+FEFF) some editors write first is not part of the first column's
        // name.
        List<String> header =
                List.of(
                        (first.startsWith("\uFEFF") ? first.substring(1) : first)
                                .strip()
                                .split(",", -1));
        List<String[]> rows = new ArrayList<>(lines.size() - 1);
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != header.size()) {
                throw new IllegalArgumentException(
                        file
                                + ":"
                                + (n + 1)
                                + ": "
                                + cells.length
                                + " fields, header has "
                                + header.size());
            }
            rows.add(cells);
        }
        return new NabCsv(file, header, rows);
    }

    public List<String> header() {
        return header;
    }

    public int rows() {
        return rows.size();
    }

    public boolean hasColumn(String name) {
        return header.contains(name);
    }

    /** The named column as text. */
    public String[] text(String column) {
        int c = index(column);
        return rows.stream().map(r -> r[c]).toArray(String[]::new);
    }

    /** The named column parsed as doubles. */
    public double[] doubles(String column) {
        int c = index(column);
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            try {
                out[r] = Double.parseDouble(rows.get(r)[c]);
            } catch (NumberFormatException e) {
                throw notA("a number", r, c, column);
            }
        }
        return out;
    }

    /** The error for a cell of data row {@code r} (line {@code r + 2}) that is not {@code what}. */
    private IllegalArgumentException notA(String what, int r, int c, String column) {
        return new IllegalArgumentException(
                String.format(
                        "%s:%d: column %s is not %s: '%s'",
                        source, r + 2, column, what, rows.get(r)[c]));
    }

    /** The named column parsed as NAB timestamps; see {@link #parseTimestamp(String)}. */
    public LocalDateTime[] timestamps(String column) {
        int c = index(column);
        LocalDateTime[] out = new LocalDateTime[rows.size()];
        for (int r = 0; r < out.length; r++) {
            try {
                out[r] = parseTimestamp(rows.get(r)[c]);
            } catch (DateTimeParseException e) {
                throw notA("a timestamp", r, c, column);
            }
        }
        return out;
    }

    /**
     * Parses NAB's timestamp text ({@code 2015-09-11 15:34:00}, optionally with fractional seconds
     * as in the labels file) to a zone-less time; NAB compares them as pandas datetimes, so {@code
     * 15:34:00} and {@code 15:34:00.000000} are the same instant.
     */
    public static LocalDateTime parseTimestamp(String text) {
        return LocalDateTime.parse(text.strip().replace(' ', 'T'));
    }

    private int index(String column) {
        int c = header.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException(
                    source + ": no column '" + column + "', header is " + header);
        }
        return c;
    }
}

package io.streamcast.io;

import io.streamcast.event.ParsedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.assigners.SimpleSplitAssigner;

/**
 * The history files of a replay: a file, or every {@code .csv} / {@code .jsonl} file below a
 * directory (recursively, in sorted order so that replays are reproducible), and the bounded {@code
 * FileSource} that reads them.
 */
public final class HistoryFiles {
    private final List<Path> files;

    private HistoryFiles(List<Path> files) {
        this.files = files;
    }

    /** Finds the history files at {@code input}; fails with a message if there are none. */
    public static HistoryFiles at(Path input) throws IOException {
        if (!Files.exists(input)) {
            throw new UserError(
                    "input "
                            + input.toAbsolutePath()
                            + " does not exist; --input takes a .csv or .jsonl"
                            + " file or a folder of them (relative paths are from the current directory)");
        }
        List<Path> found;
        try (Stream<Path> walk = Files.walk(input)) {
            found =
                    walk.filter(Files::isRegularFile)
                            .filter(
                                    p -> {
                                        String name = p.getFileName().toString();
                                        return !name.startsWith(".")
                                                && (name.endsWith(".csv")
                                                        || HistoryRowParser.isJsonLines(name));
                                    })
                            .sorted()
                            .toList();
        }
        if (found.isEmpty()) {
            throw new UserError("no .csv or .jsonl files at " + input.toAbsolutePath());
        }
        checkOneFilePerSeries(found);
        return new HistoryFiles(found);
    }

    /**
     * A CSV file's series is its file name, so two files of one name in different folders would
     * merge into one series, the later one's rows dead-lettered as LATE.
     */
    private static void checkOneFilePerSeries(List<Path> files) {
        java.util.Map<String, Path> bySeries = new java.util.HashMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!name.endsWith(".csv")) {
                continue; // JSON Lines rows name their own series
            }
            Path other = bySeries.putIfAbsent(HistoryRowParser.seriesOf(name), f);
            if (other != null) {
                throw new UserError(
                        "two input files would be one series '"
                                + HistoryRowParser.seriesOf(name)
                                + "': "
                                + other
                                + " and "
                                + f
                                + " (a CSV file's series is its file name); rename one or replay"
                                + " them separately");
            }
        }
    }

    public List<Path> files() {
        return files;
    }

    /**
     * Data rows in all files (non-blank lines, less one header per CSV file): the progress bar's
     * total.
     */
    public long countRows() {
        long rows = 0;
        for (Path f : files) {
            rows += countLines(f) - (f.getFileName().toString().endsWith(".csv") ? 1 : 0);
        }
        return rows;
    }

    private static long countLines(Path file) {
        long lines = 0;
        boolean blank = true;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        lines += blank ? 0 : 1;
                        blank = true;
                    } else if (b != '\r' && b != ' ' && b != '\t') {
                        blank = false;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines + (blank ? 0 : 1);
    }

    /**
     * Reads every file once with {@code parser}, so that what would silently lose data fails with a
     * {@link UserError} before a job starts and before any output is written: a wrong column,
     * separator or an empty file, a file with no data rows, and a file in descending time order
     * (newest first), whose rows after the first would all be dead-lettered as late.
     */
    public void check(HistoryRowParser parser) throws IOException {
        for (Path f : files) {
            TimeOrder order = new TimeOrder();
            try (HistoryRowParser.Rows rows =
                    parser.rows(
                            Files.newBufferedReader(f), f.toString(), f.getFileName().toString())) {
                for (ParsedEvent e = rows.next(); e != null; e = rows.next()) {
                    if (e.isAccepted()) {
                        order.add(e.observation().series(), e.observation().ts());
                    } else {
                        order.addRejected();
                    }
                }
            }
            if (order.rows() == 0) {
                throw new UserError(
                        f
                                + ": no data rows"
                                + (f.getFileName().toString().endsWith(".csv")
                                        ? " below the header"
                                        : "")
                                + "; nothing to replay");
            }
            if (order.isMostlyDescending()) {
                throw new UserError(
                        f
                                + ": newest first ("
                                + order.backwardSteps()
                                + " of "
                                + order.steps()
                                + " rows are older than the row before them); a replay reads rows"
                                + " oldest first, so sort the file by time, e.g. (head -n 1 FILE &&"
                                + " tail -n +2 FILE | tac) > sorted.csv");
            }
        }
    }

    public FileSource<ParsedEvent> source(HistoryRowParser rows) {
        org.apache.flink.core.fs.Path[] paths =
                files.stream()
                        .map(p -> new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()))
                        .toArray(org.apache.flink.core.fs.Path[]::new);
        // Files are handed out in a fixed order (not by locality), so that replays are
        // reproducible.
        return FileSource.forBulkFileFormat(new HistoryFormat(rows), paths)
                .setSplitAssigner(SimpleSplitAssigner::new)
                .build();
    }
}

package io.streamcast.cli;

import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.FileOutputSink;
import io.streamcast.io.OutputDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Progress of a backfill to files, read from the output itself (every input row yields exactly one
 * forecast or dead letter): a bar on a terminal, a log line every five seconds otherwise, and a
 * summary at the end.
 */
final class BackfillProgress {
    private static final long LOG_EVERY_NANOS = 5_000_000_000L;

    private final Path output;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final Map<Stream, long[]> seen = new TreeMap<>(); // stream -> {bytes read, lines}
    private long lastLog;

    BackfillProgress(Path output, long total, PrintStream out, boolean terminal) {
        this.output = output;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
    }

    void update(long elapsedNanos) {
        if (output == null) {
            if (elapsedNanos - lastLog >= LOG_EVERY_NANOS) {
                lastLog = elapsedNanos;
                out.printf("backfill running for %.0f s%n", elapsedNanos / 1e9);
            }
            return;
        }
        long done = lines(Stream.FORECASTS) + lines(Stream.DEAD_LETTERS);
        double rate = done / Math.max(elapsedNanos / 1e9, 1e-9);
        if (terminal) {
            int width = 30;
            double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 0;
            int filled = (int) (fraction * width);
            long eta = rate > 0 && total > done ? (long) ((total - done) / rate) : 0;
            out.printf(
                    "\r[%s%s] %,d / %,d rows  %,.0f rows/s  ETA %d:%02d ",
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    done,
                    total,
                    rate,
                    eta / 60,
                    eta % 60);
            out.flush();
        } else if (elapsedNanos - lastLog >= LOG_EVERY_NANOS) {
            lastLog = elapsedNanos;
            out.printf("backfill: %,d / %,d rows, %,.0f rows/s%n", done, total, rate);
        }
    }

    /** Counts lines appended to a stream's file since the last call (only new bytes are read). */
    private long lines(Stream stream) {
        long[] state = seen.computeIfAbsent(stream, s -> new long[2]);
        Path file = FileOutputSink.file(output, stream);
        if (!Files.exists(file)) {
            return state[1];
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(state[0]);
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = raf.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        state[1]++;
                    }
                }
                state[0] += n;
            }
        } catch (IOException e) {
            // The sink may be rotating or closing the file; the next poll catches up.
        }
        return state[1];
    }

    void finish(long elapsedNanos) throws IOException {
        double seconds = elapsedNanos / 1e9;
        if (terminal) {
            update(elapsedNanos);
            out.println();
        }
        if (output == null) {
            out.printf("Backfill finished in %.1f s%n", seconds);
            return;
        }
        Set<String> series = new HashSet<>();
        long forecasts = 0;
        try (BufferedReader r =
                Files.newBufferedReader(FileOutputSink.file(output, Stream.FORECASTS))) {
            String line;
            while ((line = r.readLine()) != null) {
                forecasts++;
                series.add(OutputDecoder.forecast(line).series());
            }
        }
        Map<String, Long> reasons = new TreeMap<>();
        long deadLetters = 0;
        try (BufferedReader r =
                Files.newBufferedReader(FileOutputSink.file(output, Stream.DEAD_LETTERS))) {
            String line;
            while ((line = r.readLine()) != null) {
                deadLetters++;
                reasons.merge(OutputDecoder.deadLetter(line).reason().name(), 1L, Long::sum);
            }
        }
        long rows = forecasts + deadLetters;
        out.println("Summary");
        out.printf("  rows           %,d%n", rows);
        out.printf("  series         %,d%n", series.size());
        out.printf("  forecasts      %,d%n", forecasts);
        out.printf("  scores         %,d%n", countLines(Stream.SCORES));
        out.printf("  alerts         %,d%n", countLines(Stream.ALERTS));
        out.printf("  model versions %,d promoted%n", countLines(Stream.MODELS));
        out.printf("  dead letters   %,d %s%n", deadLetters, reasons.isEmpty() ? "" : reasons);
        out.printf("  wall time      %.1f s (%,.0f rows/s)%n", seconds, rows / seconds);
        out.printf("  output         %s%n", output.toAbsolutePath());
    }

    private long countLines(Stream stream) throws IOException {
        try (var lines = Files.lines(FileOutputSink.file(output, stream))) {
            return lines.count();
        }
    }
}

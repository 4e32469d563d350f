package io.streamcast.io;

import io.streamcast.event.OutputRecord;
import io.streamcast.event.OutputRecord.Stream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes each of its output streams as JSON Lines to its file in {@code DIR} ({@link
 * Stream#fileName()}: {@code forecasts.jsonl}, {@code scores.jsonl}, ...). Meant for bounded
 * replays at sink parallelism 1: a rerun replaces the files rather than resuming them.
 */
public final class FileOutputSink implements Sink<OutputRecord> {
    private final String directory;
    private final EnumSet<Stream> streams;

    public FileOutputSink(Path directory, Set<Stream> streams) {
        this.directory = directory.toString();
        this.streams = EnumSet.copyOf(streams);
    }

    /** The job's two sinks, writing all five streams to {@code directory} between them. */
    public static OutputSinks sinks(Path directory) {
        return new OutputSinks(
                new FileOutputSink(
                        directory, EnumSet.of(Stream.FORECASTS, Stream.SCORES, Stream.ALERTS)),
                new FileOutputSink(directory, EnumSet.of(Stream.MODELS, Stream.DEAD_LETTERS)));
    }

    /** The file a stream is written to. */
    public static Path file(Path directory, Stream stream) {
        return directory.resolve(stream.fileName());
    }

    @Override
    public SinkWriter<OutputRecord> createWriter(WriterInitContext context) throws IOException {
        Path dir = Path.of(directory);
        Files.createDirectories(dir);
        Map<Stream, Writer> writers = new EnumMap<>(Stream.class);
        for (Stream s : streams) {
            writers.put(s, Files.newBufferedWriter(file(dir, s), StandardCharsets.UTF_8));
        }
        return new LinesWriter(writers);
    }

    private static final class LinesWriter implements SinkWriter<OutputRecord> {
        private final Map<Stream, Writer> writers;

        LinesWriter(Map<Stream, Writer> writers) {
            this.writers = writers;
        }

        @Override
        public void write(OutputRecord record, Context context) throws IOException {
            Writer w = writers.get(record.stream());
            if (w == null) {
                throw new IllegalArgumentException(
                        record.stream() + " records are not written by this sink");
            }
            w.write(new String(record.json(), StandardCharsets.UTF_8));
            w.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            for (Writer w : writers.values()) {
                w.flush();
            }
        }

        @Override
        public void close() throws IOException {
            for (Writer w : writers.values()) {
                w.close();
            }
        }
    }
}

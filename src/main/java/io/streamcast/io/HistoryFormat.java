package io.streamcast.io;

import io.streamcast.event.ParsedEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;

/**
 * Reads history files for Flink's {@code FileSource}, one whole file per split and streaming line by line (never the
 * whole file in memory): every data row becomes exactly one {@link ParsedEvent}. Restores skip the rows already
 * emitted.
 */
public final class HistoryFormat implements BulkFormat<ParsedEvent, FileSourceSplit> {
    private static final int BATCH = 512;

    private final HistoryRowParser rows;

    public HistoryFormat(HistoryRowParser rows) {
        this.rows = rows;
    }

    @Override
    public Reader<ParsedEvent> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new RowReader(split, 0);
    }

    @Override
    public Reader<ParsedEvent> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new RowReader(split, skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<ParsedEvent> getProducedType() {
        return TypeInformation.of(ParsedEvent.class);
    }

    private final class RowReader implements Reader<ParsedEvent> {
        private final BufferedReader in;
        private final String file;
        private final String series;
        private final boolean jsonLines;
        private HistoryRowParser.Columns columns;
        private long lineNumber;
        private long emitted;

        RowReader(FileSourceSplit split, long skip) throws IOException {
            this.file = split.path().toString();
            String name = split.path().getName();
            this.series = HistoryRowParser.seriesOf(name);
            this.jsonLines = HistoryRowParser.isJsonLines(name);
            this.in = new BufferedReader(new InputStreamReader(
                    split.path().getFileSystem().open(split.path()), StandardCharsets.UTF_8), 1 << 16);
            if (!jsonLines) {
                String header = in.readLine();
                lineNumber++;
                if (header == null) {
                    throw new IOException(file + " is empty: a CSV history file needs a header row");
                }
                columns = rows.columns(header, file);
            }
            while (emitted < skip && nextRow() != null) {
                emitted++;
            }
        }

        /** The next non-blank line, or null at the end. */
        private String nextRow() throws IOException {
            String line;
            do {
                line = in.readLine();
                lineNumber++;
            } while (line != null && line.isBlank());
            return line;
        }

        @Override
        public RecordIterator<ParsedEvent> readBatch() throws IOException {
            List<ParsedEvent> batch = new ArrayList<>(BATCH);
            long first = emitted;
            String line;
            while (batch.size() < BATCH && (line = nextRow()) != null) {
                batch.add(jsonLines
                        ? rows.jsonRow(series, line, file, lineNumber)
                        : rows.csvRow(columns, series, line, file, lineNumber));
            }
            if (batch.isEmpty()) {
                return null;
            }
            emitted += batch.size();
            return new IteratorResultIterator<>(batch.iterator(), CheckpointedPosition.NO_OFFSET, first);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

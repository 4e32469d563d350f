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
 * Reads history files for Flink's {@code FileSource}, one whole file per split and streaming line
 * by line (never the whole file in memory): every data row becomes exactly one {@link ParsedEvent}.
 * Restores skip the rows already emitted.
 */
public final class HistoryFormat implements BulkFormat<ParsedEvent, FileSourceSplit> {
    private static final int BATCH = 512;

    private final HistoryRowParser rows;

    public HistoryFormat(HistoryRowParser rows) {
        this.rows = rows;
    }

    @Override
    public Reader<ParsedEvent> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return new RowReader(split, 0);
    }

    @Override
    public Reader<ParsedEvent> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        long skip =
                split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
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
        private final HistoryRowParser.Rows in;
        private long emitted;

        RowReader(FileSourceSplit split, long skip) throws IOException {
            this.in =
                    rows.rows(
                            new BufferedReader(
                                    new InputStreamReader(
                                            split.path().getFileSystem().open(split.path()),
                                            StandardCharsets.UTF_8),
                                    1 << 16),
                            split.path().toString(),
                            split.path().getName());
            while (emitted < skip && in.next() != null) {
                emitted++;
            }
        }

        @Override
        public RecordIterator<ParsedEvent> readBatch() throws IOException {
            List<ParsedEvent> batch = new ArrayList<>(BATCH);
            long first = emitted;
            ParsedEvent row;
            while (batch.size() < BATCH && (row = in.next()) != null) {
                batch.add(row);
            }
            if (batch.isEmpty()) {
                return null;
            }
            emitted += batch.size();
            return new IteratorResultIterator<>(
                    batch.iterator(), CheckpointedPosition.NO_OFFSET, first);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}

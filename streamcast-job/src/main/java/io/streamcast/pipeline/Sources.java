package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ParsedEvent;
import io.streamcast.io.HistoryFiles;
import io.streamcast.io.HistoryRowParser;
import io.streamcast.io.KafkaIo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a job reads its events from: the events topic as it grows ({@link #kafka}), a time range of
 * it ({@link #kafkaRange}) or history files ({@link #files}); each parsed in the reader and stamped
 * with the job's watermarks ({@link StreamcastJob#watermarks}), under a fixed name and uid (a
 * savepoint finds the source's state by it). {@code run}, the local runner, {@code backfill},
 * {@code evaluate} and the end-to-end tests take their source from here.
 *
 * <pre>{@code
 * StreamExecutionEnvironment env = JobEnvironment.bounded(config, false);
 * DataStream<ParsedEvent> events = Sources.files(config, HistoryFiles.at(dir)).events(env);
 * StreamcastJob.build(config, events, FileOutputSink.sinks(output), null);
 * }</pre>
 */
@FunctionalInterface
public interface Sources {
    /** The parsed events of this source in {@code env}. */
    DataStream<ParsedEvent> events(StreamExecutionEnvironment env);

    /**
     * The configured events topic from the group's committed offsets (earliest when there are
     * none), unbounded: what {@code run} reads.
     */
    static Sources kafka(StreamcastConfig config) {
        return env ->
                env.fromSource(
                                KafkaIo.source(config),
                                StreamcastJob.watermarks(config),
                                "kafka-events")
                        .uid("kafka-events");
    }

    /** The records of the events topic stamped in [fromMillis, toMillis), bounded. */
    static Sources kafkaRange(StreamcastConfig config, long fromMillis, long toMillis) {
        return env ->
                env.fromSource(
                                KafkaIo.boundedSource(config, fromMillis, toMillis),
                                StreamcastJob.watermarks(config),
                                "kafka-events")
                        .uid("kafka-events");
    }

    /** The rows of history files (CSV or JSON Lines), bounded, parsed as the configuration says. */
    static Sources files(StreamcastConfig config, HistoryFiles files) {
        return env ->
                env.fromSource(
                                files.source(HistoryRowParser.of(config)),
                                StreamcastJob.watermarks(config),
                                "history-files")
                        .uid("history-files");
    }
}

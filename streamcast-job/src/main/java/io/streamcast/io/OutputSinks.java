package io.streamcast.io;

import io.streamcast.event.OutputRecord;
import org.apache.flink.api.connector.sink2.Sink;

/**
 * Where the job writes: {@code perReading} takes the forecasts, scores and alerts (the writer runs
 * in the forecaster's task), {@code others} the model versions and dead letters. The two must not
 * collide: separate files, or separate Kafka transactional ids.
 */
public record OutputSinks(Sink<OutputRecord> perReading, Sink<OutputRecord> others) {}

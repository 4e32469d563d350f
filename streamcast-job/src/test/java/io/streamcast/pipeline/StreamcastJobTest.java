package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.Observation;
import io.streamcast.event.ParsedEvent;
import io.streamcast.io.KafkaIo;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The shape of the job graph: which operators share a task (building it starts nothing and connects
 * nowhere).
 */
class StreamcastJobTest {
    static final StreamcastConfig CONFIG = ConfigLoader.fromFlat(Map.of("job.parallelism", "2"));

    static List<String> tasks() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        StreamcastJob.build(
                CONFIG,
                env.fromData(
                        ParsedEvent.accepted(
                                new Observation("s", 0, new float[] {1f}, "events", 0, 0))),
                KafkaIo.sinks(CONFIG),
                null);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        return StreamSupport.stream(graph.getVertices().spliterator(), false)
                .map(JobVertex::getName)
                .toList();
    }

    @Test
    void eachReadingsOutputIsWrittenInTheForecastersTask() {
        List<String> tasks = tasks();
        List<String> forecaster = tasks.stream().filter(t -> t.startsWith("forecaster")).toList();
        assertEquals(1, forecaster.size(), tasks.toString());
        // No serialisation between tasks for forecasts, scores and alerts: alerting and the sink
        // writer are chained.
        assertTrue(
                forecaster.get(0).matches("forecaster -> alerts -> sink: Writer.*"),
                forecaster.get(0));
        assertTrue(
                tasks.stream().anyMatch(t -> t.startsWith("models-and-dead-letters-sink")),
                tasks.toString());
    }
}

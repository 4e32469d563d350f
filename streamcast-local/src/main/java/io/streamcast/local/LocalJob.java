package io.streamcast.local;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.pipeline.JobEnvironment;
import io.streamcast.pipeline.StreamcastJob;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Starts the streaming job on this JVM's local Flink runtime against an in-process broker, creating
 * its topics first; shared by {@code demo} and {@code bench}.
 */
public final class LocalJob {
    private LocalJob() {}

    /**
     * Creates the topics (one partition per subtask, at least two; models compacted) and starts the
     * job, from {@code model} (a saved model; null: the seed's initial weights).
     */
    public static JobClient start(
            StreamcastConfig config, EmbeddedKafka kafka, String name, ModelUpdate model)
            throws Exception {
        return start(config, kafka, name, JobEnvironment.localRuntime(config.job()), model);
    }

    /**
     * As {@link #start(StreamcastConfig, EmbeddedKafka, String, ModelUpdate)}, with settings for
     * the local cluster.
     */
    public static JobClient start(
            StreamcastConfig config,
            EmbeddedKafka kafka,
            String name,
            Configuration local,
            ModelUpdate model)
            throws Exception {
        var k = config.kafka();
        int partitions = Math.max(2, config.job().parallelism());
        List<String> topics = new ArrayList<>(List.of(k.eventsTopic()));
        for (Stream s : Stream.values()) {
            if (s != Stream.MODELS) {
                topics.add(k.topic(s));
            }
        }
        kafka.createTopics(partitions, topics.toArray(String[]::new));
        kafka.createCompactedTopic(k.topic(Stream.MODELS));
        StreamExecutionEnvironment env = JobEnvironment.streaming(config, local);
        StreamcastJob.buildOnKafka(env, config, model);
        return env.executeAsync(name);
    }
}

package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ModelUpdate;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.ModelFile;
import io.streamcast.pipeline.StreamcastJob;
import java.nio.file.Path;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code run}: the streaming job between the configured Kafka topics, exactly-once unless
 * {@code job.delivery=at-least-once}; {@code --model FILE} starts from a saved model instead of the seed's weights. Runs on whatever environment launched it: a local MiniCluster from the
 * launcher, or a cluster via {@code flink run}.
 */
final class RunCommand {
    private RunCommand() {}

    static int run(StreamcastConfig config, Options options) throws Exception {
        ModelUpdate model = options.has("model")
                ? ModelFile.read(options.path("model"), config.networkSpec())
                : null;
        StreamExecutionEnvironment env = environment(config);
        StreamcastJob.build(config,
                env.fromSource(KafkaIo.source(config), StreamcastJob.watermarks(config), "kafka-events")
                        .uid("kafka-events"),
                KafkaIo.sinks(config), model);
        env.execute(config.job().name());
        return 0;
    }

    /**
     * The execution environment with the job's parallelism and checkpointing. Where the environment names no
     * checkpoint directory (the local launcher), checkpoints go to one under the temp directory: Flink's fallback
     * keeps them in JobManager memory, capped at 5 MB, which a few thousand series outgrow.
     */
    static StreamExecutionEnvironment environment(StreamcastConfig config) {
        return environment(config, new Configuration());
    }

    /** As {@link #environment(StreamcastConfig)}, with settings for a local cluster started by this environment. */
    static StreamExecutionEnvironment environment(StreamcastConfig config, Configuration local) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(local);
        if (env.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isEmpty()) {
            Configuration checkpoints = new Configuration();
            checkpoints.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    Path.of(System.getProperty("java.io.tmpdir"), "streamcast-checkpoints").toUri().toString());
            env.configure(checkpoints);
        }
        env.setParallelism(config.job().parallelism());
        env.enableCheckpointing(config.job().checkpointInterval().toMillis(),
                config.job().exactlyOnce() ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE);
        return env;
    }
}

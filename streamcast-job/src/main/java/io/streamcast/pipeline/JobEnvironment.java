package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig;
import java.nio.file.Path;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one place a job's execution environment is built: {@link #streaming} for {@code run} and the
 * local runner (the job's parallelism and checkpointing, on whatever environment launched the
 * program: a local MiniCluster, or a cluster via {@code flink run}), {@link #bounded} for a replay
 * of bounded input ({@code backfill}, {@code evaluate}), {@link #localRuntime} for the settings of
 * a MiniCluster started in this process. Sources come from {@link Sources}.
 */
public final class JobEnvironment {
    private JobEnvironment() {}

    /** The loopback address every internal listener of a local runtime binds to. */
    private static final String LOOPBACK = "127.0.0.1";

    /**
     * Settings for a local runtime (MiniCluster) started in this process: its state backend ({@code
     * job.state-backend}), its RPC, blob and data listeners on loopback, and its REST endpoint
     * where {@code job.rest-address} and {@code job.rest-port} say (loopback and a free port by
     * default). Flink binds all of them to every interface unless told, and its REST endpoint has
     * no authentication: anyone who reaches it can cancel the job or write a savepoint anywhere.
     */
    public static Configuration localRuntime(StreamcastConfig.JobConfig job) {
        Configuration local = new Configuration();
        local.set(JobManagerOptions.ADDRESS, LOOPBACK);
        local.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        local.set(TaskManagerOptions.HOST, LOOPBACK);
        local.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        local.set(RestOptions.BIND_ADDRESS, job.restAddress());
        local.set(
                RestOptions.ADDRESS,
                job.restAddress().equals("0.0.0.0") || job.restAddress().equals("::")
                        ? LOOPBACK
                        : job.restAddress());
        local.set(RestOptions.BIND_PORT, String.valueOf(job.restPort()));
        if (job.stateBackend() == StreamcastConfig.StateBackend.ROCKSDB) {
            local.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
            // Only the files changed since the last checkpoint are written: with many series a
            // full snapshot each interval is what costs.
            local.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        return local;
    }

    /**
     * The environment of a replay over bounded input: a local runtime ({@link #localRuntime}) in
     * STREAMING mode, so that the forecaster never sees models trained on the future, at the job's
     * parallelism; checkpointed at the job's interval when {@code checkpointed} (output to Kafka,
     * whose transactions commit on checkpoints and at the end of input), otherwise not.
     */
    public static StreamExecutionEnvironment bounded(
            StreamcastConfig config, boolean checkpointed) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(localRuntime(config.job()));
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(config.job().parallelism());
        if (checkpointed) {
            env.enableCheckpointing(config.job().checkpointInterval().toMillis());
        }
        return env;
    }

    /**
     * The execution environment with the job's parallelism and checkpointing. Where the environment
     * names no checkpoint directory (the local launcher), checkpoints go to one under the temp
     * directory: Flink's fallback keeps them in JobManager memory, capped at 5 MB, which a few
     * thousand series outgrow.
     */
    public static StreamExecutionEnvironment streaming(StreamcastConfig config) {
        return streaming(config, new Configuration());
    }

    /**
     * As {@link #streaming(StreamcastConfig)}, with settings for a local cluster started by this
     * environment.
     */
    public static StreamExecutionEnvironment streaming(
            StreamcastConfig config, Configuration local) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(local);
        if (env.getConfiguration()
                .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                .isEmpty()) {
            Configuration checkpoints = new Configuration();
            checkpoints.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    Path.of(System.getProperty("java.io.tmpdir"), "streamcast-checkpoints")
                            .toUri()
                            .toString());
            env.configure(checkpoints);
        }
        env.setParallelism(config.job().parallelism());
        // Flink's 100 ms default set the latency of a reading at low rates: it crosses two network
        // hops (to the assembler, to the forecaster), each waiting for a buffer to fill or time
        // out.
        env.setBufferTimeout(config.job().bufferTimeout().toMillis());
        env.enableCheckpointing(
                config.job().checkpointInterval().toMillis(),
                config.job().exactlyOnce()
                        ? CheckpointingMode.EXACTLY_ONCE
                        : CheckpointingMode.AT_LEAST_ONCE);
        return env;
    }
}

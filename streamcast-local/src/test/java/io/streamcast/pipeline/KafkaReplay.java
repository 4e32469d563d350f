package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ParsedEvent;
import io.streamcast.io.KafkaIo;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the whole job over everything in a test's events topic, into its Kafka output topics with
 * exactly-once checkpoints, and returns when the bounded run ends: the one place integration tests
 * build and execute a job against the in-process broker (on the MiniCluster their extension
 * provides). The job is wired as {@code backfill --from --to} wires it; a test may put its own step
 * (pacing, a kill switch) between the source and the job.
 */
public final class KafkaReplay {
    private final StreamcastConfig config;
    private int parallelism = 1;
    private long checkpointMillis = 500;
    private Configuration runtime = new Configuration();
    private UnaryOperator<DataStream<ParsedEvent>> tap = UnaryOperator.identity();

    private KafkaReplay(StreamcastConfig config) {
        this.config = config;
    }

    /** A replay of {@code config}'s events topic; parallelism 1, a checkpoint every 500 ms. */
    public static KafkaReplay of(StreamcastConfig config) {
        return new KafkaReplay(config);
    }

    public KafkaReplay parallelism(int parallelism) {
        this.parallelism = parallelism;
        return this;
    }

    public KafkaReplay checkpointEvery(long millis) {
        this.checkpointMillis = millis;
        return this;
    }

    /** Runtime settings of the environment, such as its restart strategy. */
    public KafkaReplay runtime(Configuration runtime) {
        this.runtime = runtime;
        return this;
    }

    /** A step between the source and the job, applied to the parsed events. */
    public KafkaReplay tap(UnaryOperator<DataStream<ParsedEvent>> tap) {
        this.tap = tap;
        return this;
    }

    /** Builds the job and runs it to the end of the topic as it was when the run started. */
    public JobExecutionResult run(String name) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(runtime);
        env.setParallelism(parallelism);
        env.enableCheckpointing(checkpointMillis);
        StreamcastJob.build(
                config,
                tap.apply(Sources.kafkaRange(config, 0, Long.MAX_VALUE).events(env)),
                KafkaIo.sinks(config),
                null);
        return env.execute(name);
    }
}

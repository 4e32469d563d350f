package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ModelUpdate;
import io.streamcast.io.KafkaIo;
import io.streamcast.pipeline.JobEnvironment;
import io.streamcast.pipeline.StreamcastJob;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code run}: the streaming job between the configured Kafka topics, exactly-once unless
 * {@code job.delivery=at-least-once}; {@code --model FILE} starts from a saved model instead of the seed's weights. Runs on whatever environment launched it: a local MiniCluster from the
 * launcher, or a cluster via {@code flink run}.
 */
final class RunCommand {
    private RunCommand() {}

    static int run(StreamcastConfig config, Options options) throws Exception {
        ModelUpdate model = StreamcastJob.initialModel(config, options.path("model"));
        StreamExecutionEnvironment env = JobEnvironment.streaming(config);
        StreamcastJob.build(config,
                env.fromSource(KafkaIo.source(config), StreamcastJob.watermarks(config), "kafka-events")
                        .uid("kafka-events"),
                KafkaIo.sinks(config), model);
        env.execute(config.job().name());
        return 0;
    }
}

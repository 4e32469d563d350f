package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ModelUpdate;
import io.streamcast.pipeline.JobEnvironment;
import io.streamcast.pipeline.StreamcastJob;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run}: the streaming job between the configured Kafka topics, exactly-once unless {@code
 * job.delivery=at-least-once}; {@code --model FILE} starts from a saved model instead of the seed's
 * weights. Runs on whatever environment launched it: a local MiniCluster from the launcher, or a
 * cluster via {@code flink run}.
 *
 * <p>On a cluster, the cluster's configuration decides checkpoints, restarts and recovery. Locally,
 * this command plays the cluster's part: checkpoints go to {@code job.state-dir} and are retained
 * when the process dies, a new {@code run} resumes from the newest complete one ({@code --fresh}
 * starts over), restarts back off exponentially and give up after repeated failures, and a terminal
 * failure ends the command with a non-zero exit code.
 */
@Command(
        name = "run",
        header =
                "the streaming job against the configured Kafka (locally, or submitted with `flink run`)",
        description = {
            "The streaming job between the configured Kafka topics (kafka.*). Locally it resumes from"
                    + " the newest checkpoint in job.state-dir; on a cluster, submit the jar with `flink"
                    + " run`."
        })
final class RunCommand extends Subcommand {
    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "start from a saved model (see train)")
    Path modelFile;

    @Option(names = "--fresh", description = "locally: delete earlier checkpoints and start over")
    boolean fresh;

    @Option(
            names = "--status-every",
            paramLabel = "DURATION",
            converter = OptionTypes.Interval.class,
            defaultValue = "10s",
            description =
                    "locally: print a status line this often (events in, forecasts out, dead"
                            + " letters, model, lag, checkpoint)")
    Duration statusEvery;

    @Option(
            names = "--prometheus-port",
            paramLabel = "PORT",
            converter = OptionTypes.AtLeast1.class,
            description =
                    "locally: serve the job's metrics for Prometheus at"
                            + " http://127.0.0.1:PORT/metrics (Flink's metric names, as on a"
                            + " cluster); default: not served")
    Integer prometheusPort;

    @Option(
            names = "--quiet",
            description =
                    "locally: no status lines (promotions, warnings and the closing line stay)")
    boolean quiet;

    @Override
    protected int run() throws Exception {
        StreamcastConfig config = common.config();
        ModelUpdate model = StreamcastJob.initialModel(config, modelFile);
        if (StreamExecutionEnvironment.getExecutionEnvironment()
                instanceof LocalStreamEnvironment) {
            // A cluster's own network decides what it reaches; locally, an unreachable broker would
            // mean restarts.
            KafkaCheck.reachable(config.kafka());
            return LocalRun.run(
                    config,
                    model,
                    fresh,
                    new LocalRun.Reporting(statusEvery, quiet, prometheusPort),
                    out,
                    System.err);
        }
        StreamExecutionEnvironment env = JobEnvironment.streaming(config);
        StreamcastJob.buildOnKafka(env, config, model);
        env.execute(config.job().name());
        return 0;
    }
}

package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.KafkaIo;
import io.streamcast.local.LoopbackPrometheusReporterFactory;
import io.streamcast.pipeline.JobEnvironment;
import io.streamcast.pipeline.StreamcastJob;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
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
    /**
     * Consecutive failures (without a healthy stretch of {@link #RESET_BACKOFF} between them) a
     * local job survives.
     */
    static final int LOCAL_RESTART_ATTEMPTS = 10;

    /**
     * A local job that ran this long without failing has recovered: its back-off starts again from
     * the beginning.
     */
    static final Duration RESET_BACKOFF = Duration.ofMinutes(2);

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
            return runLocally(
                    config,
                    model,
                    fresh,
                    new Reporting(statusEvery, quiet, prometheusPort),
                    out,
                    System.err);
        }
        StreamExecutionEnvironment env = JobEnvironment.streaming(config);
        StreamcastJob.buildOnKafka(env, config, model);
        env.execute(config.job().name());
        return 0;
    }

    /**
     * Runs the job on a MiniCluster in this JVM until it ends, resuming from the newest complete
     * checkpoint in {@code job.state-dir} unless {@code fresh}. Returns 0 when the job finished, 1
     * when it failed terminally (the cause on {@code err}).
     */
    static int runLocally(
            StreamcastConfig config,
            ModelUpdate model,
            boolean fresh,
            Reporting reporting,
            PrintStream out,
            PrintStream err)
            throws Exception {
        // Locked before anything is read or deleted: a second run on the directory stops here.
        try (LocalState state = LocalState.open(config.job().stateDir())) {
            return runLocally(config, model, fresh, reporting, out, err, state);
        }
    }

    /**
     * How often a local run prints its status line, whether at all, and the loopback port of its
     * Prometheus endpoint (null: none).
     */
    record Reporting(Duration every, boolean quiet, Integer prometheusPort) {}

    private static int runLocally(
            StreamcastConfig config,
            ModelUpdate model,
            boolean fresh,
            Reporting reporting,
            PrintStream out,
            PrintStream err,
            LocalState state)
            throws Exception {
        Optional<LocalState.Checkpoint> resume = fresh ? Optional.empty() : state.latest();
        if (fresh) {
            int deleted = state.deleteAllBut(null);
            out.println(
                    "Starting fresh (--fresh): "
                            + deleted
                            + " earlier job(s)' checkpoints deleted from "
                            + state.checkpointsDir());
        } else if (resume.isPresent()) {
            // Only the checkpoint resumed from is still needed; the rest go now, it goes after the
            // first new one.
            state.deleteAllBut(resume.get().jobDir());
            out.println(resumeLine(config, resume.get()));
        } else {
            out.println("Starting fresh: no complete checkpoint in " + state.checkpointsDir());
        }

        Configuration local = localConfiguration(config, state, resume);
        if (reporting.prometheusPort() != null) {
            int port = reporting.prometheusPort();
            checkFree(port);
            local.setString(
                    "metrics.reporter.prom.factory.class", LoopbackPrometheusReporterFactory.NAME);
            local.setString("metrics.reporter.prom.port", String.valueOf(port));
        }
        StreamExecutionEnvironment env = JobEnvironment.streaming(config, local);
        StreamcastJob.buildOnKafka(env, config, model);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(config.job().name());
        JobGraph job = graph.getJobGraph();
        job.setSavepointRestoreSettings(SavepointRestoreSettings.fromConfiguration(local));
        MiniClusterConfiguration cluster =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(local)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(job.getMaximumParallelism())
                        .build();
        try (MiniCluster mini = new MiniCluster(cluster)) {
            mini.start();
            JobID id = mini.submitJob(job).get().getJobID();
            out.println(
                    "Flink web UI and REST API: "
                            + mini.getRestAddress().get()
                            + " (job.rest-address: "
                            + config.job().restAddress()
                            + ")");
            if (reporting.prometheusPort() != null) {
                out.println(
                        "Prometheus metrics: http://127.0.0.1:"
                                + reporting.prometheusPort()
                                + "/metrics (Flink's metric names, e.g."
                                + " flink_taskmanager_job_task_operator_eventsIn)");
            }
            out.printf(
                    "Job %s (%s) started: %s on %s -> %s; Ctrl-C stops (a later run resumes)%n",
                    config.job().name(),
                    id,
                    config.kafka().eventsTopic(),
                    config.kafka().bootstrapServers(),
                    String.join(
                            ", ",
                            Arrays.stream(Stream.values()).map(config.kafka()::topic).toList()));
            URI rest = mini.getRestAddress().get();
            RunReporter reporter =
                    new RunReporter(
                            out, reporting.every(), reporting.quiet(), System.currentTimeMillis());
            StatusPoller poller =
                    new StatusPoller(
                            new JobMetrics(rest, id.toString()), reporter, reporting.every());
            Thread closing =
                    new Thread(
                            () -> {
                                poller.close();
                                out.println(
                                        closingLine(
                                                "stopped (Ctrl-C or SIGTERM)", reporter, state));
                            },
                            "streamcast-run-closing");
            Runtime.getRuntime().addShutdownHook(closing);
            poller.start();
            String failure;
            try {
                failure = watch(mini, id, state);
            } catch (InterruptedException e) {
                poller.close();
                out.println(closingLine("interrupted", reporter, state));
                throw e;
            } finally {
                poller.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(closing);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running.
                }
            }
            if (failure != null) {
                err.println("streamcast: run stopped: " + failure);
                mini.cancelJob(id).get();
                return 1;
            }
            JobResult result = mini.requestJobResult(id).get();
            if (!result.isSuccess()) {
                Throwable cause =
                        result.getSerializedThrowable()
                                .map(t -> t.deserializeError(RunCommand.class.getClassLoader()))
                                .orElse(null);
                err.println(
                        "streamcast: run failed ("
                                + result.getApplicationStatus()
                                + ": the job could not"
                                + " restart, or failed "
                                + LOCAL_RESTART_ATTEMPTS
                                + " times in a row); the newest checkpoint"
                                + " stays in "
                                + state.checkpointsDir()
                                + " for the next run. Cause:");
                if (cause != null) {
                    cause.printStackTrace(err);
                }
                return 1;
            }
            return 0;
        }
    }

    /**
     * Fails with one line when {@code port} is taken on loopback: Flink would only log that its
     * reporter could not start.
     */
    private static void checkFree(int port) {
        try (java.net.ServerSocket s =
                new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
        } catch (java.io.IOException e) {
            throw new Failure(
                    "--prometheus-port "
                            + port
                            + ": 127.0.0.1:"
                            + port
                            + " is in use ("
                            + e.getMessage()
                            + "); choose another port",
                    e);
        }
    }

    /**
     * The line a local run ends with: how it ended, what it processed, and which checkpoint the
     * next run resumes from.
     */
    static String closingLine(String how, RunReporter reporter, LocalState state) {
        String kept;
        try {
            kept =
                    state.latest()
                            .map(
                                    c ->
                                            "the newest checkpoint, "
                                                    + c.dir()
                                                    + " ("
                                                    + RunReporter.duration(
                                                            System.currentTimeMillis()
                                                                    - c.written().toMillis())
                                                    + " old), stays for the next `run` with"
                                                    + " this job.state-dir, which resumes from it"
                                                    + " and reads the readings after it again")
                            .orElse(
                                    "no checkpoint was completed in "
                                            + state.checkpointsDir()
                                            + ": the next `run` starts fresh, from the consumer"
                                            + " group's committed offsets");
        } catch (java.io.IOException e) {
            kept = "the checkpoints in " + state.checkpointsDir() + " could not be listed: " + e;
        }
        long now = System.currentTimeMillis();
        return "[run "
                + reporter.elapsed(now)
                + "] "
                + how
                + ": "
                + reporter.totals()
                + "; "
                + kept;
    }

    /**
     * Waits for the job to end. Once it has completed its first checkpoint, the checkpoints of
     * earlier jobs are deleted. Returns why it had to stop watching (the MiniCluster lost its only
     * TaskManager to a fatal error, so no restart could ever be scheduled), or null when the job
     * reached a terminal state.
     */
    private static String watch(MiniCluster mini, JobID id, LocalState state) throws Exception {
        boolean cleaned = false;
        boolean hadTaskManager = false;
        while (true) {
            JobStatus status = mini.getJobStatus(id).get();
            if (status.isGloballyTerminalState()) {
                return null;
            }
            int taskManagers = mini.requestClusterOverview().get().getNumTaskManagersConnected();
            if (taskManagers > 0) {
                hadTaskManager = true;
            } else if (hadTaskManager) {
                return "the local TaskManager stopped after a fatal error (logged above), so the job cannot"
                        + " restart; the newest checkpoint stays in "
                        + state.checkpointsDir()
                        + " for the next run";
            }
            if (!cleaned && state.hasCompleted(id.toString())) {
                state.deleteAllBut(state.checkpointsDir().resolve(id.toString()));
                cleaned = true;
            }
            Thread.sleep(500);
        }
    }

    /**
     * The one line saying what a local run resumes from, and whether the broker may have aborted
     * its output.
     */
    private static String resumeLine(StreamcastConfig config, LocalState.Checkpoint checkpoint) {
        Duration age = Duration.between(checkpoint.written().toInstant(), Instant.now());
        Duration txTimeout =
                Duration.ofMillis(
                        Long.parseLong(
                                config.kafka()
                                        .properties()
                                        .getOrDefault(
                                                "transaction.timeout.ms",
                                                KafkaIo.TRANSACTION_TIMEOUT_MS)));
        String line =
                "Resuming from checkpoint "
                        + checkpoint.dir()
                        + " (written "
                        + age.toSeconds()
                        + " s ago): Kafka offsets, windows, recurrent memory, models and trainer state";
        if (age.compareTo(txTimeout) > 0) {
            // The output of the checkpoint's last interval is committed only after the checkpoint
            // completes; if the process died in between, the broker aborts that transaction after
            // transaction.timeout.ms.
            line +=
                    ". WARNING: older than transaction.timeout.ms ("
                            + txTimeout.toSeconds()
                            + " s): if the last run"
                            + " died before committing it, its final checkpoint's output was aborted by the broker, and"
                            + " KafkaCommitter's 'producer is already fenced' lines below then mark output lost";
        }
        return line;
    }

    /**
     * The local MiniCluster's settings: checkpoints in the state directory, retained when the job
     * is cancelled or fails; the checkpoint to resume from; exponential-delay restarts that reset
     * after {@link #RESET_BACKOFF} of healthy running and give up after {@link
     * #LOCAL_RESTART_ATTEMPTS} failures in a row.
     */
    static Configuration localConfiguration(
            StreamcastConfig config, LocalState state, Optional<LocalState.Checkpoint> resume) {
        Configuration local = JobEnvironment.localRuntime(config.job());
        local.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                state.checkpointsDir().toUri().toString());
        local.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        local.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        local.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                Duration.ofSeconds(1));
        local.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                Duration.ofMinutes(1));
        local.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        local.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                RESET_BACKOFF);
        local.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
        local.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                LOCAL_RESTART_ATTEMPTS);
        resume.ifPresent(c -> local.set(StateRecoveryOptions.SAVEPOINT_PATH, c.dir().toString()));
        // The status lines read the metrics through the REST API, which caches them this long.
        local.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, StatusPoller.POLL);
        return local;
    }
}

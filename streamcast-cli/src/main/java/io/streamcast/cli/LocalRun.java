package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.KafkaIo;
import io.streamcast.local.LocalRunner;
import io.streamcast.local.LocalState;
import io.streamcast.local.LoopbackPrometheusReporterFactory;
import io.streamcast.local.StateDirInUseException;
import io.streamcast.pipeline.JobEnvironment;
import io.streamcast.pipeline.StreamcastJob;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * {@code run} on this machine: the job on a {@link LocalRunner} with its checkpoints in {@code
 * job.state-dir}, resumed from the newest complete one unless fresh, with status lines, an optional
 * loopback Prometheus endpoint and a closing line. Apart from {@link RunCommand}, which the cluster
 * jar loads with every command: this class's exception handlers and resources are streamcast-local
 * types, which the JVM loads when it verifies the class, and the cluster jar leaves that module
 * out.
 */
final class LocalRun {
    private LocalRun() {}

    /**
     * Runs the job on a MiniCluster in this JVM until it ends, resuming from the newest complete
     * checkpoint in {@code job.state-dir} unless {@code fresh}. Returns 0 when the job finished, 1
     * when it failed terminally (the cause on {@code err}).
     */
    static int run(
            StreamcastConfig config,
            ModelUpdate model,
            boolean fresh,
            Reporting reporting,
            PrintStream out,
            PrintStream err)
            throws Exception {
        // Locked before anything is read or deleted: a second run on the directory stops here.
        LocalState state;
        try {
            state = LocalState.open(config.job().stateDir());
        } catch (StateDirInUseException e) {
            throw new Failure(e.getMessage(), e);
        }
        try (state) {
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

        // The status lines read the metrics through the REST API, which caches them this long.
        Configuration local = LocalRunner.configuration(config, state, resume, StatusPoller.POLL);
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
        try (LocalRunner runner = LocalRunner.start(graph.getJobGraph(), local)) {
            JobID id = runner.jobId();
            URI rest = runner.restAddress();
            out.println(
                    "Flink web UI and REST API: "
                            + rest
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
                failure = runner.awaitEnd(state);
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
                runner.cancel();
                return 1;
            }
            JobResult result = runner.result();
            if (!result.isSuccess()) {
                Throwable cause =
                        result.getSerializedThrowable()
                                .map(t -> t.deserializeError(LocalRun.class.getClassLoader()))
                                .orElse(null);
                err.println(
                        "streamcast: run failed ("
                                + result.getApplicationStatus()
                                + ": the job could not"
                                + " restart, or failed "
                                + LocalRunner.RESTART_ATTEMPTS
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
}

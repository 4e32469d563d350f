package io.streamcast.local;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.pipeline.JobEnvironment;
import java.net.URI;
import java.time.Duration;
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

/**
 * A local {@code run}'s cluster: a MiniCluster in this JVM that plays a cluster's part for one job,
 * with checkpoints in the state directory retained when the job dies, restarts that back off
 * exponentially and give up after {@link #RESTART_ATTEMPTS} failures in a row, and a watch that
 * ends when the job does. The command line decides what to print around it.
 */
public final class LocalRunner implements AutoCloseable {
    /**
     * Consecutive failures (without a healthy stretch of {@link #RESET_BACKOFF} between them) a
     * local job survives.
     */
    public static final int RESTART_ATTEMPTS = 10;

    /**
     * A local job that ran this long without failing has recovered: its back-off starts again from
     * the beginning.
     */
    public static final Duration RESET_BACKOFF = Duration.ofMinutes(2);

    private final MiniCluster mini;
    private final JobID id;

    private LocalRunner(MiniCluster mini, JobID id) {
        this.mini = mini;
        this.id = id;
    }

    /**
     * The local cluster's settings: checkpoints in {@code state}'s directory, retained when the job
     * is cancelled or fails; the checkpoint to resume from; the restart policy above; metrics
     * fetched for the REST API every {@code metricsEvery}.
     */
    public static Configuration configuration(
            StreamcastConfig config,
            LocalState state,
            Optional<LocalState.Checkpoint> resume,
            Duration metricsEvery) {
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
                RESTART_ATTEMPTS);
        resume.ifPresent(c -> local.set(StateRecoveryOptions.SAVEPOINT_PATH, c.dir().toString()));
        local.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, metricsEvery);
        return local;
    }

    /**
     * Starts a MiniCluster with {@code local}'s settings (one TaskManager, a slot per subtask) and
     * submits {@code job} to it, restored from the checkpoint {@code local} names, if any.
     */
    public static LocalRunner start(JobGraph job, Configuration local) throws Exception {
        job.setSavepointRestoreSettings(SavepointRestoreSettings.fromConfiguration(local));
        MiniClusterConfiguration cluster =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(local)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(job.getMaximumParallelism())
                        .build();
        MiniCluster mini = new MiniCluster(cluster);
        try {
            mini.start();
            return new LocalRunner(mini, mini.submitJob(job).get().getJobID());
        } catch (Exception e) {
            mini.close();
            throw e;
        }
    }

    public JobID jobId() {
        return id;
    }

    /** The REST API's (and web UI's) address. */
    public URI restAddress() throws Exception {
        return mini.getRestAddress().get();
    }

    /**
     * Waits for the job to end. Once it has completed its first checkpoint, the checkpoints of
     * earlier jobs in {@code state} are deleted. Returns why it had to stop watching (the
     * MiniCluster lost its only TaskManager to a fatal error, so no restart could ever be
     * scheduled), or null when the job reached a terminal state.
     */
    public String awaitEnd(LocalState state) throws Exception {
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

    /** The ended job's result (after {@link #awaitEnd} returned null). */
    public JobResult result() throws Exception {
        return mini.requestJobResult(id).get();
    }

    /** Cancels the job and waits until it is cancelled. */
    public void cancel() throws Exception {
        mini.cancelJob(id).get();
    }

    @Override
    public void close() throws Exception {
        mini.close();
    }
}

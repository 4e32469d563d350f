package io.streamcast.bench;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for {@code bench}, which runs the job in its own JVM: it keeps the forecasters' inference batch
 * size histograms (one per subtask), the trainer's round counters, the completed checkpoint count and duration,
 * every task's busy / back-pressured / idle time and its last checkpoint's barrier alignment, so that the bench
 * can print them.
 */
public final class BenchMetrics implements MetricReporter, MetricReporterFactory {
    private static final List<Histogram> BATCH_SIZES = new CopyOnWriteArrayList<>();
    private static final Map<String, Counter> ROUNDS = new ConcurrentHashMap<>();
    private static volatile Gauge<?> completedCheckpoints;
    private static volatile Gauge<?> lastCheckpointDuration;
    /** Flink's per-subtask time accounting gauges, by "task name/subtask index" then metric name. */
    private static final Map<String, Map<String, Gauge<?>>> TASK_TIME = new ConcurrentHashMap<>();
    private static final List<String> TIME_METRICS =
            List.of("busyTimeMsPerSecond", "backPressuredTimeMsPerSecond", "idleTimeMsPerSecond");
    /** Per subtask, its last checkpoint's barrier alignment time (nanoseconds). */
    private static final Map<String, Gauge<?>> ALIGNMENT_TIME = new ConcurrentHashMap<>();
    private static final String ALIGNMENT = "checkpointAlignmentTime";

    /** Adds this reporter to a local cluster's configuration. */
    static Configuration enable(Configuration conf) {
        conf.setString("metrics.reporter.bench.factory.class", BenchMetrics.class.getName());
        return conf;
    }

    /** The batch-size histograms of the forecaster subtasks registered so far. */
    static List<Histogram> batchSizes() {
        return BATCH_SIZES;
    }

    /** Training rounds so far that promoted a version and that did not (0 before the trainer registered). */
    static long rounds(boolean promoted) {
        Counter c = ROUNDS.get(promoted ? "roundsPromoted" : "roundsNotPromoted");
        return c == null ? 0 : c.getCount();
    }

    /** Checkpoints completed so far (0 before the job registered its checkpoint metrics). */
    static long completedCheckpoints() {
        Object value = completedCheckpoints == null ? null : completedCheckpoints.getValue();
        return value instanceof Number n ? n.longValue() : 0;
    }

    /**
     * For each task subtask ("task name/subtask"), the milliseconds per second it was busy, back-pressured and idle
     * (Flink's own accounting, a moving average over the last few seconds).
     */
    static Map<String, double[]> taskTimes() {
        Map<String, double[]> out = new java.util.TreeMap<>();
        TASK_TIME.forEach((task, gauges) -> {
            double[] v = new double[TIME_METRICS.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = value(gauges.get(TIME_METRICS.get(i)));
            }
            out.put(task, v);
        });
        return out;
    }

    /**
     * The last completed checkpoint: its duration and, per task, the longest barrier alignment of its subtasks (the
     * time an input was held back until the barrier had arrived on every input), for tasks that aligned at all.
     */
    static String lastCheckpoint() {
        Map<String, Double> alignment = new java.util.TreeMap<>();
        ALIGNMENT_TIME.forEach((subtask, gauge) -> {
            double ms = value(gauge) / 1e6;
            if (ms >= 1) {
                alignment.merge(subtask.substring(0, subtask.lastIndexOf('/')), ms, Math::max);
            }
        });
        StringBuilder aligned = new StringBuilder();
        alignment.forEach((task, ms) -> aligned.append(String.format("; %s aligned %.0f ms", task, ms)));
        return String.format("took %.0f ms%s", value(lastCheckpointDuration), aligned);
    }

    private static double value(Gauge<?> gauge) {
        Object value = gauge == null ? null : gauge.getValue();
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return this;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (name.equals("inferenceBatchSize") && metric instanceof Histogram h) {
            BATCH_SIZES.add(h);
        } else if (name.equals("numberOfCompletedCheckpoints") && metric instanceof Gauge<?> g) {
            completedCheckpoints = g;
        } else if (name.startsWith("rounds") && metric instanceof Counter c) {
            ROUNDS.put(name, c);
        } else if (name.equals("lastCheckpointDuration") && metric instanceof Gauge<?> g) {
            lastCheckpointDuration = g;
        } else if (TIME_METRICS.contains(name) && metric instanceof Gauge<?> g) {
            TASK_TIME.computeIfAbsent(subtask(group), t -> new ConcurrentHashMap<>()).put(name, g);
        } else if (name.equals(ALIGNMENT) && metric instanceof Gauge<?> g) {
            ALIGNMENT_TIME.put(subtask(group), g);
        }
    }

    /** "task name/subtask index" of a task's metric group. */
    private static String subtask(MetricGroup group) {
        Map<String, String> vars = group.getAllVariables();
        return vars.get("<task_name>") + "/" + vars.get("<subtask_index>");
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        BATCH_SIZES.remove(metric);
    }
}

package io.streamcast.bench;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
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
 * A metric reporter for {@code bench}, which runs the job in its own JVM: it keeps the forecasters'
 * inference batch size histograms (one per subtask), the trainer's round counters, the completed
 * checkpoint count and duration, every task's busy / back-pressured / idle time and its last
 * checkpoint's barrier alignment, so that the bench can print them.
 */
public final class BenchMetrics implements MetricReporter, MetricReporterFactory, AutoCloseable {
    /**
     * The bench's reporters by id. Flink instantiates the factory by class name from the cluster
     * configuration, so an id in that configuration is the only way back to the instance the bench
     * holds; {@link #close} removes it.
     */
    private static final Map<String, BenchMetrics> BY_ID = new ConcurrentHashMap<>();

    private static final String ID = "id";
    private static final List<String> TIME_METRICS =
            List.of("busyTimeMsPerSecond", "backPressuredTimeMsPerSecond", "idleTimeMsPerSecond");
    private static final String ALIGNMENT = "checkpointAlignmentTime";

    private final String id;
    private final List<Histogram> batchSizes = new CopyOnWriteArrayList<>();
    private final Map<String, Counter> rounds = new ConcurrentHashMap<>();
    private volatile Gauge<?> completedCheckpoints;
    private volatile Gauge<?> lastCheckpointDuration;

    /**
     * Flink's per-subtask time accounting gauges, by "task name/subtask index" then metric name.
     */
    private final Map<String, Map<String, Gauge<?>>> taskTime = new ConcurrentHashMap<>();

    /** Per subtask, its last checkpoint's barrier alignment time (nanoseconds). */
    private final Map<String, Gauge<?>> alignmentTime = new ConcurrentHashMap<>();

    /**
     * For Flink's reporter loading only: the factory instance, which hands out the registered
     * reporter.
     */
    public BenchMetrics() {
        this.id = null;
    }

    private BenchMetrics(String id) {
        this.id = id;
    }

    /**
     * A new reporter for one bench run; {@link #addTo} its local cluster's configuration, {@link
     * #close} after.
     */
    static BenchMetrics create() {
        BenchMetrics metrics = new BenchMetrics(UUID.randomUUID().toString());
        BY_ID.put(metrics.id, metrics);
        return metrics;
    }

    /** Adds this reporter to a local cluster's configuration. */
    Configuration addTo(Configuration conf) {
        conf.setString("metrics.reporter.bench.factory.class", BenchMetrics.class.getName());
        conf.setString("metrics.reporter.bench." + ID, id);
        return conf;
    }

    /** The batch-size histograms of the forecaster subtasks registered so far. */
    List<Histogram> batchSizes() {
        return batchSizes;
    }

    /**
     * Training rounds so far that promoted a version and that did not (0 before the trainer
     * registered).
     */
    long rounds(boolean promoted) {
        Counter c = rounds.get(promoted ? "roundsPromoted" : "roundsNotPromoted");
        return c == null ? 0 : c.getCount();
    }

    /** Checkpoints completed so far (0 before the job registered its checkpoint metrics). */
    long completedCheckpoints() {
        Object value = completedCheckpoints == null ? null : completedCheckpoints.getValue();
        return value instanceof Number n ? n.longValue() : 0;
    }

    /**
     * For each task subtask ("task name/subtask"), the milliseconds per second it was busy,
     * back-pressured and idle (Flink's own accounting, a moving average over the last few seconds).
     */
    Map<String, double[]> taskTimes() {
        Map<String, double[]> out = new java.util.TreeMap<>();
        taskTime.forEach(
                (task, gauges) -> {
                    double[] v = new double[TIME_METRICS.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = value(gauges.get(TIME_METRICS.get(i)));
                    }
                    out.put(task, v);
                });
        return out;
    }

    /**
     * The last completed checkpoint: its duration and, per task, the longest barrier alignment of
     * its subtasks (the time an input was held back until the barrier had arrived on every input),
     * for tasks that aligned at all.
     */
    String lastCheckpoint() {
        Map<String, Double> alignment = new java.util.TreeMap<>();
        alignmentTime.forEach(
                (subtask, gauge) -> {
                    double ms = value(gauge) / 1e6;
                    if (ms >= 1) {
                        alignment.merge(
                                subtask.substring(0, subtask.lastIndexOf('/')), ms, Math::max);
                    }
                });
        StringBuilder aligned = new StringBuilder();
        alignment.forEach(
                (task, ms) -> aligned.append(String.format("; %s aligned %.0f ms", task, ms)));
        return String.format("took %.0f ms%s", value(lastCheckpointDuration), aligned);
    }

    /** The last completed checkpoint's duration in milliseconds (NaN before the first). */
    double lastCheckpointMillis() {
        return value(lastCheckpointDuration);
    }

    private static double value(Gauge<?> gauge) {
        Object value = gauge == null ? null : gauge.getValue();
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        BenchMetrics registered = BY_ID.get(properties.getProperty(ID));
        if (registered == null) {
            throw new IllegalStateException(
                    "no bench run registered metrics " + properties.getProperty(ID));
        }
        return registered;
    }

    @Override
    public void open(MetricConfig config) {}

    /** Forgets this run's reporter (Flink's own close of the reporter calls this too). */
    @Override
    public void close() {
        if (id != null) {
            BY_ID.remove(id);
        }
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (name.equals("inferenceBatchSize") && metric instanceof Histogram h) {
            batchSizes.add(h);
        } else if (name.equals("numberOfCompletedCheckpoints") && metric instanceof Gauge<?> g) {
            completedCheckpoints = g;
        } else if (name.startsWith("rounds") && metric instanceof Counter c) {
            rounds.put(name, c);
        } else if (name.equals("lastCheckpointDuration") && metric instanceof Gauge<?> g) {
            lastCheckpointDuration = g;
        } else if (TIME_METRICS.contains(name) && metric instanceof Gauge<?> g) {
            taskTime.computeIfAbsent(subtask(group), t -> new ConcurrentHashMap<>()).put(name, g);
        } else if (name.equals(ALIGNMENT) && metric instanceof Gauge<?> g) {
            alignmentTime.put(subtask(group), g);
        }
    }

    /** "task name/subtask index" of a task's metric group. */
    private static String subtask(MetricGroup group) {
        Map<String, String> vars = group.getAllVariables();
        return vars.get("<task_name>") + "/" + vars.get("<subtask_index>");
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        batchSizes.remove(metric);
    }
}

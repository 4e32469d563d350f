package io.streamcast.cli;

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
 * size histograms (one per subtask), the trainer's round counters, the completed checkpoint count and every task's busy / back-pressured / idle time,
 * so that the bench can print them.
 */
public final class BenchMetrics implements MetricReporter, MetricReporterFactory {
    private static final List<Histogram> BATCH_SIZES = new CopyOnWriteArrayList<>();
    private static final Map<String, Counter> ROUNDS = new ConcurrentHashMap<>();
    private static volatile Gauge<?> completedCheckpoints;
    /** Flink's per-subtask time accounting gauges, by "task name/subtask index" then metric name. */
    private static final Map<String, Map<String, Gauge<?>>> TASK_TIME = new ConcurrentHashMap<>();
    private static final List<String> TIME_METRICS =
            List.of("busyTimeMsPerSecond", "backPressuredTimeMsPerSecond", "idleTimeMsPerSecond");

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
                Gauge<?> g = gauges.get(TIME_METRICS.get(i));
                Object value = g == null ? null : g.getValue();
                v[i] = value instanceof Number n ? n.doubleValue() : Double.NaN;
            }
            out.put(task, v);
        });
        return out;
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
        } else if (TIME_METRICS.contains(name) && metric instanceof Gauge<?> g) {
            Map<String, String> vars = group.getAllVariables();
            String task = vars.get("<task_name>") + "/" + vars.get("<subtask_index>");
            TASK_TIME.computeIfAbsent(task, t -> new ConcurrentHashMap<>()).put(name, g);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        BATCH_SIZES.remove(metric);
    }
}

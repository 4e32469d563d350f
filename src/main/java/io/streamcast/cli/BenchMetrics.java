package io.streamcast.cli;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter for {@code bench}, which runs the job in its own JVM: it keeps the forecasters' inference batch
 * size histograms (one per subtask) and the trainer's round counters, so that the bench can print them.
 */
public final class BenchMetrics implements MetricReporter, MetricReporterFactory {
    private static final List<Histogram> BATCH_SIZES = new CopyOnWriteArrayList<>();
    private static final Map<String, Counter> ROUNDS = new ConcurrentHashMap<>();

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
        } else if (name.startsWith("rounds") && metric instanceof Counter c) {
            ROUNDS.put(name, c);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        BATCH_SIZES.remove(metric);
    }
}

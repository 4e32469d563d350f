package io.streamcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.FileOutputSink;
import io.streamcast.io.HistoryFiles;
import io.streamcast.local.LocalCluster;
import io.streamcast.pipeline.Sources;
import io.streamcast.pipeline.StreamcastJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.MetricType;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard queries metrics the job really exports: the job runs a short history file
 * on a MiniCluster with a metric reporter, every registered metric is named as Flink's Prometheus
 * reporter names it ({@code flink_<logical scope>_<name>}, characters outside [a-zA-Z0-9:_] as '_',
 * histograms also as {@code _count}), and each name, name regex and operator of the dashboard's
 * queries must be among them.
 */
class GrafanaDashboardITCase {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    private static final Pattern INVALID = Pattern.compile("[^a-zA-Z0-9:_]");
    private static final CharacterFilter PROMETHEUS = s -> INVALID.matcher(s).replaceAll("_");

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            LocalCluster.twoSlots(REPORTER.addToConfiguration(new Configuration()));

    @TempDir Path dir;

    @Test
    void dashboardQueriesOnlyMetricsTheJobExports() throws Exception {
        Path csv = dir.resolve("in/sensor.csv");
        Files.createDirectories(csv.getParent());
        List<String> lines = new ArrayList<>(List.of("timestamp,value"));
        long start = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 300; i++) {
            lines.add(Instant.ofEpochMilli(start + i * 60_000L) + "," + Math.sin(i / 10.0));
        }
        lines.add("2024-01-02T00:00:00Z,not-a-number");
        Files.write(csv, lines);

        StreamcastConfig config =
                ConfigLoader.fromFlat(
                        Map.of(
                                "window.size",
                                "8",
                                "model.hidden",
                                "4",
                                "training.round-every",
                                "100",
                                "training.synchronous",
                                "true"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(1);
        env.enableCheckpointing(500);
        StreamcastJob.build(
                config,
                Sources.files(config, HistoryFiles.at(csv.getParent())).events(env),
                FileOutputSink.sinks(dir.resolve("out")),
                null);
        env.execute("grafana-metrics");

        Set<String> exported = new TreeSet<>();
        Set<String> operators = new TreeSet<>();
        REPORTER.getMetricsByGroup()
                .forEach(
                        (group, metrics) -> {
                            // The reporter keeps the groups themselves; a real reporter sees them
                            // through a view with the same scope.
                            String scope =
                                    group instanceof LogicalScopeProvider p
                                            ? p.getLogicalScope(PROMETHEUS, '_')
                                            : ((AbstractMetricGroup<?>) group)
                                                    .getLogicalScope(PROMETHEUS, '_');
                            String operator = group.getAllVariables().get("<operator_name>");
                            if (operator != null) {
                                operators.add(PROMETHEUS.filterCharacters(operator));
                            }
                            metrics.forEach(
                                    (name, metric) -> {
                                        String full =
                                                "flink_"
                                                        + scope
                                                        + "_"
                                                        + PROMETHEUS.filterCharacters(name);
                                        exported.add(full);
                                        if (metric.getMetricType() == MetricType.HISTOGRAM) {
                                            exported.add(full + "_count");
                                        }
                                    });
                        });
        assertTrue(
                exported.contains("flink_taskmanager_job_task_operator_forecastsOut"),
                "the job ran: " + exported);

        List<String> missing = new ArrayList<>();
        for (String name : GrafanaDashboard.metricNames()) {
            if (!exported.contains(name)) {
                missing.add(name);
            }
        }
        for (String regex : GrafanaDashboard.metricNameRegexes()) {
            if (exported.stream().noneMatch(Pattern.compile(regex).asMatchPredicate())) {
                missing.add(regex);
            }
        }
        for (String operator : GrafanaDashboard.operatorNames()) {
            if (!operators.contains(operator)) {
                missing.add("operator_name=" + operator);
            }
        }
        assertEquals(List.of(), missing, "operators: " + operators + "; exported: " + exported);
    }
}

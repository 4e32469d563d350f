package io.streamcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DelegatingConfiguration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * flink-conf/config.yaml as Flink 2.2 itself reads it: loaded with {@link GlobalConfiguration} and
 * checked through Flink's typed options, so a misspelt, renamed or deprecated key fails here rather
 * than being silently ignored on a cluster.
 */
class FlinkConfTest {

    /** Option holders whose keys the file may use. */
    private static final List<Class<?>> OPTION_CLASSES =
            List.of(
                    CheckpointingOptions.class,
                    StateBackendOptions.class,
                    StateRecoveryOptions.class,
                    RestartStrategyOptions.class,
                    TaskManagerOptions.class,
                    JobManagerOptions.class,
                    CoreOptions.class,
                    PipelineOptions.class,
                    MetricOptions.class,
                    ResourceManagerOptions.class,
                    RestOptions.class,
                    HighAvailabilityOptions.class);

    /** Prefixes of Flink's map-style keys: the rest of the key is a name the user chooses. */
    private static final List<String> PREFIX_KEYS =
            List.of(
                    ResourceManagerOptions.CONTAINERIZED_MASTER_ENV_PREFIX,
                    ResourceManagerOptions.CONTAINERIZED_TASK_MANAGER_ENV_PREFIX);

    /**
     * The Prometheus reporter's own option (flink-metrics-prometheus is not on this class path).
     */
    private static final String PROM_PORT = "metrics.reporter.prom.port";

    static Configuration load() {
        return GlobalConfiguration.loadConfiguration(DeployFiles.path("flink-conf").toString());
    }

    @Test
    void checkpointsExactlyOnceEveryTenSecondsAndKeepsThemOnCancel() {
        Configuration conf = load();
        assertEquals(Duration.ofSeconds(10), conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL));
        assertEquals(
                CheckpointingMode.EXACTLY_ONCE,
                conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE));
        assertEquals(
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION,
                conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION));
        assertTrue(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS));
        assertEquals(
                "file:///opt/flink/state/checkpoints",
                conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
        assertEquals(
                "file:///opt/flink/state/savepoints",
                conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY));
    }

    @Test
    void keepsKeyedStateInRocksDbAndRestartsWithExponentialBackoff() {
        Configuration conf = load();
        assertEquals("rocksdb", conf.get(StateBackendOptions.STATE_BACKEND));
        assertEquals("exponential-delay", conf.get(RestartStrategyOptions.RESTART_STRATEGY));
        assertEquals(
                Duration.ofSeconds(1),
                conf.get(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF));
        assertEquals(
                Duration.ofMinutes(2),
                conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF));
        assertEquals(
                2.0,
                conf.get(
                        RestartStrategyOptions
                                .RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER));
        // A job that has recovered starts its back-off over instead of carrying old failures
        // (Flink's default: 1 h).
        assertEquals(
                Duration.ofMinutes(2),
                conf.get(
                        RestartStrategyOptions
                                .RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD));
    }

    @Test
    void reservesNativeMemoryForNd4jAndStillLeavesHeapAndManagedMemory() {
        Configuration conf = load();
        MemorySize offHeap = conf.get(TaskManagerOptions.TASK_OFF_HEAP_MEMORY);
        assertEquals(MemorySize.parse("1g"), offHeap);
        assertEquals(MemorySize.parse("4096m"), conf.get(TaskManagerOptions.TOTAL_PROCESS_MEMORY));

        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        assertEquals(offHeap, spec.getTaskOffHeapSize());
        assertTrue(
                spec.getTaskHeapSize().compareTo(MemorySize.parse("512m")) >= 0,
                "task heap " + spec.getTaskHeapSize());
        assertTrue(
                spec.getManagedMemorySize().compareTo(MemorySize.parse("768m")) >= 0,
                "managed " + spec.getManagedMemorySize());

        // The smallest TaskManager the comments and helm/streamcast/values.yaml allow.
        Configuration smallest = new Configuration(conf);
        smallest.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse("3584m"));
        TaskExecutorProcessSpec small = TaskExecutorProcessUtils.processSpecFromConfig(smallest);
        assertTrue(
                small.getTaskHeapSize().compareTo(MemorySize.parse("250m")) >= 0,
                "task heap " + small.getTaskHeapSize());
    }

    @Test
    void capsJavaCppAtTheOffHeapBudgetAndRunsOneOpenMpThread() {
        Configuration conf = load();
        Map<String, String> jvm = new HashMap<>();
        for (String arg : conf.get(CoreOptions.FLINK_JVM_OPTIONS).trim().split("\\s+")) {
            assertTrue(arg.startsWith("-D") && arg.contains("="), arg);
            jvm.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        assertEquals(
                conf.get(TaskManagerOptions.TASK_OFF_HEAP_MEMORY),
                MemorySize.parse(jvm.get("org.bytedeco.javacpp.maxbytes")));
        assertEquals("0", jvm.get("org.bytedeco.javacpp.maxphysicalbytes"));

        assertEquals(
                Map.of("OMP_NUM_THREADS", "1"),
                ConfigurationUtils.getPrefixedKeyValuePairs(
                        ResourceManagerOptions.CONTAINERIZED_TASK_MANAGER_ENV_PREFIX, conf));
        assertEquals(
                Map.of("OMP_NUM_THREADS", "1"),
                ConfigurationUtils.getPrefixedKeyValuePairs(
                        ResourceManagerOptions.CONTAINERIZED_MASTER_ENV_PREFIX, conf));
    }

    @Test
    void reportsMetricsToPrometheusOnPort9249() {
        Configuration conf = load();
        var prom = new DelegatingConfiguration(conf, "metrics.reporter.prom.");
        assertEquals(
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                prom.get(MetricOptions.REPORTER_FACTORY_CLASS));
        assertEquals("9249", conf.toMap().get(PROM_PORT));
    }

    @Test
    void usesOnlyCurrentFlinkKeysInFlatForm() throws Exception {
        JsonNode raw = DeployFiles.yaml("flink-conf/config.yaml");
        Map<String, ConfigOption<?>> current = new HashMap<>();
        Map<String, String> deprecated = new HashMap<>();
        for (Class<?> holder : OPTION_CLASSES) {
            for (Field field : holder.getFields()) {
                if (!Modifier.isStatic(field.getModifiers())
                        || !ConfigOption.class.isAssignableFrom(field.getType())) {
                    continue;
                }
                ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                if (field.isAnnotationPresent(Deprecated.class)) {
                    deprecated.put(option.key(), "deprecated option");
                } else {
                    current.put(option.key(), option);
                }
                for (FallbackKey fallback : option.fallbackKeys()) {
                    deprecated.putIfAbsent(fallback.getKey(), "replaced by " + option.key());
                }
            }
        }

        List<String> problems = new ArrayList<>();
        raw.fields()
                .forEachRemaining(
                        entry -> {
                            String key = entry.getKey();
                            if (!entry.getValue().isValueNode()) {
                                problems.add(
                                        key
                                                + ": nested; keep keys flat so the Helm chart can pass them through");
                            } else if (current.containsKey(key)
                                    || key.equals(PROM_PORT)
                                    || key.equals(
                                            "metrics.reporter.prom."
                                                    + MetricOptions.REPORTER_FACTORY_CLASS.key())
                                    || PREFIX_KEYS.stream().anyMatch(key::startsWith)) {
                                // known
                            } else if (deprecated.containsKey(key)) {
                                problems.add(key + ": " + deprecated.get(key));
                            } else {
                                problems.add(key + ": not a Flink 2.2 option");
                            }
                        });
        assertEquals(List.of(), problems);
        // Flink's loader kept every key of the file (none dropped as malformed).
        assertEquals(raw.size(), load().keySet().size());
    }

    private static final String COMMITTER =
            "org.apache.flink.connector.kafka.sink.internal.KafkaCommitter";

    /**
     * The committer's messages as flink-connector-kafka words them (logged by the launcher's log
     * test, {@code LocalLogConfigTest.main}), each with the level it must come out at.
     */
    private static final List<String> EXPECTED_LEVELS =
            List.of(
                    "WARN "
                            + COMMITTER
                            + " - Unable to commit transaction (request) because its"
                            + " producer is already fenced",
                    "ERROR "
                            + COMMITTER
                            + " - Unable to commit transaction (request) because it's"
                            + " in an invalid state",
                    "ERROR " + COMMITTER + " - Transaction (request) encountered error",
                    "ERROR org.apache.flink.runtime.Other - already fenced, elsewhere");

    /** "date time,millis LEVEL logger [NDC] - message" in the layout of Flink's files. */
    private static final Pattern LINE =
            Pattern.compile(
                    "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} (\\w+)\\s+(\\S+)\\s+\\[[^]]*] - (.*)");

    /**
     * Runs a JVM as Flink starts its processes (log4j.configurationFile and log.file set) under
     * each shipped log configuration: the fenced re-commit comes out once at WARN, every other
     * committer ERROR and other loggers' ERRORs once at ERROR, on the console (foreground
     * configuration only) and in the log file, and log4j reports no configuration problem.
     */
    @ParameterizedTest
    @CsvSource({"log4j-console.properties, true", "log4j.properties, false"})
    void aFencedReCommitIsLoggedAtWarnAndOtherCommitterErrorsStayErrors(
            String file, boolean console, @TempDir Path dir) throws Exception {
        Path logFile = dir.resolve("taskmanager.log");
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dlog4j.configurationFile=file:"
                                        + DeployFiles.path("flink-conf/" + file),
                                "-Dlog.file=" + logFile,
                                "-cp",
                                cp,
                                "io.streamcast.cli.LocalLogConfigTest")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertFalse(out.contains("StatusLogger"), "log4j found a problem in " + file + ":\n" + out);
        assertEquals(console ? EXPECTED_LEVELS : List.of(), levels(out), out);
        assertEquals(EXPECTED_LEVELS, levels(Files.readString(logFile)), file);
    }

    /** "LEVEL logger - message start" of each log line, in order, cut to the expected length. */
    private static List<String> levels(String text) {
        List<String> found = new ArrayList<>();
        for (String line : text.lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                String entry = m.group(1) + " " + m.group(2) + " - " + m.group(3);
                String expected =
                        EXPECTED_LEVELS.stream()
                                .filter(e -> entry.startsWith(e))
                                .findFirst()
                                .orElse(entry);
                found.add(expected);
            }
        }
        return found;
    }
}

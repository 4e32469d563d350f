package io.streamcast.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamcast.config.StreamcastConfig.InferenceConfig;
import io.streamcast.config.StreamcastConfig.InputConfig;
import io.streamcast.config.StreamcastConfig.IntervalConfig;
import io.streamcast.config.StreamcastConfig.JobConfig;
import io.streamcast.config.StreamcastConfig.KafkaConfig;
import io.streamcast.config.StreamcastConfig.ModelConfig;
import io.streamcast.config.StreamcastConfig.SimulatorConfig;
import io.streamcast.config.StreamcastConfig.TimeConfig;
import io.streamcast.config.StreamcastConfig.TrainingConfig;
import io.streamcast.config.StreamcastConfig.WindowConfig;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.ScheduledSampling;
import io.streamcast.model.alert.AlertConfig;
import io.streamcast.model.anomaly.AnomalyScorerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one YAML file plus {@code key=value} overrides into a validated {@link StreamcastConfig}.
 *
 * <pre>{@code
 * StreamcastConfig config = ConfigLoader.load(Path.of("streamcast.yaml"), List.of("model.hidden=64"));
 * }</pre>
 *
 * Every key has a default (so an empty file is a valid configuration); an invalid value or an unknown key
 * throws {@link ConfigException} naming the key.
 */
public final class ConfigLoader {
    private static final Duration MAX = Duration.ofDays(3650);

    private ConfigLoader() {}

    /** Loads {@code file} (may be null for all defaults) and applies {@code overrides} ("a.b=value") on top. */
    public static StreamcastConfig load(Path file, List<String> overrides) {
        Map<String, String> flat = new LinkedHashMap<>();
        if (file != null) {
            try {
                JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
                if (root != null && !root.isMissingNode() && !root.isNull()) {
                    flatten("", root, flat);
                }
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
            }
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("override '" + override + "' is not of the form key=value");
            }
            flat.put(override.substring(0, eq).trim(), override.substring(eq + 1).trim());
        }
        return fromFlat(flat);
    }

    /** Builds the configuration from already flattened dotted keys. */
    public static StreamcastConfig fromFlat(Map<String, String> flat) {
        return read(new ConfigReader(flat));
    }

    /** Every configuration key (list keys without their ".0" items, pass-through subtrees without their keys). */
    public static java.util.Set<String> knownKeys() {
        ConfigReader r = new ConfigReader(Map.of());
        read(r);
        java.util.Set<String> keys = new java.util.TreeSet<>(r.keysRead());
        keys.removeIf(k -> k.matches(".*\\.\\d+$"));
        return keys;
    }

    private static StreamcastConfig read(ConfigReader r) {
        JobConfig job = new JobConfig(
                r.string("job.name", "streamcast"),
                r.integer("job.parallelism", 1, 1, 4096),
                r.duration("job.checkpoint-interval", Duration.ofSeconds(10), Duration.ofMillis(100), MAX),
                r.choice("job.delivery", "exactly-once", "exactly-once", "at-least-once").equals("exactly-once"),
                r.string("job.state-dir", "streamcast-state"));
        try {
            java.nio.file.Path.of(job.stateDir());
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException("job.state-dir", job.stateDir(), "must be a file system path: " + e.getReason());
        }
        KafkaConfig kafka = new KafkaConfig(
                r.string("kafka.bootstrap-servers", "localhost:9092"),
                r.string("kafka.group-id", "streamcast"),
                r.string("kafka.topics.events", "sensor-events"),
                r.string("kafka.topics.forecasts", "forecasts"),
                r.string("kafka.topics.scores", "scores"),
                r.string("kafka.topics.alerts", "alerts"),
                r.string("kafka.topics.models", "models"),
                r.string("kafka.topics.dead-letters", "dead-letters"),
                Map.copyOf(r.subtree("kafka.properties")));
        TimeConfig time = new TimeConfig(
                r.duration("time.max-out-of-orderness", Duration.ofSeconds(5), Duration.ZERO, MAX),
                r.duration("time.idleness", Duration.ofSeconds(30), Duration.ofMillis(1), MAX),
                instant(r, "time.min-timestamp", "1990-01-01T00:00:00Z"),
                instant(r, "time.max-timestamp", "2100-01-01T00:00:00Z"),
                r.duration("time.max-future-jump", Duration.ofDays(365), Duration.ofSeconds(1), MAX),
                r.duration("time.series-ttl", Duration.ofDays(7), Duration.ofSeconds(1), MAX),
                r.duration("time.max-ahead", Duration.ofHours(1), Duration.ofSeconds(1), MAX),
                r.duration("time.default-step", Duration.ofMinutes(1), Duration.ofMillis(1), MAX));
        if (time.minTimestamp() >= time.maxTimestamp()) {
            throw new ConfigException("time.min-timestamp", Instant.ofEpochMilli(time.minTimestamp()),
                    "must be before time.max-timestamp");
        }
        List<String> features = r.list("window.features");
        if (features.stream().distinct().count() != features.size()) {
            throw new ConfigException("window.features", features, "feature names must be distinct");
        }
        WindowConfig window = new WindowConfig(
                r.integer("window.size", 48, 2, 10_000),
                List.copyOf(features),
                r.integer("window.norm-half-life", 200, 1, 10_000_000));
        ModelConfig model = new ModelConfig(
                r.choice("model.cell", "lstm", "rnn", "lstm", "gru", "bilstm"),
                r.integer("model.layers", 1, 1, 8),
                r.integer("model.hidden", 32, 1, 4096),
                r.integer("model.horizon", 1, 1, 1000),
                r.integer("model.seed", 42, 0, Integer.MAX_VALUE),
                r.number("model.dropout", 0, 0, 0.9),
                r.choice("model.decoder", NetworkSpec.DIRECT, NetworkSpec.DIRECT, NetworkSpec.AUTOREGRESSIVE));
        if (model.decoder().equals(NetworkSpec.AUTOREGRESSIVE) && model.cell().equals("bilstm")) {
            throw new ConfigException("model.decoder", model.decoder(), "must be direct with model.cell=bilstm: a"
                    + " bidirectional cell reads the whole window both ways and has no state to roll forward");
        }
        TrainingConfig training = new TrainingConfig(
                r.bool("training.enabled", true),
                r.number("training.sample-rate", 0.25, 0.0, 1.0),
                r.integer("training.buffer-size", 2048, 16, 10_000_000),
                r.integer("training.round-every", 256, 1, 100_000_000),
                r.integer("training.batch-size", 32, 1, 100_000),
                r.integer("training.steps-per-round", 10, 1, 100_000),
                r.number("training.learning-rate", 0.005, 1e-7, 1.0),
                r.number("training.gradient-clip", 1.0, 0.0, 1e6),
                r.number("training.validation-fraction", 0.2, 0.01, 0.9),
                r.bool("training.synchronous", false),
                r.integer("training.tbptt-length", 0, 0, 10_000),
                scheduledSampling(r),
                r.number("training.cpu-share", 1.0, 0.05, 1.0),
                r.choice("training.priority", "normal", "normal", "idle").equals("idle"));
        if (training.tbpttLength() > 0 && !List.of("rnn", "lstm").contains(model.cell())) {
            throw new ConfigException("training.tbptt-length", training.tbpttLength(), "must be 0 with model.cell="
                    + model.cell() + ": truncated BPTT carries state across segments, which only the rnn and lstm"
                    + " cells do");
        }
        InferenceConfig inference = new InferenceConfig(
                r.integer("inference.batch-size", 256, 1, 100_000),
                r.duration("inference.max-delay", Duration.ofMillis(20), Duration.ofMillis(1), Duration.ofMinutes(1)),
                r.choice("inference.state-on-new-model", "rebuild", "rebuild", "carry").equals("rebuild"));
        IntervalConfig intervals = new IntervalConfig(
                r.number("intervals.coverage", 0.9, 0.5, 0.999),
                r.integer("intervals.residual-window", 100, 10, 100_000));
        SimulatorConfig simulator = new SimulatorConfig(
                r.integer("simulator.series", 8, 1, 10_000_000),
                r.integer("simulator.rate", 400, 1, 10_000_000),
                r.duration("simulator.duration", Duration.ofSeconds(60), Duration.ofSeconds(1), MAX),
                r.number("simulator.anomaly-rate", 0.002, 0.0, 1.0),
                r.integer("simulator.seed", 7, 0, Integer.MAX_VALUE));
        InputConfig input = new InputConfig(r.string("input.timestamp-column", null), r.string("input.target", "value"));
        if (training.synchronous() && job.parallelism() != 1) {
            throw new ConfigException("training.synchronous", true, "requires job.parallelism=1 (it is "
                    + job.parallelism() + ")");
        }
        AnomalyScorerConfig defaultScoring = AnomalyScorerConfig.defaults();
        // One threshold for scores and alerts: the scorer suppresses repeats of a detection at the alert threshold.
        double threshold = r.number("alerts.threshold", defaultScoring.threshold(), 0.01, 0.999999);
        AnomalyScorerConfig scoring = new AnomalyScorerConfig(
                r.integer("scores.short-window", defaultScoring.shortWindow(), 1, 10_000),
                r.integer("scores.long-window", defaultScoring.longTermWindow(), 10, 10_000_000),
                r.integer("scores.warmup", defaultScoring.warmup(), 0, 10_000_000),
                threshold,
                r.integer("scores.suppression", defaultScoring.suppression(), 0, 10_000_000));
        double reset = r.number("alerts.reset-threshold", threshold / (2 - threshold), 0.0, 1.0);
        if (reset >= threshold) {
            throw new ConfigException("alerts.reset-threshold", reset, "must be below alerts.threshold (" + threshold + ")");
        }
        AlertConfig alerts = new AlertConfig(threshold, reset,
                r.duration("alerts.resolve-after", Duration.ofMinutes(5), Duration.ZERO, MAX).toMillis(),
                r.duration("alerts.cooldown", Duration.ofMinutes(30), Duration.ZERO, MAX).toMillis(),
                r.number("alerts.min-abs-deviation", 0.0, 0.0, Double.MAX_VALUE),
                r.number("alerts.min-rel-deviation", 0.0, 0.0, 1e6),
                r.integer("alerts.update-every", 60, 0, Integer.MAX_VALUE));
        r.rejectUnknownKeys();
        return new StreamcastConfig(job, kafka, time, window, model, training, inference, intervals, simulator,
                input, scoring, alerts);
    }

    private static ScheduledSampling scheduledSampling(ConfigReader r) {
        double start = r.number("training.scheduled-sampling.start", 0.0, 0.0, 1.0);
        double end = r.number("training.scheduled-sampling.end", 0.5, 0.0, 1.0);
        int rounds = r.integer("training.scheduled-sampling.rounds", 20, 1, 100_000_000);
        int span = r.integer("training.scheduled-sampling.span", 0, 0, 10_000);
        if (end < start) {
            throw new ConfigException("training.scheduled-sampling.end", end,
                    "must be at least training.scheduled-sampling.start (" + start + "): the probability rises");
        }
        return new ScheduledSampling(start, end, rounds, span);
    }

    /** The configuration with every default. */
    public static StreamcastConfig defaults() {
        return fromFlat(Map.of());
    }

    private static long instant(ConfigReader r, String key, String fallback) {
        String v = r.string(key, fallback);
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (RuntimeException e) {
            throw new ConfigException(key, v, "an ISO-8601 instant like 2000-01-01T00:00:00Z is allowed");
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "." + i, node.get(i), out);
            }
        } else if (!node.isNull()) {
            out.put(prefix, node.asText());
        }
    }
}

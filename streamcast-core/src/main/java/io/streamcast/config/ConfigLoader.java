package io.streamcast.config;

import static io.streamcast.config.StreamcastOptions.*;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.streamcast.config.StreamcastConfig.BaselineConfig;
import io.streamcast.config.StreamcastConfig.Delivery;
import io.streamcast.config.StreamcastConfig.InferenceConfig;
import io.streamcast.config.StreamcastConfig.InputConfig;
import io.streamcast.config.StreamcastConfig.IntervalConfig;
import io.streamcast.config.StreamcastConfig.JobConfig;
import io.streamcast.config.StreamcastConfig.KafkaConfig;
import io.streamcast.config.StreamcastConfig.ModelConfig;
import io.streamcast.config.StreamcastConfig.NotifyConfig;
import io.streamcast.config.StreamcastConfig.SimulatorConfig;
import io.streamcast.config.StreamcastConfig.StateOnNewModel;
import io.streamcast.config.StreamcastConfig.TimeConfig;
import io.streamcast.config.StreamcastConfig.TrainingConfig;
import io.streamcast.config.StreamcastConfig.TrainingPriority;
import io.streamcast.config.StreamcastConfig.WindowConfig;
import io.streamcast.model.Cell;
import io.streamcast.model.Decoder;
import io.streamcast.model.ScheduledSampling;
import io.streamcast.model.alert.AlertConfig;
import io.streamcast.model.anomaly.AnomalyScorerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Parses one YAML file plus {@code key=value} overrides into a validated {@link StreamcastConfig}.
 *
 * <pre>{@code
 * StreamcastConfig config = ConfigLoader.load(Path.of("streamcast.yaml"), List.of("model.hidden=64"));
 * }</pre>
 *
 * Every key is declared once in {@link StreamcastOptions} with its default (so an empty file is a
 * valid configuration); an invalid value or an unknown key throws {@link ConfigException} naming
 * the key.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * Loads {@code file} (may be null for all defaults) and applies {@code overrides} ("a.b=value")
     * on top.
     */
    public static StreamcastConfig load(Path file, List<String> overrides) {
        Map<String, String> flat = new LinkedHashMap<>();
        if (file != null) {
            try {
                JsonNode root =
                        new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
                if (root != null && !root.isMissingNode() && !root.isNull()) {
                    flatten("", root, flat);
                }
            } catch (IOException e) {
                throw new ConfigException(
                        "cannot read configuration file " + file + ": " + unquoted(e));
            }
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                // Without a key there is no telling whether the text is a secret.
                throw new ConfigException(
                        "override '"
                                + (eq == 0 ? "=" + Secrets.MASK : Secrets.shown(override, override))
                                + "' is not of the form key=value");
            }
            flat.put(override.substring(0, eq).trim(), override.substring(eq + 1).trim());
        }
        return fromFlat(flat);
    }

    /** Builds the configuration from already flattened dotted keys. */
    public static StreamcastConfig fromFlat(Map<String, String> flat) {
        return read(new ConfigReader(flat));
    }

    /**
     * Every configuration key (list keys without their ".0" items, pass-through subtrees without
     * their keys).
     */
    public static java.util.Set<String> knownKeys() {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        for (ConfigOption<?> option : StreamcastOptions.all()) {
            if (option.shape() != ConfigOption.Shape.PREFIX) {
                keys.add(option.key());
            }
        }
        return keys;
    }

    /**
     * Builds the records from the declared options; the checks between keys are here, each naming
     * its key.
     */
    static StreamcastConfig read(ConfigReader r) {
        JobConfig job =
                new JobConfig(
                        r.get(JOB_NAME),
                        r.get(JOB_PARALLELISM),
                        r.get(JOB_CHECKPOINT_INTERVAL),
                        r.get(JOB_DELIVERY) == Delivery.EXACTLY_ONCE,
                        r.get(JOB_STATE_DIR),
                        r.get(JOB_STATE_BACKEND),
                        r.get(JOB_REST_ADDRESS),
                        r.get(JOB_REST_PORT),
                        r.get(JOB_BUFFER_TIMEOUT));
        try {
            java.nio.file.Path.of(job.stateDir());
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(
                    JOB_STATE_DIR.key(),
                    job.stateDir(),
                    "must be a file system path: " + e.getReason());
        }
        KafkaConfig kafka =
                new KafkaConfig(
                        r.get(KAFKA_BOOTSTRAP_SERVERS),
                        r.get(KAFKA_GROUP_ID),
                        r.get(KAFKA_TOPICS_EVENTS),
                        r.get(KAFKA_TOPICS_FORECASTS),
                        r.get(KAFKA_TOPICS_SCORES),
                        r.get(KAFKA_TOPICS_ALERTS),
                        r.get(KAFKA_TOPICS_MODELS),
                        r.get(KAFKA_TOPICS_DEAD_LETTERS),
                        Map.copyOf(r.get(KAFKA_PROPERTIES)));
        TimeConfig time =
                new TimeConfig(
                        r.get(TIME_MAX_OUT_OF_ORDERNESS),
                        r.get(TIME_IDLENESS),
                        r.get(TIME_MIN_TIMESTAMP).toEpochMilli(),
                        r.get(TIME_MAX_TIMESTAMP).toEpochMilli(),
                        r.get(TIME_MAX_FUTURE_JUMP),
                        r.get(TIME_SERIES_TTL),
                        r.get(TIME_MAX_AHEAD),
                        r.get(TIME_DEFAULT_STEP));
        if (time.minTimestamp() >= time.maxTimestamp()) {
            throw new ConfigException(
                    TIME_MIN_TIMESTAMP.key(),
                    Instant.ofEpochMilli(time.minTimestamp()),
                    "must be before " + TIME_MAX_TIMESTAMP.key());
        }
        List<String> features = r.get(WINDOW_FEATURES);
        if (features.stream().distinct().count() != features.size()) {
            throw new ConfigException(
                    WINDOW_FEATURES.key(), features, "feature names must be distinct");
        }
        WindowConfig window =
                new WindowConfig(
                        r.get(WINDOW_SIZE),
                        List.copyOf(features),
                        r.get(WINDOW_NORM_HALF_LIFE),
                        r.get(WINDOW_CALENDAR));
        ModelConfig model =
                new ModelConfig(
                        r.get(MODEL_CELL),
                        r.get(MODEL_LAYERS),
                        r.get(MODEL_HIDDEN),
                        r.get(MODEL_HORIZON),
                        r.get(MODEL_SEED),
                        r.get(MODEL_DROPOUT),
                        r.get(MODEL_DECODER));
        if (model.decoder() == Decoder.AUTOREGRESSIVE && !model.cell().stateful()) {
            throw new ConfigException(
                    MODEL_DECODER.key(),
                    model.decoder().id(),
                    "must be direct with model.cell="
                            + model.cell().id()
                            + ": a bidirectional cell reads the whole window both ways and has no state"
                            + " to roll forward");
        }
        TrainingConfig training =
                new TrainingConfig(
                        r.get(TRAINING_ENABLED),
                        r.get(TRAINING_SAMPLE_RATE),
                        r.get(TRAINING_BUFFER_SIZE),
                        r.get(TRAINING_ROUND_EVERY),
                        r.get(TRAINING_BATCH_SIZE),
                        r.get(TRAINING_STEPS_PER_ROUND),
                        r.get(TRAINING_LEARNING_RATE),
                        r.get(TRAINING_GRADIENT_CLIP),
                        r.get(TRAINING_VALIDATION_FRACTION),
                        r.get(TRAINING_SYNCHRONOUS),
                        r.get(TRAINING_TBPTT_LENGTH),
                        scheduledSampling(r),
                        r.get(TRAINING_CPU_SHARE),
                        r.get(TRAINING_PRIORITY) == TrainingPriority.IDLE,
                        r.get(TRAINING_MAX_STEPS_PER_ROUND),
                        r.get(TRAINING_FIRST_ROUND),
                        r.get(TRAINING_MAX_SAMPLES_PER_SECOND));
        if (training.tbpttLength() > 0 && model.cell() != Cell.RNN && model.cell() != Cell.LSTM) {
            throw new ConfigException(
                    TRAINING_TBPTT_LENGTH.key(),
                    training.tbpttLength(),
                    "must be 0 with"
                            + " model.cell="
                            + model.cell().id()
                            + ": truncated BPTT carries state across segments, which"
                            + " only the rnn and lstm cells do");
        }
        InferenceConfig inference =
                new InferenceConfig(
                        r.get(INFERENCE_BATCH_SIZE),
                        r.get(INFERENCE_MAX_DELAY),
                        r.get(INFERENCE_STATE_ON_NEW_MODEL) == StateOnNewModel.REBUILD);
        IntervalConfig intervals =
                new IntervalConfig(
                        r.get(INTERVALS_COVERAGE),
                        r.get(INTERVALS_RESIDUAL_WINDOW),
                        r.get(INTERVALS_ADAPTATION_RATE));
        BaselineConfig baselines =
                new BaselineConfig(
                        r.get(BASELINES_SEASON),
                        r.get(BASELINES_MAX_SEASON),
                        r.get(BASELINES_HALF_LIFE));
        SimulatorConfig simulator =
                new SimulatorConfig(
                        r.get(SIMULATOR_SERIES),
                        r.get(SIMULATOR_RATE),
                        r.get(SIMULATOR_DURATION),
                        r.get(SIMULATOR_ANOMALY_RATE),
                        r.get(SIMULATOR_SEED));
        InputConfig input = new InputConfig(r.get(INPUT_TIMESTAMP_COLUMN), r.get(INPUT_TARGET));
        if (training.synchronous() && job.parallelism() != 1) {
            throw new ConfigException(
                    TRAINING_SYNCHRONOUS.key(),
                    true,
                    "requires job.parallelism=1 (it is " + job.parallelism() + ")");
        }
        // One threshold for scores and alerts: the scorer suppresses repeats of a detection at the
        // alert threshold.
        double threshold = r.get(ALERTS_THRESHOLD);
        AnomalyScorerConfig scoring =
                new AnomalyScorerConfig(
                        r.get(SCORES_SHORT_WINDOW),
                        r.get(SCORES_LONG_WINDOW),
                        r.get(SCORES_WARMUP),
                        threshold,
                        r.get(SCORES_SUPPRESSION));
        // Default: half the threshold's surprise (score t maps to surprise s; t / (2 - t) maps to s
        // / 2).
        double reset = r.getOrElse(ALERTS_RESET_THRESHOLD, threshold / (2 - threshold));
        if (reset >= threshold) {
            throw new ConfigException(
                    ALERTS_RESET_THRESHOLD.key(),
                    reset,
                    "must be below " + ALERTS_THRESHOLD.key() + " (" + threshold + ")");
        }
        AlertConfig alerts =
                new AlertConfig(
                        threshold,
                        reset,
                        r.get(ALERTS_RESOLVE_AFTER).toMillis(),
                        r.get(ALERTS_COOLDOWN).toMillis(),
                        r.get(ALERTS_MIN_ABS_DEVIATION),
                        r.get(ALERTS_MIN_REL_DEVIATION),
                        r.get(ALERTS_UPDATE_EVERY));
        Duration retryInitial = r.get(NOTIFY_RETRY_INITIAL);
        Duration retryMax = r.get(NOTIFY_RETRY_MAX);
        if (retryMax.compareTo(retryInitial) < 0) {
            throw new ConfigException(
                    NOTIFY_RETRY_MAX.key(),
                    ConfigOption.written(retryMax),
                    "must be at least "
                            + NOTIFY_RETRY_INITIAL.key()
                            + " ("
                            + ConfigOption.written(retryInitial)
                            + ")");
        }
        NotifyConfig notify =
                new NotifyConfig(
                        httpUrl(NOTIFY_ALERTMANAGER_URL, r.get(NOTIFY_ALERTMANAGER_URL)),
                        httpUrl(NOTIFY_WEBHOOK_URL, r.get(NOTIFY_WEBHOOK_URL)),
                        r.get(NOTIFY_GROUP_ID),
                        r.get(NOTIFY_START_FROM),
                        r.get(NOTIFY_TIMEOUT),
                        retryInitial,
                        retryMax,
                        r.get(NOTIFY_REPEAT_INTERVAL));
        r.rejectUnknownKeys();
        return new StreamcastConfig(
                job, kafka, time, window, model, training, inference, intervals, simulator, input,
                scoring, alerts, baselines, notify);
    }

    /**
     * An absolute http or https URL, or null when {@code value} is null. The message names the key
     * but never quotes the value: a webhook URL usually carries its secret token.
     */
    private static URI httpUrl(ConfigOption<String> option, String value) {
        if (value == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null
                || uri.getScheme() == null
                || !(uri.getScheme().equalsIgnoreCase("http")
                        || uri.getScheme().equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new ConfigException(
                    "invalid configuration '"
                            + option.key()
                            + "': not an http:// or https:// URL with a host (the value is not"
                            + " shown: it may hold a token)");
        }
        return uri;
    }

    private static ScheduledSampling scheduledSampling(ConfigReader r) {
        double start = r.get(TRAINING_SCHEDULED_SAMPLING_START);
        double end = r.get(TRAINING_SCHEDULED_SAMPLING_END);
        int rounds = r.get(TRAINING_SCHEDULED_SAMPLING_ROUNDS);
        int span = r.get(TRAINING_SCHEDULED_SAMPLING_SPAN);
        if (end < start) {
            throw new ConfigException(
                    TRAINING_SCHEDULED_SAMPLING_END.key(),
                    end,
                    "must be at least "
                            + TRAINING_SCHEDULED_SAMPLING_START.key()
                            + " ("
                            + start
                            + "): the probability rises");
        }
        return new ScheduledSampling(start, end, rounds, span);
    }

    /**
     * Why a configuration file does not read, without quoting it: YAML's syntax errors quote the
     * offending line, which may be the one holding a password.
     */
    private static String unquoted(IOException e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof MarkedYAMLException y && y.getProblemMark() != null) {
                return "YAML syntax error at line "
                        + (y.getProblemMark().getLine() + 1)
                        + ", column "
                        + (y.getProblemMark().getColumn() + 1)
                        + ": "
                        + y.getProblem();
            }
        }
        if (e instanceof JsonProcessingException j) {
            JsonLocation at = j.getLocation();
            // Jackson's own messages may quote a token of the file, so only the place is named.
            return "not valid YAML"
                    + (at == null
                            ? ""
                            : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
        }
        return e.getMessage();
    }

    /** The configuration with every default. */
    public static StreamcastConfig defaults() {
        return fromFlat(Map.of());
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                flatten(
                        prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(),
                        f.getValue(),
                        out);
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

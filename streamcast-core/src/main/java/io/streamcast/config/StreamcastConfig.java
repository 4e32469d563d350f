package io.streamcast.config;

import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.model.CalendarInputs;
import io.streamcast.model.Cell;
import io.streamcast.model.Decoder;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.ScheduledSampling;
import io.streamcast.model.SeriesWindows;
import io.streamcast.model.TrainingSettings;
import io.streamcast.model.alert.AlertConfig;
import io.streamcast.model.anomaly.AnomalyScorerConfig;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole job configuration, parsed once from YAML plus overrides by {@link ConfigLoader} into
 * immutable, validated records. Operators receive the record they need, never raw keys.
 */
public record StreamcastConfig(
        JobConfig job,
        KafkaConfig kafka,
        TimeConfig time,
        WindowConfig window,
        ModelConfig model,
        TrainingConfig training,
        InferenceConfig inference,
        IntervalConfig intervals,
        SimulatorConfig simulator,
        InputConfig input,
        AnomalyScorerConfig scoring,
        AlertConfig alerts,
        BaselineConfig baselines,
        NotifyConfig notifications)
        implements Serializable {

    /**
     * This configuration with {@code kafka.bootstrap-servers} replaced (the local runner's
     * in-process broker).
     */
    public StreamcastConfig withKafka(String bootstrapServers) {
        return new StreamcastConfig(
                job,
                kafka.withBootstrapServers(bootstrapServers),
                time,
                window,
                model,
                training,
                inference,
                intervals,
                simulator,
                input,
                scoring,
                alerts,
                baselines,
                notifications);
    }

    /** How each series' readings become windows, forecaster inputs and training examples. */
    public SeriesWindows seriesWindows() {
        return new SeriesWindows(
                window.size(),
                model.horizon(),
                window.columns(),
                window.calendarColumns(),
                window.normHalfLife(),
                time.maxOutOfOrderness().toMillis(),
                time.maxFutureJump().toMillis(),
                time.defaultStep().toMillis(),
                training.enabled(),
                training.sampleRate(),
                inference.rebuildOnNewModel() || !model.cell().stateful());
    }

    /**
     * The network every operator and command builds from this configuration; a truncated-BPTT
     * length that is not shorter than the window means full BPTT.
     */
    public NetworkSpec networkSpec() {
        int tbptt = training.tbpttLength();
        return new NetworkSpec(
                model.cell(),
                model.layers(),
                model.hidden(),
                window.width(),
                model.horizon(),
                model.seed(),
                training.learningRate(),
                training.gradientClip(),
                model.dropout(),
                model.decoder(),
                tbptt < window.size() ? tbptt : 0);
    }

    /** {@code notify.start-from}: where {@code notify} starts without a committed offset. */
    public enum NotifyStart {
        LATEST,
        EARLIEST;

        /** The value in configuration files. */
        public String id() {
            return ConfigOption.idOf(this);
        }
    }

    /**
     * What the {@code notify} command forwards alerts to and how ({@code notify.*}); a null URL
     * means that destination is not used.
     */
    public record NotifyConfig(
            URI alertmanagerUrl,
            URI webhookUrl,
            String groupId,
            NotifyStart startFrom,
            Duration timeout,
            Duration retryInitial,
            Duration retryMax,
            Duration repeatInterval)
            implements Serializable {}

    /** {@code job.delivery}: whether Kafka output is transactional. */
    public enum Delivery {
        EXACTLY_ONCE,
        AT_LEAST_ONCE;

        /** The value in configuration files. */
        public String id() {
            return ConfigOption.idOf(this);
        }
    }

    /** {@code job.state-backend}: where a local runtime keeps its keyed state. */
    public enum StateBackend {
        HASHMAP,
        ROCKSDB;

        /** The value in configuration files. */
        public String id() {
            return ConfigOption.idOf(this);
        }
    }

    /**
     * {@code inference.state-on-new-model}: what happens to each series' recurrent state on a new
     * model version.
     */
    public enum StateOnNewModel {
        REBUILD,
        CARRY;

        /** The value in configuration files. */
        public String id() {
            return ConfigOption.idOf(this);
        }
    }

    /** {@code training.priority}: the scheduling priority of background training rounds. */
    public enum TrainingPriority {
        NORMAL,
        IDLE;

        /** The value in configuration files. */
        public String id() {
            return ConfigOption.idOf(this);
        }
    }

    /**
     * How the job runs: parallelism, checkpointing, the delivery guarantee of its Kafka output, and
     * where a local {@code run} keeps its checkpoints ({@code stateDir}, relative to the working
     * directory unless absolute; a cluster keeps its own), and where a local runtime's REST
     * endpoint listens.
     */
    public record JobConfig(
            String name,
            int parallelism,
            Duration checkpointInterval,
            boolean exactlyOnce,
            String stateDir,
            StateBackend stateBackend,
            String restAddress,
            int restPort,
            Duration bufferTimeout)
            implements Serializable {}

    /**
     * Where to read and write; {@code properties} pass through verbatim to every Kafka client
     * (security, tuning).
     */
    public record KafkaConfig(
            String bootstrapServers,
            String groupId,
            String eventsTopic,
            String forecastsTopic,
            String scoresTopic,
            String alertsTopic,
            String modelsTopic,
            String deadLettersTopic,
            Map<String, String> properties)
            implements Serializable {

        /** The topic an output stream is written to. */
        public String topic(Stream stream) {
            return switch (stream) {
                case FORECASTS -> forecastsTopic;
                case SCORES -> scoresTopic;
                case ALERTS -> alertsTopic;
                case MODELS -> modelsTopic;
                case DEAD_LETTERS -> deadLettersTopic;
            };
        }

        /**
         * Every topic of the job by role: {@code events}, then each output stream's display name
         * ({@link Stream#displayName()}), in that order.
         */
        public Map<String, String> topics() {
            Map<String, String> roles = new java.util.LinkedHashMap<>();
            roles.put("events", eventsTopic);
            for (Stream s : Stream.values()) {
                roles.put(s.displayName(), topic(s));
            }
            return roles;
        }

        /** These settings against another broker. */
        public KafkaConfig withBootstrapServers(String servers) {
            return new KafkaConfig(
                    servers,
                    groupId,
                    eventsTopic,
                    forecastsTopic,
                    scoresTopic,
                    alertsTopic,
                    modelsTopic,
                    deadLettersTopic,
                    properties);
        }

        /**
         * Secrets in client properties (passwords, JAAS configs, keys, tokens) never reach logs
         * through this: their values are masked ({@link Secrets}).
         */
        @Override
        public String toString() {
            Map<String, String> shown = new java.util.TreeMap<>();
            properties.forEach((k, v) -> shown.put(k, Secrets.shown(k, v)));
            return "KafkaConfig[bootstrapServers="
                    + bootstrapServers
                    + ", groupId="
                    + groupId
                    + ", topics="
                    + topics().values()
                    + ", properties="
                    + shown
                    + "]";
        }
    }

    /**
     * Event time: watermarks allow {@code maxOutOfOrderness}; partitions silent for {@code
     * idleness} stop holding watermarks back; timestamps outside [minTimestamp, maxTimestamp] or
     * more than {@code maxFutureJump} ahead of their series' newest reading are rejected as absurd.
     * A series silent for {@code seriesTtl} (processing time) has its state dropped. Readings from
     * Kafka more than {@code maxAhead} ahead of the processing clock are rejected (skewed sensor
     * clocks). {@code defaultStep} is a series' assumed sampling interval until its second reading
     * shows the real one (the first forecast's target times).
     */
    public record TimeConfig(
            Duration maxOutOfOrderness,
            Duration idleness,
            long minTimestamp,
            long maxTimestamp,
            Duration maxFutureJump,
            Duration seriesTtl,
            Duration maxAhead,
            Duration defaultStep)
            implements Serializable {}

    /**
     * The model input: the last {@code size} steps of [target, features...], normalised with
     * statistics that adapt with {@code normHalfLife} steps, and with {@code calendar} each step's
     * calendar values ({@link CalendarInputs}).
     */
    public record WindowConfig(int size, List<String> features, int normHalfLife, boolean calendar)
            implements Serializable {
        /** Without calendar inputs. */
        public WindowConfig(int size, List<String> features, int normHalfLife) {
            this(size, features, normHalfLife, false);
        }

        /** Values read per step: the target plus each named feature. */
        public int columns() {
            return 1 + features.size();
        }

        /** Calendar values per step: {@link CalendarInputs#COLUMNS} or 0. */
        public int calendarColumns() {
            return calendar ? CalendarInputs.COLUMNS : 0;
        }

        /** Network inputs per step: the columns read, then the calendar values. */
        public int width() {
            return columns() + calendarColumns();
        }
    }

    /**
     * The recurrent network: cell type (rnn, lstm, gru, bilstm), layers, hidden units per layer,
     * forecast horizon, seed, the dropout probability between recurrent layers (training only), and
     * the decoder: {@code direct} (a head with one output per horizon step) or {@code
     * autoregressive} (a one-step head rolled forward on its own predictions).
     */
    public record ModelConfig(
            Cell cell,
            int layers,
            int hidden,
            int horizon,
            long seed,
            double dropout,
            Decoder decoder)
            implements Serializable {}

    /**
     * Periodic retraining: a {@code sampleRate} share of completed windows enters a replay buffer
     * of {@code bufferSize}; every {@code roundEvery} new samples a round of {@code stepsPerRound}
     * Adam steps on mini-batches of {@code batchSize} runs, clipped at {@code gradientClip},
     * validated on the newest {@code validationFraction} of the buffer before promotion. {@code
     * synchronous} (parallelism 1 only) makes the forecaster wait for each round's outcome at the
     * sample count where it happens, so replays are reproducible. {@code tbpttLength} > 0 truncates
     * back-propagation through time to segments of that many steps (0: full BPTT within the
     * window); {@code scheduledSampling} applies to the autoregressive decoder only. {@code
     * cpuShare} paces background rounds to that share of one core on average (1: unpaced; inline
     * rounds are never paced). {@code idlePriority} runs background rounds on CPU time nothing else
     * in the machine wants (Linux SCHED_IDLE) until training falls a round behind, so that it does
     * not delay forecasts. {@code maxStepsPerRound} bounds a round that goes on while its
     * validation loss still falls; the first round comes after {@code firstRound} samples, the next
     * ones ever further apart until {@code roundEvery}. Unless synchronous, {@code cpuShare} is the
     * background trainer's budget (its thread's CPU time; a due round waits for it) and at most
     * {@code maxSamplesPerSecond} samples a second reach the trainer (0: no cap).
     */
    public record TrainingConfig(
            boolean enabled,
            double sampleRate,
            int bufferSize,
            int roundEvery,
            int batchSize,
            int stepsPerRound,
            double learningRate,
            double gradientClip,
            double validationFraction,
            boolean synchronous,
            int tbpttLength,
            ScheduledSampling scheduledSampling,
            double cpuShare,
            boolean idlePriority,
            int maxStepsPerRound,
            int firstRound,
            double maxSamplesPerSecond)
            implements Serializable {

        /**
         * Full BPTT, no scheduled sampling, unpaced rounds at normal priority of exactly {@code
         * stepsPerRound} steps, every {@code roundEvery} samples from the first.
         */
        public TrainingConfig(
                boolean enabled,
                double sampleRate,
                int bufferSize,
                int roundEvery,
                int batchSize,
                int stepsPerRound,
                double learningRate,
                double gradientClip,
                double validationFraction,
                boolean synchronous) {
            this(
                    enabled,
                    sampleRate,
                    bufferSize,
                    roundEvery,
                    batchSize,
                    stepsPerRound,
                    learningRate,
                    gradientClip,
                    validationFraction,
                    synchronous,
                    0,
                    ScheduledSampling.off(),
                    1.0,
                    false,
                    stepsPerRound,
                    roundEvery,
                    0);
        }

        /** What the trainers take of this configuration. */
        public TrainingSettings settings() {
            return new TrainingSettings(
                    bufferSize,
                    roundEvery,
                    batchSize,
                    stepsPerRound,
                    validationFraction,
                    scheduledSampling,
                    Math.max(stepsPerRound, maxStepsPerRound),
                    firstRound);
        }
    }

    /**
     * Batched inference across series: flush on {@code batchSize}, after {@code maxDelay}, and
     * before every checkpoint. {@code rebuildOnNewModel}: when a new model version arrives, rebuild
     * each series' recurrent state from its window (exact, costs a window of steps per series and
     * version) or carry the state over to the new weights.
     */
    public record InferenceConfig(int batchSize, Duration maxDelay, boolean rebuildOnNewModel)
            implements Serializable {}

    /**
     * Forecast intervals: conformal quantile at {@code coverage} over the last {@code
     * residualWindow} residuals, its level moved by {@code adaptationRate} per checked band
     * (adaptive conformal inference; 0: fixed at the nominal coverage).
     */
    public record IntervalConfig(double coverage, int residualWindow, double adaptationRate)
            implements Serializable {
        /** Without adaptation. */
        public IntervalConfig(double coverage, int residualWindow) {
            this(coverage, residualWindow, 0);
        }
    }

    /**
     * The naive baselines each series' served forecast is combined with: seasonal-naive looks
     * {@code season} readings back (0: one day of readings, when that is between 2 and {@code
     * maxSeason}); the candidates' errors are averaged with a half-life of {@code halfLife} checked
     * forecasts.
     */
    public record BaselineConfig(int season, int maxSeason, int halfLife) implements Serializable {
        /** The defaults of the configuration keys, for callers without a configuration. */
        public static final BaselineConfig DEFAULTS = new BaselineConfig(0, 1440, 200);

        /** The combiner these settings make. */
        public io.streamcast.model.ForecastCombiner combiner() {
            return new io.streamcast.model.ForecastCombiner(season, maxSeason, halfLife);
        }
    }

    /**
     * History files: the timestamp column (null = the first of timestamp, date, ts, time) and the
     * target column; feature columns are {@code window.features}.
     */
    public record InputConfig(String timestampColumn, String target) implements Serializable {}

    /** The built-in sensor simulator used by {@code demo} and {@code generate}. */
    public record SimulatorConfig(
            int series, int eventsPerSecond, Duration duration, double anomalyRate, long seed)
            implements Serializable {}
}

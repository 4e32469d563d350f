package io.streamcast.config;

import io.streamcast.config.StreamcastConfig.Delivery;
import io.streamcast.config.StreamcastConfig.NotifyStart;
import io.streamcast.config.StreamcastConfig.StateBackend;
import io.streamcast.config.StreamcastConfig.StateOnNewModel;
import io.streamcast.config.StreamcastConfig.TrainingPriority;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.model.Cell;
import io.streamcast.model.Decoder;
import io.streamcast.model.anomaly.AnomalyScorerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key of Streamcast, declared once: key, type, default, allowed values and
 * description. The configuration reference (docs/configuration.md) lists them in this order ({@link
 * ConfigReference}); {@link ConfigLoader} reads them into {@link StreamcastConfig}. Adding a key is
 * one declaration here plus reading it in {@link ConfigLoader}.
 */
public final class StreamcastOptions {
    private static final Duration MAX = Duration.ofDays(3650);
    private static final AnomalyScorerConfig SCORES = AnomalyScorerConfig.defaults();

    /** Declaration order; filled by the constants below as the class initialises. */
    private static final List<ConfigOption<?>> DECLARED = new ArrayList<>();

    public static final ConfigOption<String> JOB_NAME =
            declare(
                    ConfigOption.string(
                            "job.name",
                            "streamcast",
                            "Flink job name; also the prefix of Kafka transactional ids"));
    public static final ConfigOption<Integer> JOB_PARALLELISM =
            declare(
                    ConfigOption.integer(
                            "job.parallelism",
                            1,
                            1,
                            4096,
                            "parallelism of the job (the trainer always runs at 1)"));
    public static final ConfigOption<Duration> JOB_CHECKPOINT_INTERVAL =
            declare(
                    ConfigOption.duration(
                            "job.checkpoint-interval",
                            Duration.ofSeconds(10),
                            Duration.ofMillis(100),
                            MAX,
                            "checkpoint interval; exactly-once output becomes visible on each checkpoint"));
    public static final ConfigOption<Duration> JOB_BUFFER_TIMEOUT =
            declare(
                    ConfigOption.duration(
                            "job.buffer-timeout",
                            Duration.ofMillis(10),
                            Duration.ofMillis(1),
                            Duration.ofMinutes(1),
                            "longest a record waits in a network buffer between two tasks of a live job"
                                    + " before the buffer is sent (Flink's buffer timeout, 100 ms there): a"
                                    + " reading crosses two such hops; at high rates buffers fill sooner"));
    public static final ConfigOption<Delivery> JOB_DELIVERY =
            declare(
                    ConfigOption.choice(
                            "job.delivery",
                            Delivery.EXACTLY_ONCE,
                            Delivery::id,
                            "`exactly-once` (Kafka transactions) or `at-least-once`"));
    public static final ConfigOption<String> JOB_STATE_DIR =
            declare(
                    ConfigOption.string(
                            "job.state-dir",
                            "streamcast-state",
                            "where a local `run` keeps its checkpoints and resumes from (relative to the working"
                                    + " directory); a cluster uses its own checkpoint directory"));
    public static final ConfigOption<StateBackend> JOB_STATE_BACKEND =
            declare(
                    ConfigOption.choice(
                            "job.state-backend",
                            StateBackend.HASHMAP,
                            StateBackend::id,
                            "where a local runtime keeps per-series state: `hashmap` on the Java heap (fastest;"
                                    + " checkpoints rewrite all of it), `rocksdb` in RocksDB files under the"
                                    + " temp directory with incremental checkpoints (many series in a small heap;"
                                    + " see docs/performance.md); a cluster's configuration decides its own"));
    public static final ConfigOption<String> JOB_REST_ADDRESS =
            declare(
                    ConfigOption.string(
                            "job.rest-address",
                            "127.0.0.1",
                            "address the local Flink runtime's REST endpoint and web UI listen on (`run`, `demo`,"
                                    + " `backfill` on the launcher; its URL is printed); `0.0.0.0` opens it to the"
                                    + " network, where anyone can cancel the job or write savepoints: it has no"
                                    + " authentication. Flink's other local listeners stay on loopback"));
    public static final ConfigOption<Integer> JOB_REST_PORT =
            declare(
                    ConfigOption.integer(
                            "job.rest-port",
                            0,
                            0,
                            65535,
                            "port of the local REST endpoint; `0`: a free port"));

    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
            declare(
                    ConfigOption.string(
                            "kafka.bootstrap-servers", "localhost:9092", "Kafka brokers"));
    public static final ConfigOption<String> KAFKA_GROUP_ID =
            declare(
                    ConfigOption.string(
                            "kafka.group-id", "streamcast", "consumer group of the events source"));
    public static final ConfigOption<String> KAFKA_TOPICS_EVENTS =
            declare(ConfigOption.string("kafka.topics.events", "sensor-events", "input topic"));
    public static final ConfigOption<String> KAFKA_TOPICS_FORECASTS =
            declare(topic(Stream.FORECASTS, "forecasts output"));
    public static final ConfigOption<String> KAFKA_TOPICS_SCORES =
            declare(
                    topic(
                            Stream.SCORES,
                            "anomaly scores output, one per reading whose forecast can be checked"));
    public static final ConfigOption<String> KAFKA_TOPICS_ALERTS =
            declare(topic(Stream.ALERTS, "alert lifecycle events (open, update, resolve)"));
    public static final ConfigOption<String> KAFKA_TOPICS_MODELS =
            declare(topic(Stream.MODELS, "model versions (make it compacted)"));
    public static final ConfigOption<String> KAFKA_TOPICS_DEAD_LETTERS =
            declare(topic(Stream.DEAD_LETTERS, "rejected input"));
    public static final ConfigOption<Map<String, String>> KAFKA_PROPERTIES =
            declare(
                    ConfigOption.prefix(
                            "kafka.properties",
                            "passed verbatim to every Kafka client, e.g. `kafka.properties.security.protocol:"
                                    + " SASL_SSL`; they override Streamcast's client defaults: producers `linger.ms` 20 and `batch.size`"
                                    + " 262144, consumers `fetch.min.bytes` 65536 and `fetch.max.wait.ms` 20 (fewer, larger requests: about"
                                    + " a third less broker CPU per record, for at most 20 ms per hop)"));

    public static final ConfigOption<Duration> TIME_MAX_OUT_OF_ORDERNESS =
            declare(
                    ConfigOption.duration(
                            "time.max-out-of-orderness",
                            Duration.ofSeconds(5),
                            Duration.ZERO,
                            MAX,
                            "watermark out-of-orderness, and how far behind its newest reading a series accepts a reading"));
    public static final ConfigOption<Duration> TIME_IDLENESS =
            declare(
                    ConfigOption.duration(
                            "time.idleness",
                            Duration.ofSeconds(30),
                            Duration.ofMillis(1),
                            MAX,
                            "a source partition silent this long no longer holds watermarks back"));
    public static final ConfigOption<Instant> TIME_MIN_TIMESTAMP =
            declare(
                    ConfigOption.instant(
                            "time.min-timestamp",
                            "1990-01-01T00:00:00Z",
                            "earliest accepted `ts`"));
    public static final ConfigOption<Instant> TIME_MAX_TIMESTAMP =
            declare(
                    ConfigOption.instant(
                            "time.max-timestamp", "2100-01-01T00:00:00Z", "latest accepted `ts`"));
    public static final ConfigOption<Duration> TIME_MAX_FUTURE_JUMP =
            declare(
                    ConfigOption.duration(
                            "time.max-future-jump",
                            Duration.ofDays(365),
                            Duration.ofSeconds(1),
                            MAX,
                            "largest accepted jump ahead of a series' newest reading"));
    public static final ConfigOption<Duration> TIME_SERIES_TTL =
            declare(
                    ConfigOption.duration(
                            "time.series-ttl",
                            Duration.ofDays(7),
                            Duration.ofSeconds(1),
                            MAX,
                            "state of a series silent this long (processing time) is dropped, within a sixty-fourth of it"
                                    + " or a minute, whichever is less"));
    public static final ConfigOption<Duration> TIME_MAX_AHEAD =
            declare(
                    ConfigOption.duration(
                            "time.max-ahead",
                            Duration.ofHours(1),
                            Duration.ofSeconds(1),
                            MAX,
                            "a reading from Kafka further ahead of the job's clock is dead-lettered (`FUTURE_TIMESTAMP`)"));
    public static final ConfigOption<Duration> TIME_DEFAULT_STEP =
            declare(
                    ConfigOption.duration(
                            "time.default-step",
                            Duration.ofMinutes(1),
                            Duration.ofMillis(1),
                            MAX,
                            "a series' sampling interval until its second reading shows it: the first forecast's target times"));

    public static final ConfigOption<Integer> WINDOW_SIZE =
            declare(ConfigOption.integer("window.size", 48, 2, 10_000, "steps per window (W)"));
    public static final ConfigOption<List<String>> WINDOW_FEATURES =
            declare(
                    ConfigOption.list(
                            "window.features",
                            "feature names, in model input order (list or comma-separated)"));
    public static final ConfigOption<Integer> WINDOW_NORM_HALF_LIFE =
            declare(
                    ConfigOption.integer(
                            "window.norm-half-life",
                            200,
                            1,
                            10_000_000,
                            "half-life, in readings, of the per-series normalisation statistics"));

    public static final ConfigOption<Boolean> WINDOW_CALENDAR =
            declare(
                    ConfigOption.bool(
                            "window.calendar",
                            true,
                            "calendar inputs: each reading's time of day and day of week (UTC) as sine/cosine pairs, each pair 0 for a series read fewer than 4 times per day or week; adds 4 network inputs"));

    public static final ConfigOption<Cell> MODEL_CELL =
            declare(
                    ConfigOption.choice(
                            "model.cell",
                            Cell.LSTM,
                            Cell::id,
                            "recurrent cell: `rnn`, `lstm`, `gru` or `bilstm` (window mode only)"));
    public static final ConfigOption<Double> MODEL_DROPOUT =
            declare(
                    ConfigOption.number(
                            "model.dropout",
                            0,
                            0,
                            0.9,
                            "dropout probability between stacked recurrent layers, training only, in [0, 0.9]"));
    public static final ConfigOption<Integer> MODEL_LAYERS =
            declare(ConfigOption.integer("model.layers", 1, 1, 8, "stacked recurrent layers"));
    public static final ConfigOption<Integer> MODEL_HIDDEN =
            declare(ConfigOption.integer("model.hidden", 32, 1, 4096, "units per layer"));
    public static final ConfigOption<Integer> MODEL_HORIZON =
            declare(ConfigOption.integer("model.horizon", 1, 1, 1000, "forecast steps (H)"));
    public static final ConfigOption<Decoder> MODEL_DECODER =
            declare(
                    ConfigOption.choice(
                            "model.decoder",
                            Decoder.DIRECT,
                            Decoder::id,
                            "`direct`: a head with one output per horizon step; `autoregressive`: a"
                                    + " one-step head rolled forward H steps on its own predictions (not with `bilstm`)"));
    public static final ConfigOption<Integer> MODEL_SEED =
            declare(
                    ConfigOption.integer(
                            "model.seed",
                            42,
                            0,
                            Integer.MAX_VALUE,
                            "seed of the initial weights and the trainer's sampling"));

    public static final ConfigOption<Boolean> TRAINING_ENABLED =
            declare(
                    ConfigOption.bool(
                            "training.enabled", true, "periodic retraining on the stream"));
    public static final ConfigOption<Double> TRAINING_SAMPLE_RATE =
            declare(
                    ConfigOption.number(
                            "training.sample-rate",
                            0.25,
                            0.0,
                            1.0,
                            "share of completed windows sent to the trainer (deterministic per series and ts)"));
    public static final ConfigOption<Integer> TRAINING_BUFFER_SIZE =
            declare(
                    ConfigOption.integer(
                            "training.buffer-size",
                            2048,
                            16,
                            10_000_000,
                            "replay buffer capacity (windows)"));
    public static final ConfigOption<Integer> TRAINING_ROUND_EVERY =
            declare(
                    ConfigOption.integer(
                            "training.round-every",
                            256,
                            1,
                            100_000_000,
                            "new samples between rounds"));
    public static final ConfigOption<Integer> TRAINING_BATCH_SIZE =
            declare(ConfigOption.integer("training.batch-size", 32, 1, 100_000, "mini-batch size"));
    public static final ConfigOption<Integer> TRAINING_STEPS_PER_ROUND =
            declare(
                    ConfigOption.integer(
                            "training.steps-per-round",
                            10,
                            1,
                            100_000,
                            "Adam steps per round, and per further chunk of a round that goes on"));
    public static final ConfigOption<Integer> TRAINING_FIRST_ROUND =
            declare(
                    ConfigOption.integer(
                            "training.first-round",
                            64,
                            1,
                            100_000_000,
                            "new samples before the first round; each later gap is the samples seen so"
                                    + " far, until rounds are `training.round-every` apart (a young model trains"
                                    + " early)"));
    public static final ConfigOption<Integer> TRAINING_MAX_STEPS_PER_ROUND =
            declare(
                    ConfigOption.integer(
                            "training.max-steps-per-round",
                            50,
                            1,
                            10_000_000,
                            "a round goes on, a chunk of `training.steps-per-round` steps at a time,"
                                    + " while its candidate's validation loss still falls by 1% per chunk (the first: 1% below the serving model's), up to"
                                    + " this many steps (at most `training.steps-per-round` below that). Only"
                                    + " while the trainer keeps up: a background round stops going on once a"
                                    + " quarter of `training.round-every` new samples has arrived since it began"));
    public static final ConfigOption<Double> TRAINING_LEARNING_RATE =
            declare(
                    ConfigOption.number(
                            "training.learning-rate", 0.005, 1e-7, 1.0, "Adam learning rate"));
    public static final ConfigOption<Double> TRAINING_GRADIENT_CLIP =
            declare(
                    ConfigOption.number(
                            "training.gradient-clip",
                            1.0,
                            0.0,
                            1e6,
                            "L2 gradient clipping threshold per layer; `0` turns clipping off"));
    public static final ConfigOption<Double> TRAINING_VALIDATION_FRACTION =
            declare(
                    ConfigOption.number(
                            "training.validation-fraction",
                            0.2,
                            0.01,
                            0.9,
                            "newest share of the buffer held back to validate a candidate"));
    public static final ConfigOption<Boolean> TRAINING_SYNCHRONOUS =
            declare(
                    ConfigOption.bool(
                                    "training.synchronous",
                                    false,
                                    "forecaster waits for each round's outcome (reproducible replays; parallelism 1 only)")
                            .withDefaultText("`false` (backfill at parallelism 1: `true`)"));
    public static final ConfigOption<Double> TRAINING_CPU_SHARE =
            declare(
                    ConfigOption.number(
                            "training.cpu-share",
                            0.2,
                            0.05,
                            1.0,
                            "background training's budget at normal priority, a share of one core measured by"
                                    + " the trainer thread's own CPU time (0.05-1; 1: no limit): a due round waits until the"
                                    + " budget allows it and rests between steps to stay within it, so that training takes at"
                                    + " most this much of a busy machine whatever the event rate. Rounds at idle priority"
                                    + " (`training.priority`) take only CPU time nothing else wants: they are not charged, start"
                                    + " when due and do not rest, so spare cores train. Synchronous rounds are never limited"));
    public static final ConfigOption<Double> TRAINING_MAX_SAMPLES_PER_SECOND =
            declare(
                    ConfigOption.number(
                            "training.max-samples-per-second",
                            1000.0,
                            0.0,
                            1e9,
                            "most windows a second sent to a background trainer, across the job's window"
                                    + " assemblers (`0`: no cap): above it the share sent falls below `training.sample-rate` as the"
                                    + " event rate rises. Synchronous replays are never capped"));
    public static final ConfigOption<TrainingPriority> TRAINING_PRIORITY =
            declare(
                    ConfigOption.choice(
                            "training.priority",
                            TrainingPriority.IDLE,
                            TrainingPriority::id,
                            "`idle`: background rounds run at"
                                    + " Linux's idle priority (SCHED_IDLE: only on CPU time no other thread of the machine wants), unpaced,"
                                    + " so that training uses spare cores without delaying forecasts, and at normal priority, within"
                                    + " `training.cpu-share`, while a round has had less than half that share for 2 s; needs `chrt` (util-linux)"
                                    + " and permission to leave idle priority (root, CAP_SYS_NICE, or `ulimit -e 20`), else normal priority"
                                    + " within `training.cpu-share`. `normal`: normal priority, within `training.cpu-share`"));
    public static final ConfigOption<Integer> TRAINING_TBPTT_LENGTH =
            declare(
                    ConfigOption.integer(
                            "training.tbptt-length",
                            0,
                            0,
                            10_000,
                            "truncated BPTT: back-propagate through segments of this many"
                                    + " steps (forward and backward length); `0`, or a length not below `window.size`, is full BPTT within"
                                    + " the window; `rnn` and `lstm` only"));
    public static final ConfigOption<Double> TRAINING_SCHEDULED_SAMPLING_START =
            declare(
                    ConfigOption.number(
                            "training.scheduled-sampling.start",
                            0.0,
                            0.0,
                            1.0,
                            "autoregressive decoder: probability that a"
                                    + " training window is fed the network's own predictions, in the first round"));
    public static final ConfigOption<Double> TRAINING_SCHEDULED_SAMPLING_END =
            declare(
                    ConfigOption.number(
                            "training.scheduled-sampling.end",
                            0.5,
                            0.0,
                            1.0,
                            "... the probability reached after"
                                    + " `training.scheduled-sampling.rounds` rounds and kept (at least `start`)"));
    public static final ConfigOption<Integer> TRAINING_SCHEDULED_SAMPLING_ROUNDS =
            declare(
                    ConfigOption.integer(
                            "training.scheduled-sampling.rounds",
                            20,
                            1,
                            100_000_000,
                            "training rounds over which the probability"
                                    + " rises linearly (the `train` command counts an epoch as a round)"));
    public static final ConfigOption<Integer> TRAINING_SCHEDULED_SAMPLING_SPAN =
            declare(
                    ConfigOption.integer(
                            "training.scheduled-sampling.span",
                            0,
                            0,
                            10_000,
                            "most rows at the end of a window that are replaced (uniform in 1..span); `0`: horizon − 1"));

    public static final ConfigOption<Integer> INFERENCE_BATCH_SIZE =
            declare(
                    ConfigOption.integer(
                            "inference.batch-size",
                            256,
                            1,
                            100_000,
                            "flush the forecaster's batch at this many readings"));
    public static final ConfigOption<Duration> INFERENCE_MAX_DELAY =
            declare(
                    ConfigOption.duration(
                            "inference.max-delay",
                            Duration.ofMillis(20),
                            Duration.ofMillis(1),
                            Duration.ofMinutes(1),
                            "... or this long after the first buffered reading"));
    public static final ConfigOption<StateOnNewModel> INFERENCE_STATE_ON_NEW_MODEL =
            declare(
                    ConfigOption.choice(
                            "inference.state-on-new-model",
                            StateOnNewModel.CARRY,
                            StateOnNewModel::id,
                            "after a new model"
                                    + " version, `carry` each series' recurrent state over to the new weights (no cost; the state was"
                                    + " made by the previous version and fades within a few readings), or `rebuild` it from the series'"
                                    + " window (exact; costs a window of steps per series and version: with many series, as much"
                                    + " network work as minutes of readings at every promotion)"));

    public static final ConfigOption<Double> INTERVALS_COVERAGE =
            declare(
                    ConfigOption.number(
                            "intervals.coverage",
                            0.9,
                            0.5,
                            0.999,
                            "nominal coverage of forecast intervals"));
    public static final ConfigOption<Integer> INTERVALS_RESIDUAL_WINDOW =
            declare(
                    ConfigOption.integer(
                            "intervals.residual-window",
                            100,
                            10,
                            100_000,
                            "residuals per series and step used for intervals"));
    public static final ConfigOption<Double> INTERVALS_ADAPTATION_RATE =
            declare(
                    ConfigOption.number(
                            "intervals.adaptation-rate",
                            0.01,
                            0.0,
                            0.5,
                            "adaptive conformal inference: how far each checked interval moves its"
                                    + " series' and step's quantile level (towards wider after a miss, narrower"
                                    + " after a hit), so that coverage tracks the nominal after a level shift or a"
                                    + " change of noise; `0` keeps the level at `intervals.coverage`"));

    public static final ConfigOption<Integer> BASELINES_SEASON =
            declare(
                    ConfigOption.integer(
                            "baselines.season",
                            0,
                            0,
                            100_000,
                            "seasonal-naive's lag in readings; `0`: one day of readings (from the series'"
                                    + " sampling interval) when that is 2 to `baselines.max-season`, else no"
                                    + " seasonal-naive. Each series serves the least-error combination of the"
                                    + " network, repeat-last and seasonal-naive per horizon step"));
    public static final ConfigOption<Integer> BASELINES_MAX_SEASON =
            declare(
                    ConfigOption.integer(
                            "baselines.max-season",
                            1440,
                            0,
                            100_000,
                            "longest automatic season, in readings: each series keeps this many values"
                                    + " (4 bytes each) for seasonal-naive"));
    public static final ConfigOption<Integer> BASELINES_HALF_LIFE =
            declare(
                    ConfigOption.integer(
                            "baselines.half-life",
                            70,
                            1,
                            10_000_000,
                            "half-life, in checked forecasts, of the running errors that weigh the"
                                    + " network against repeat-last and seasonal-naive"));

    public static final ConfigOption<Integer> SCORES_SHORT_WINDOW =
            declare(
                    ConfigOption.integer(
                            "scores.short-window",
                            SCORES.shortWindow(),
                            1,
                            10_000,
                            "residuals in the short-term average of the anomaly score"));
    public static final ConfigOption<Integer> SCORES_LONG_WINDOW =
            declare(
                    ConfigOption.integer(
                            "scores.long-window",
                            SCORES.longTermWindow(),
                            10,
                            10_000_000,
                            "memory, in readings, of the per-series references (long"
                                    + " against an incident, so an incident does not become its own reference)"));
    public static final ConfigOption<Integer> SCORES_WARMUP =
            declare(
                    ConfigOption.integer(
                            "scores.warmup",
                            SCORES.warmup(),
                            0,
                            10_000_000,
                            "readings of a series before its scores count (0 before)"));
    public static final ConfigOption<Integer> SCORES_SUPPRESSION =
            declare(
                    ConfigOption.integer(
                            "scores.suppression",
                            SCORES.suppression(),
                            0,
                            10_000_000,
                            "after a detection, the score is held below `alerts.threshold` until this many readings in a row score below it on their own (one anomaly, one detection)"));

    public static final ConfigOption<Double> ALERTS_THRESHOLD =
            declare(
                    ConfigOption.number(
                            "alerts.threshold",
                            SCORES.threshold(),
                            0.01,
                            0.999999,
                            "anomaly score that counts as a detection and opens an alert"
                                    + " (about the optimum on the NAB development files, where NAB picks 0.30-0.31; fused tail"
                                    + " probability 5.2e-5)"));
    public static final ConfigOption<Double> ALERTS_RESET_THRESHOLD =
            declare(
                    ConfigOption.number(
                                    "alerts.reset-threshold",
                                    SCORES.threshold() / (2 - SCORES.threshold()),
                                    0.0,
                                    1.0,
                                    "score below which a series counts as back to normal (default: half the threshold's surprise)")
                            .withDefaultText("t / (2 − t) of `alerts.threshold`"));
    public static final ConfigOption<Duration> ALERTS_RESOLVE_AFTER =
            declare(
                    ConfigOption.duration(
                            "alerts.resolve-after",
                            Duration.ofMinutes(5),
                            Duration.ZERO,
                            MAX,
                            "event time back to normal before an alert resolves"));
    public static final ConfigOption<Duration> ALERTS_COOLDOWN =
            declare(
                    ConfigOption.duration(
                            "alerts.cooldown",
                            Duration.ofMinutes(30),
                            Duration.ZERO,
                            MAX,
                            "a re-open within this time after a resolve reuses the alert"));
    public static final ConfigOption<Double> ALERTS_MIN_ABS_DEVIATION =
            declare(
                    ConfigOption.number(
                            "alerts.min-abs-deviation",
                            0.0,
                            0.0,
                            Double.MAX_VALUE,
                            "minimum |actual − expected| for an alert"));
    public static final ConfigOption<Double> ALERTS_MIN_REL_DEVIATION =
            declare(
                    ConfigOption.number(
                            "alerts.min-rel-deviation",
                            0.0,
                            0.0,
                            1e6,
                            "minimum |actual − expected| / |expected| for an alert"));
    public static final ConfigOption<Integer> ALERTS_UPDATE_EVERY =
            declare(
                    ConfigOption.integer(
                            "alerts.update-every",
                            60,
                            0,
                            Integer.MAX_VALUE,
                            "readings between updates of a lasting alert (0: only on severity rises)"));

    public static final ConfigOption<String> NOTIFY_ALERTMANAGER_URL =
            declare(
                    ConfigOption.string(
                            "notify.alertmanager-url",
                            null,
                            "Prometheus Alertmanager that `notify` forwards alerts to (e.g."
                                    + " `http://localhost:9093`; its v2 API `/api/v2/alerts`): open and"
                                    + " update fire, resolve resolves"));
    public static final ConfigOption<String> NOTIFY_WEBHOOK_URL =
            declare(
                    ConfigOption.string(
                            "notify.webhook-url",
                            null,
                            "URL that `notify` posts each opened and resolved alert to as Slack-compatible"
                                    + " JSON `{\"text\": …}` (a Slack incoming webhook, or any receiver)"));
    public static final ConfigOption<String> NOTIFY_GROUP_ID =
            declare(
                    ConfigOption.string(
                            "notify.group-id",
                            "streamcast-notify",
                            "consumer group of `notify` on the alerts topic; its committed offset is"
                                    + " where a restarted `notify` goes on"));
    public static final ConfigOption<NotifyStart> NOTIFY_START_FROM =
            declare(
                    ConfigOption.choice(
                            "notify.start-from",
                            NotifyStart.LATEST,
                            NotifyStart::id,
                            "where a `notify` without a committed offset starts: `latest` (alerts from now"
                                    + " on) or `earliest` (every alert in the topic)"));
    public static final ConfigOption<Duration> NOTIFY_TIMEOUT =
            declare(
                    ConfigOption.duration(
                            "notify.timeout",
                            Duration.ofSeconds(10),
                            Duration.ofMillis(100),
                            Duration.ofMinutes(10),
                            "time for one delivery attempt (connect and answer)"));
    public static final ConfigOption<Duration> NOTIFY_RETRY_INITIAL =
            declare(
                    ConfigOption.duration(
                            "notify.retry-initial",
                            Duration.ofSeconds(1),
                            Duration.ofMillis(1),
                            Duration.ofHours(1),
                            "wait before the first retry of a failed delivery; each retry doubles it"));
    public static final ConfigOption<Duration> NOTIFY_RETRY_MAX =
            declare(
                    ConfigOption.duration(
                            "notify.retry-max",
                            Duration.ofMinutes(2),
                            Duration.ofMillis(1),
                            Duration.ofDays(1),
                            "longest wait between retries; a delivery is retried until it succeeds (the"
                                    + " alert's offset is committed only then)"));
    public static final ConfigOption<Duration> NOTIFY_REPEAT_INTERVAL =
            declare(
                    ConfigOption.duration(
                            "notify.repeat-interval",
                            Duration.ofMinutes(1),
                            Duration.ofSeconds(1),
                            Duration.ofHours(1),
                            "how often `notify` re-posts the alerts it has seen open to Alertmanager, which"
                                    + " otherwise resolves a firing alert after its `resolve_timeout` (5m)"));

    public static final ConfigOption<String> INPUT_TIMESTAMP_COLUMN =
            declare(
                    ConfigOption.string(
                                    "input.timestamp-column",
                                    null,
                                    "timestamp column of history CSV files")
                            .withDefaultText("first of `timestamp`, `date`, `ts`, `time`"));
    public static final ConfigOption<String> INPUT_TARGET =
            declare(
                    ConfigOption.string(
                            "input.target", "value", "target column of history CSV files"));

    public static final ConfigOption<Integer> SIMULATOR_SERIES =
            declare(
                    ConfigOption.integer(
                            "simulator.series",
                            8,
                            1,
                            10_000_000,
                            "simulated sensors (`demo`, `generate`)"));
    public static final ConfigOption<Integer> SIMULATOR_RATE =
            declare(
                    ConfigOption.integer(
                            "simulator.rate", 400, 1, 10_000_000, "events per second offered"));
    public static final ConfigOption<Duration> SIMULATOR_DURATION =
            declare(
                    ConfigOption.duration(
                            "simulator.duration",
                            Duration.ofSeconds(60),
                            Duration.ofSeconds(1),
                            MAX,
                            "how long the simulator produces (rate × duration events)"));
    public static final ConfigOption<Double> SIMULATOR_ANOMALY_RATE =
            declare(
                    ConfigOption.number(
                            "simulator.anomaly-rate",
                            0.002,
                            0.0,
                            1.0,
                            "chance per reading of an injected spike or level shift"));
    public static final ConfigOption<Integer> SIMULATOR_SEED =
            declare(
                    ConfigOption.integer(
                            "simulator.seed", 7, 0, Integer.MAX_VALUE, "simulator seed"));

    private StreamcastOptions() {}

    /** Every option, in declaration order (the order of the reference table). */
    public static List<ConfigOption<?>> all() {
        return Collections.unmodifiableList(DECLARED);
    }

    /** An output stream's topic: its key and default name come from the stream. */
    private static ConfigOption<String> topic(Stream stream, String description) {
        return ConfigOption.string(stream.topicKey(), stream.displayName(), description);
    }

    private static <T> ConfigOption<T> declare(ConfigOption<T> option) {
        for (ConfigOption<?> o : DECLARED) {
            if (o.key().equals(option.key())) {
                throw new IllegalStateException(
                        "configuration key " + option.key() + " is declared twice");
            }
        }
        DECLARED.add(option);
        return option;
    }
}

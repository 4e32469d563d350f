package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ForecastInput;
import io.streamcast.event.ForecastResult;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.ParsedEvent;
import io.streamcast.event.RoundOutcome;
import io.streamcast.event.TrainingSample;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.ModelFile;
import io.streamcast.io.OutputEncoder;
import io.streamcast.io.OutputSinks;
import io.streamcast.model.NetworkSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * Builds the Streamcast job graph (docs/design.md §3) between a stream of parsed input events and
 * its two output sinks. The same method serves {@code run}, {@code demo}, backfills and tests; only
 * the source and sinks differ.
 *
 * <pre>{@code
 * DataStream<ParsedEvent> events = env.fromSource(KafkaIo.source(config), StreamcastJob.watermarks(config), "events");
 * StreamcastJob.build(config, events, KafkaIo.sinks(config), null);
 * env.execute();
 * }</pre>
 */
public final class StreamcastJob {
    private StreamcastJob() {}

    /**
     * Event-time watermarks with the configured out-of-orderness and idleness; dead letters keep
     * their record time.
     */
    public static WatermarkStrategy<ParsedEvent> watermarks(StreamcastConfig config) {
        Duration ooo = config.time().maxOutOfOrderness();
        return WatermarkStrategy.<ParsedEvent>forBoundedOutOfOrderness(ooo)
                .withTimestampAssigner(
                        (e, recordTs) -> e.isAccepted() ? e.observation().ts() : recordTs)
                .withIdleness(config.time().idleness());
    }

    /**
     * The model a job starts from: the saved model in {@code modelFile}, checked against this
     * configuration's network; null (the seed's initial weights) when {@code modelFile} is null.
     */
    public static ModelUpdate initialModel(StreamcastConfig config, Path modelFile) {
        return modelFile == null ? null : ModelFile.read(modelFile, config.networkSpec());
    }

    /**
     * The whole job reading the configured events topic and writing the configured output topics:
     * what {@code run} builds, locally and on a cluster.
     */
    public static DataStreamSink<OutputRecord> buildOnKafka(
            StreamExecutionEnvironment env, StreamcastConfig config, ModelUpdate initialModel) {
        return build(
                config, Sources.kafka(config).events(env), KafkaIo.sinks(config), initialModel);
    }

    /**
     * Wires parse → window assembler → forecaster (with the trainer's model versions broadcast in)
     * → alerts → sinks. {@code initialModel} (may be null) warm-starts forecasters and trainer from
     * a saved model. Returns the per-reading sink, so that callers can set its parallelism; the
     * other sink runs at parallelism 1.
     */
    public static DataStreamSink<OutputRecord> build(
            StreamcastConfig config,
            DataStream<ParsedEvent> events,
            OutputSinks sinks,
            ModelUpdate initialModel) {
        // No operator keeps or changes a record after emitting it, so chained operators can share
        // records instead of deep-copying each one (every forecast, score and encoded record, per
        // reading).
        events.getExecutionEnvironment().getConfig().enableObjectReuse();
        NetworkSpec spec = config.networkSpec();
        SingleOutputStreamOperator<ForecastInput> windows =
                events.keyBy(WindowAssembler::keyOf)
                        .process(new WindowAssembler(config))
                        .name("window-assembler")
                        .uid("window-assembler");

        DataStream<TrainingSample> samples =
                windows.getSideOutput(WindowAssembler.TRAINING_SAMPLES);
        SingleOutputStreamOperator<RoundOutcome> rounds =
                samples.global()
                        .transform(
                                "trainer",
                                TypeInformation.of(RoundOutcome.class),
                                new TrainerOperator(
                                        spec,
                                        config.training(),
                                        config.window().size(),
                                        initialModel))
                        .uid("trainer")
                        .setParallelism(1)
                        .setMaxParallelism(1);

        // The assembler is keyed by series too (same key, same parallelism): its output is already
        // where keyBy would send it, so it goes forward without a hash shuffle.
        SingleOutputStreamOperator<ForecastResult> forecasts =
                DataStreamUtils.reinterpretAsKeyedStream(
                                windows, ForecastInput::series, Types.STRING)
                        .connect(rounds.broadcast())
                        .transform(
                                "forecaster",
                                TypeInformation.of(ForecastResult.class),
                                new ForecastOperator(
                                        spec,
                                        config.window().size(),
                                        config.inference(),
                                        config.intervals(),
                                        config.baselines(),
                                        config.training(),
                                        config.scoring(),
                                        config.time().seriesTtl(),
                                        initialModel))
                        .uid("forecaster");

        // Forecaster, alerts and the per-reading sink writer form one chain: the results leave the
        // forecaster partitioned by series exactly as keyBy would partition them, and each operator
        // has a single input, so no record of a reading is serialised between tasks before it goes
        // to Kafka.
        TypeInformation<OutputRecord> out = TypeInformation.of(OutputRecord.class);
        DataStreamSink<OutputRecord> perReading =
                DataStreamUtils.reinterpretAsKeyedStream(
                                forecasts, r -> r.forecast().series(), Types.STRING)
                        .process(new AlertOperator(config.alerts(), config.time().seriesTtl()), out)
                        .name("alerts")
                        .uid("alerts")
                        .sinkTo(sinks.perReading())
                        .name("sink")
                        .uid("sink");

        // Model versions reach the topic in version order only along one path: filtered and encoded
        // at the trainer's parallelism, then through a single writer. Not chained to the trainer,
        // whose max parallelism of 1 savepoints of these stateless operators do not share. A round
        // started by drift publishes its drift event first. A version goes out with the job's
        // network spec, the one the trainer built it from.
        DataStream<OutputRecord> models =
                rounds.filter(r -> r.promoted() != null || r.drift() != null)
                        .name("promoted")
                        .uid("promoted")
                        .setParallelism(1)
                        .startNewChain()
                        .flatMap(
                                (RoundOutcome r, Collector<OutputRecord> c) -> {
                                    if (r.drift() != null) {
                                        c.collect(OutputEncoder.drift(r.drift(), r.promoted()));
                                    }
                                    if (r.promoted() != null) {
                                        c.collect(OutputEncoder.model(r.promoted(), spec));
                                    }
                                },
                                out)
                        .name("encode-models")
                        .uid("encode-models")
                        .setParallelism(1);
        windows.getSideOutput(WindowAssembler.DEAD_LETTERS)
                .map(OutputEncoder::deadLetter, out)
                .name("encode-dead-letters")
                .uid("encode-dead-letters")
                .union(models)
                .sinkTo(sinks.others())
                .name("models-and-dead-letters-sink")
                .uid("models-and-dead-letters-sink")
                .setParallelism(1);
        return perReading;
    }
}

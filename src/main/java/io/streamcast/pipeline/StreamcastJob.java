package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.Forecast;
import io.streamcast.event.ForecastInput;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.ParsedEvent;
import io.streamcast.event.RoundOutcome;
import io.streamcast.event.Score;
import io.streamcast.event.TrainingSample;
import io.streamcast.io.OutputEncoder;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.alert.AlertEvent;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Builds the Streamcast job graph (DESIGN §3) between a stream of parsed input events and one output sink. The same
 * method serves {@code run}, {@code demo}, backfills and tests; only the source and sink differ.
 *
 * <pre>{@code
 * DataStream<ParsedEvent> events = env.fromSource(KafkaIo.source(config), StreamcastJob.watermarks(config), "events");
 * StreamcastJob.build(config, events, KafkaIo.sink(config), null);
 * env.execute();
 * }</pre>
 */
public final class StreamcastJob {
    private StreamcastJob() {}

    /** Event-time watermarks with the configured out-of-orderness and idleness; dead letters keep their record time. */
    public static WatermarkStrategy<ParsedEvent> watermarks(StreamcastConfig config) {
        Duration ooo = config.time().maxOutOfOrderness();
        return WatermarkStrategy.<ParsedEvent>forBoundedOutOfOrderness(ooo)
                .withTimestampAssigner((e, recordTs) -> e.isAccepted() ? e.observation().ts() : recordTs)
                .withIdleness(config.time().idleness());
    }

    /**
     * The network every operator builds from this configuration; a truncated-BPTT length that is not shorter than
     * the window means full BPTT.
     */
    public static NetworkSpec networkSpec(StreamcastConfig config) {
        int tbptt = config.training().tbpttLength();
        return new NetworkSpec(config.model().cell(), config.model().layers(), config.model().hidden(),
                config.window().width(), config.model().horizon(), config.model().seed(),
                config.training().learningRate(), config.training().gradientClip(),
                config.model().dropout(), config.model().decoder(), tbptt < config.window().size() ? tbptt : 0);
    }

    /**
     * Wires parse → window assembler → forecaster (with the trainer's model versions broadcast in) → sink.
     * {@code initialModel} (may be null) warm-starts forecasters and trainer from a saved model. Returns the sink,
     * so that callers can set its parallelism.
     */
    public static DataStreamSink<OutputRecord> build(StreamcastConfig config, DataStream<ParsedEvent> events,
            Sink<OutputRecord> sink, ModelUpdate initialModel) {
        NetworkSpec spec = networkSpec(config);
        SingleOutputStreamOperator<ForecastInput> windows = events
                .keyBy(WindowAssembler::keyOf)
                .process(new WindowAssembler(config))
                .name("window-assembler")
                .uid("window-assembler");

        DataStream<TrainingSample> samples = windows.getSideOutput(WindowAssembler.TRAINING_SAMPLES);
        SingleOutputStreamOperator<RoundOutcome> rounds = samples
                .global()
                .transform("trainer", TypeInformation.of(RoundOutcome.class),
                        new TrainerOperator(spec, config.training(), config.window().size(), initialModel))
                .uid("trainer")
                .setParallelism(1)
                .setMaxParallelism(1);

        // The assembler is keyed by series too (same key, same parallelism): its output is already where keyBy would
        // send it, so it goes forward without a hash shuffle.
        SingleOutputStreamOperator<Forecast> forecasts = DataStreamUtils
                .reinterpretAsKeyedStream(windows, ForecastInput::series, Types.STRING)
                .connect(rounds.broadcast())
                .transform("forecaster", TypeInformation.of(Forecast.class),
                        new ForecastOperator(spec, config.window().size(), config.inference(), config.intervals(),
                                config.training(), config.scoring(), config.time().seriesTtl(), initialModel))
                .uid("forecaster");

        DataStream<Score> scores = forecasts.getSideOutput(ForecastOperator.SCORES);
        // Scores leave the forecaster already partitioned by series, exactly as keyBy would partition them: the
        // alert operator runs chained in the forecaster's task instead of behind a network shuffle.
        SingleOutputStreamOperator<AlertEvent> alerts = DataStreamUtils
                .reinterpretAsKeyedStream(scores, Score::series, Types.STRING)
                .process(new AlertOperator(config.alerts(), config.time().seriesTtl()))
                .name("alerts")
                .uid("alerts");

        DataStream<DeadLetter> deadLetters = windows.getSideOutput(WindowAssembler.DEAD_LETTERS);

        TypeInformation<OutputRecord> out = TypeInformation.of(OutputRecord.class);
        return forecasts.map(OutputEncoder::forecast, out).name("encode-forecasts").uid("encode-forecasts")
                .union(
                        scores.map(OutputEncoder::score, out).name("encode-scores").uid("encode-scores"),
                        alerts.map(OutputEncoder::alert, out).name("encode-alerts").uid("encode-alerts"),
                        // Model versions reach the topic in version order only along one path: filtered and
                        // encoded at the trainer's parallelism (a wider stage would rebalance them over channels
                        // that race each other), then all through sink writer 0. Not chained to the trainer, whose
                        // max parallelism of 1 savepoints of these stateless operators do not share.
                        rounds.filter(r -> r.promoted() != null).name("promoted").uid("promoted").setParallelism(1)
                                .startNewChain()
                                .map(r -> OutputEncoder.model(r.promoted()), out).name("encode-models")
                                .uid("encode-models").setParallelism(1)
                                .partitionCustom((key, partitions) -> 0, OutputRecord::key),
                        deadLetters.map(OutputEncoder::deadLetter, out).name("encode-dead-letters")
                                .uid("encode-dead-letters"))
                .sinkTo(sink)
                .name("sink")
                .uid("sink");
    }
}

package io.streamcast.pipeline;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.Forecast;
import io.streamcast.event.ForecastInput;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.Observation;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.ParsedEvent;
import io.streamcast.event.TrainingSample;
import io.streamcast.io.OutputEncoder;
import io.streamcast.model.NetworkSpec;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

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
    static final OutputTag<DeadLetter> PARSE_DEAD_LETTERS = new OutputTag<>("parse-dead-letters") {};

    private StreamcastJob() {}

    /** Event-time watermarks with the configured out-of-orderness and idleness; dead letters keep their record time. */
    public static WatermarkStrategy<ParsedEvent> watermarks(StreamcastConfig config) {
        Duration ooo = config.time().maxOutOfOrderness();
        return WatermarkStrategy.<ParsedEvent>forBoundedOutOfOrderness(ooo)
                .withTimestampAssigner((e, recordTs) -> e.isAccepted() ? e.observation().ts() : recordTs)
                .withIdleness(config.time().idleness());
    }

    /** The network every operator builds from this configuration. */
    public static NetworkSpec networkSpec(StreamcastConfig config) {
        return new NetworkSpec(config.model().cell(), config.model().layers(), config.model().hidden(),
                config.window().width(), config.model().horizon(), config.model().seed(),
                config.training().learningRate(), config.training().gradientClip(),
                config.model().dropout());
    }

    /**
     * Wires parse → window assembler → forecaster (with the trainer's model versions broadcast in) → sink.
     * {@code initialModel} (may be null) warm-starts forecasters and trainer from a saved model.
     */
    public static void build(StreamcastConfig config, DataStream<ParsedEvent> events, Sink<OutputRecord> sink,
            ModelUpdate initialModel) {
        NetworkSpec spec = networkSpec(config);
        SingleOutputStreamOperator<Observation> accepted = events
                .process(new SplitParsed())
                .name("validate")
                .uid("validate");

        SingleOutputStreamOperator<ForecastInput> windows = accepted
                .keyBy(Observation::series)
                .process(new WindowAssembler(config))
                .name("window-assembler")
                .uid("window-assembler");

        DataStream<TrainingSample> samples = windows.getSideOutput(WindowAssembler.TRAINING_SAMPLES);
        SingleOutputStreamOperator<ModelUpdate> models = samples
                .global()
                .process(new TrainerFunction(spec, config.training(), config.window().size(), initialModel))
                .name("trainer")
                .uid("trainer")
                .setParallelism(1)
                .setMaxParallelism(1);

        SingleOutputStreamOperator<Forecast> forecasts = windows
                .keyBy(ForecastInput::series)
                .connect(models.broadcast())
                .transform("forecaster", TypeInformation.of(Forecast.class),
                        new ForecastOperator(spec, config.window().size(), config.inference(), config.intervals(),
                                config.time().seriesTtl(), initialModel))
                .uid("forecaster");

        DataStream<DeadLetter> deadLetters = accepted.getSideOutput(PARSE_DEAD_LETTERS)
                .union(windows.getSideOutput(WindowAssembler.DEAD_LETTERS));

        TypeInformation<OutputRecord> out = TypeInformation.of(OutputRecord.class);
        forecasts.map(OutputEncoder::forecast, out).name("encode-forecasts").uid("encode-forecasts")
                .union(
                        models.map(OutputEncoder::model, out).name("encode-models").uid("encode-models"),
                        deadLetters.map(OutputEncoder::deadLetter, out).name("encode-dead-letters")
                                .uid("encode-dead-letters"))
                .sinkTo(sink)
                .name("sink")
                .uid("sink");
    }

    /** Accepted events continue; rejected ones go to the dead-letter side output. */
    static final class SplitParsed extends ProcessFunction<ParsedEvent, Observation> {
        @Override
        public void processElement(ParsedEvent e, Context ctx, Collector<Observation> out) {
            if (e.isAccepted()) {
                out.collect(e.observation());
            } else {
                ctx.output(PARSE_DEAD_LETTERS, e.deadLetter());
            }
        }
    }
}

package io.streamcast.cli;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.event.ParsedEvent;
import io.streamcast.io.FileOutputSink;
import io.streamcast.io.HistoryFiles;
import io.streamcast.io.HistoryRowParser;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.UserError;
import io.streamcast.pipeline.JobEnvironment;
import io.streamcast.pipeline.StreamcastJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code backfill}: the very same job graph as {@code run} over bounded input (history files, or
 * the events topic between two timestamps), in STREAMING mode so that the forecaster never sees
 * models trained on the future. Output goes to JSON Lines files ({@code --output DIR}) or the
 * configured topics. At parallelism 1 retraining is synchronous by default, which makes a rerun
 * byte-identical.
 */
final class BackfillCommand {
    private BackfillCommand() {}

    /**
     * backfill's options, parsed and checked: files or a time range of the events topic, and where
     * output goes.
     */
    record Args(Path input, Instant from, Instant to, Path output, Path model) {
        static Args of(Options options) {
            Path input = options.path("input");
            boolean kafkaInput = options.has("from") || options.has("to");
            if ((input == null) == !kafkaInput) {
                throw new UserError("backfill needs either --input FILE|DIR or --from TS --to TS");
            }
            Instant from = kafkaInput ? options.instant("from") : null;
            Instant to = kafkaInput ? options.instant("to") : null;
            if (kafkaInput && !from.isBefore(to)) {
                throw new UserError("--from " + from + " must be before --to " + to);
            }
            return new Args(input, from, to, options.path("output"), options.path("model"));
        }
    }

    static int run(Options options, PrintStream out) throws Exception {
        Args args = Args.of(options);
        ReportCommand.checkFlag(options);
        StreamcastConfig config = config(options);
        ModelUpdate model = StreamcastJob.initialModel(config, args.model());
        HistoryFiles files = args.input() == null ? null : HistoryFiles.at(args.input());
        int code = replay(config, files, args.from(), args.to(), model, args.output(), out);
        ReportCommand.afterRun(options, out);
        return code;
    }

    /**
     * Runs the job over {@code files} (or, when null, the Kafka time range in {@code options}) to
     * {@code output} files (or, when null, the configured topics), showing progress; returns 0 when
     * the job finished.
     */
    static int replay(
            StreamcastConfig config,
            HistoryFiles files,
            Instant from,
            Instant to,
            ModelUpdate model,
            Path output,
            PrintStream out)
            throws Exception {
        boolean kafkaInput = files == null;
        if (files != null) {
            files.check(HistoryRowParser.of(config));
        }
        if (kafkaInput || output == null) {
            KafkaCheck.reachable(config.kafka());
        }

        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        JobEnvironment.localRuntime(config.job()));
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(config.job().parallelism());
        if (output == null) {
            // Kafka output is transactional: its commits ride on checkpoints (and the final one at
            // end of input).
            env.enableCheckpointing(config.job().checkpointInterval().toMillis());
        }

        DataStream<ParsedEvent> events;
        if (kafkaInput) {
            events =
                    env.fromSource(
                                    KafkaIo.boundedSource(
                                            config, from.toEpochMilli(), to.toEpochMilli()),
                                    StreamcastJob.watermarks(config),
                                    "kafka-events")
                            .uid("kafka-events");
        } else {
            events =
                    env.fromSource(
                                    files.source(HistoryRowParser.of(config)),
                                    StreamcastJob.watermarks(config),
                                    "history-files")
                            .uid("history-files");
        }
        if (output != null) {
            StreamcastJob.build(config, events, FileOutputSink.sinks(output), model)
                    .setParallelism(1);
        } else {
            StreamcastJob.build(config, events, KafkaIo.sinks(config), model);
        }

        long total = files == null ? -1 : files.countRows();
        out.printf(
                "Backfill of %s: %s rows, parallelism %d, %s, output to %s%n",
                kafkaInput
                        ? "topic " + config.kafka().eventsTopic()
                        : files.files().size() + " file(s)",
                total < 0 ? "unknown" : String.format("%,d", total),
                config.job().parallelism(),
                config.training().enabled()
                        ? (config.training().synchronous()
                                ? "synchronous retraining"
                                : "retraining")
                        : "frozen model",
                output != null ? output : "Kafka topics");
        long started = System.nanoTime();
        JobClient job = env.executeAsync("streamcast-backfill");
        BackfillProgress progress =
                new BackfillProgress(output, total, out, System.console() != null);
        // A local MiniCluster shuts down with its job, so poll the result future rather than the
        // job's status.
        var result = job.getJobExecutionResult();
        try {
            while (!result.isDone()) {
                progress.update(System.nanoTime() - started);
                Thread.sleep(250);
            }
            result.get();
        } catch (Exception e) {
            if (output != null) {
                deleteEmptyOutputs(output);
            }
            throw e;
        }
        progress.finish(System.nanoTime() - started);
        return 0;
    }

    /**
     * After a failed replay: the output files nothing was written to (the sinks open them all at
     * the start).
     */
    private static void deleteEmptyOutputs(Path output) throws java.io.IOException {
        for (Stream s : Stream.values()) {
            Path f = FileOutputSink.file(output, s);
            if (Files.isRegularFile(f) && Files.size(f) == 0) {
                Files.delete(f);
            }
        }
    }

    /**
     * The configuration with backfill defaults: synchronous retraining at parallelism 1 unless set
     * otherwise.
     */
    static StreamcastConfig config(Options options) {
        StreamcastConfig plain = ConfigLoader.load(options.configFile(), options.overrides());
        boolean explicit =
                options.overrides().stream().anyMatch(o -> o.startsWith("training.synchronous="));
        if (plain.job().parallelism() != 1 || explicit) {
            return plain;
        }
        List<String> overrides = new ArrayList<>();
        overrides.add("training.synchronous=true");
        overrides.addAll(options.overrides());
        return ConfigLoader.load(options.configFile(), overrides);
    }
}

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
import io.streamcast.pipeline.Sources;
import io.streamcast.pipeline.StreamcastJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code backfill}: the very same job graph as {@code run} over bounded input (history files, or
 * the events topic between two timestamps), in STREAMING mode so that the forecaster never sees
 * models trained on the future. Output goes to JSON Lines files ({@code --output DIR}) or the
 * configured topics. At parallelism 1 retraining is synchronous by default, which makes a rerun
 * byte-identical.
 */
@Command(
        name = "backfill",
        header = "the same job over history files or a time range of the events topic",
        description = {
            "The same job over history: files (CSV with a header, or JSON Lines) or the events topic"
                    + " between two times. Output to JSON Lines files with --output, otherwise to the"
                    + " configured topics."
        })
final class BackfillCommand extends Subcommand {
    @Option(
            names = "--input",
            paramLabel = "FILE|DIR",
            description = "history file, or a folder of .csv / .jsonl files")
    Path input;

    @Option(
            names = "--from",
            paramLabel = "TS",
            converter = OptionTypes.Iso8601.class,
            description = "with --to: replay the events topic from this ISO-8601 instant")
    Instant from;

    @Option(
            names = "--to",
            paramLabel = "TS",
            converter = OptionTypes.Iso8601.class,
            description = "end of the time range (exclusive)")
    Instant to;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "write forecasts, scores, alerts, models, dead letters here")
    Path output;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "start from a saved model (see train)")
    Path model;

    @Option(names = "--report", description = "also write report.html into --output")
    boolean report;

    @Override
    protected int run() throws Exception {
        boolean kafkaInput = from != null || to != null;
        if ((input == null) == !kafkaInput) {
            throw new UserError("backfill needs either --input FILE|DIR or --from TS --to TS");
        }
        if (kafkaInput) {
            String missing = from == null ? "--from" : to == null ? "--to" : null;
            if (missing != null) {
                throw new UserError(
                        missing + " is missing (an ISO-8601 instant such as 2026-01-01T00:00:00Z)");
            }
            if (!from.isBefore(to)) {
                throw new UserError("--from " + from + " must be before --to " + to);
            }
        }
        ReportCommand.checkFlag(report, output);
        StreamcastConfig config = config(common);
        ModelUpdate initial = StreamcastJob.initialModel(config, model);
        HistoryFiles files = input == null ? null : HistoryFiles.at(input);
        int code = replay(config, files, from, to, initial, output, out);
        ReportCommand.afterRun(report, output, out);
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

        // Kafka output is transactional: its commits ride on checkpoints (and the final one at end
        // of input).
        StreamExecutionEnvironment env = JobEnvironment.bounded(config, output == null);
        DataStream<ParsedEvent> events =
                (kafkaInput
                                ? Sources.kafkaRange(config, from.toEpochMilli(), to.toEpochMilli())
                                : Sources.files(config, files))
                        .events(env);
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
    static StreamcastConfig config(CommonOptions options) {
        StreamcastConfig plain = options.config();
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

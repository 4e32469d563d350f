package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.ParsedEvent;
import io.streamcast.io.HistoryFiles;
import io.streamcast.io.HistoryRowParser;
import io.streamcast.io.ModelFile;
import io.streamcast.model.HistoryExamples;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.OfflineTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code train --input FILE|DIR --output FILE [--epochs N] [--train-rows N]}: offline pre-training
 * on history files (the formats {@code backfill} reads) to a model file that {@code run}, {@code
 * demo}, {@code backfill} and {@code evaluate} accept with {@code --model}. The network is the one
 * the configuration describes ({@code model.*}, {@code window.*}, {@code training.learning-rate},
 * {@code training.gradient-clip}, {@code training.batch-size}, {@code training.tbptt-length},
 * {@code training.scheduled-sampling.*}); examples are built per series with the job's own
 * normalisation; the newest {@code training.validation-fraction} of each series is held back; the
 * weights of the epoch with the lowest validation loss are written.
 */
@Command(
        name = "train",
        header = "offline pre-training on history files; writes a model file",
        description = {
            "Offline pre-training on history files, with the network the configuration describes"
                    + " (model.*, window.*, training.*); writes a model file for --model."
        })
final class TrainCommand extends Subcommand {
    static final int DEFAULT_EPOCHS = 10;

    @Option(
            names = "--input",
            paramLabel = "FILE|DIR",
            required = true,
            description = "history file, or a folder of .csv / .jsonl files")
    Path input;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            required = true,
            description = "the model file to write")
    Path output;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            converter = OptionTypes.AtLeast1.class,
            description = "passes over the examples")
    int epochs = DEFAULT_EPOCHS;

    @Option(
            names = "--train-rows",
            paramLabel = "N",
            converter = OptionTypes.AtLeast1.class,
            description = "use only the first N rows of each series (default: all)")
    Integer trainRowsOption;

    @Override
    protected int run() throws Exception {
        int trainRows = trainRowsOption == null ? 0 : trainRowsOption;
        StreamcastConfig config = common.config();
        NetworkSpec spec = config.networkSpec();
        HistoryFiles files = HistoryFiles.at(input);

        long started = System.nanoTime();
        HistoryExamples examples =
                new HistoryExamples(
                        config.window().size(),
                        spec.horizon(),
                        config.window().columns(),
                        config.window().calendarColumns(),
                        config.window().normHalfLife(),
                        config.time().maxOutOfOrderness().toMillis(),
                        config.time().maxFutureJump().toMillis(),
                        trainRows);
        HistoryRowParser parser = HistoryRowParser.of(config);
        long deadLetters = 0;
        for (Path file : files.files()) {
            try (HistoryRowParser.Rows rows =
                    parser.rows(
                            Files.newBufferedReader(file),
                            file.toString(),
                            file.getFileName().toString())) {
                ParsedEvent e;
                while ((e = rows.next()) != null) {
                    if (e.isAccepted()) {
                        examples.offer(
                                e.observation().series(),
                                e.observation().ts(),
                                e.observation().values());
                    } else {
                        deadLetters++;
                    }
                }
            }
        }
        List<List<float[][]>> split = examples.split(config.training().validationFraction());
        out.printf(
                "Training %s on %d file(s): %d series, %,d rows%s (%d unparseable, %d late/duplicate), %,d examples:"
                        + " %,d train, %,d validation (the newest %.0f%% of each series)%n",
                spec.summary(),
                files.files().size(),
                examples.series(),
                examples.rows(),
                trainRows > 0 ? " (at most " + trainRows + " per series)" : "",
                deadLetters,
                examples.rejected(),
                examples.examples(),
                split.get(0).size(),
                split.get(1).size(),
                100 * config.training().validationFraction());
        out.println(" epoch  train loss  validation loss  sampling p   seconds");
        OfflineTrainer.Result result =
                new OfflineTrainer(spec, config.training().settings(), config.window().size())
                        .train(
                                split.get(0),
                                split.get(1),
                                epochs,
                                e ->
                                        out.printf(
                                                "%6d  %10.5f  %15.5f  %10s  %8.1f%n",
                                                e.epoch(),
                                                e.trainLoss(),
                                                e.validationLoss(),
                                                spec.autoregressive()
                                                        ? String.format(
                                                                "%.2f", e.samplingProbability())
                                                        : "-",
                                                e.millis() / 1000.0));
        ModelFile.write(
                output,
                new ModelUpdate(
                        1,
                        spec.cell().id(),
                        result.trainLoss(),
                        result.validationLoss(),
                        result.gradientNorm(),
                        result.examplesSeen(),
                        result.params()),
                spec);
        out.printf(
                "Wrote %s: epoch %d (train loss %.5f, validation loss %.5f), %d parameters, in %.1f s; start a job"
                        + " from it with --model %s%n",
                output,
                result.bestEpoch(),
                result.trainLoss(),
                result.validationLoss(),
                result.params().length,
                (System.nanoTime() - started) / 1e9,
                output);
        return 0;
    }
}

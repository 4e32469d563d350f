package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.HistoryFiles;
import io.streamcast.io.HistoryRowParser;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.UserError;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code produce}: sends readings from files or standard input to the configured events topic
 * ({@code kafka.bootstrap-servers}, {@code kafka.topics.events}, {@code kafka.properties.*}), so
 * that a user needs no Kafka tools to feed the job. The conversion is {@link ReadingSender}'s; this
 * class resolves the inputs and prints what was sent.
 */
@Command(
        name = "produce",
        header = "sends readings (JSON lines or CSV, files or standard input) to the events topic",
        description = {
            "Sends readings to the configured events topic, keyed by series: JSON lines as they are"
                    + " (the job's event format, one object per line), CSV rows (a header row,"
                    + " read as backfill reads them: input.target, window.features) as events of"
                    + " that format. With no FILE, or FILE -, reads standard input until it ends."
                    + " Records the job will reject are counted and the first of each reason"
                    + " shown."
        })
final class ProduceCommand extends Subcommand {
    @Parameters(
            paramLabel = "FILE",
            arity = "0..*",
            description =
                    "a .jsonl (.json, .ndjson) or .csv file, a folder of them, or - for standard"
                            + " input (the default)")
    List<String> inputs = new ArrayList<>();

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description =
                    "jsonl or csv: how standard input is written; default: csv when its first line"
                            + " does not start with '{' (files: by their extension)")
    String format;

    @Option(
            names = "--series",
            paramLabel = "ID",
            description =
                    "the series of CSV rows read from standard input (a CSV file's series is its"
                            + " file name without the extension)")
    String series;

    @Option(
            names = "--rate",
            paramLabel = "N",
            converter = OptionTypes.AtLeast0.class,
            description =
                    "readings per second at most, to replay a file as a live stream; 0: as fast as Kafka takes them")
    int rate;

    /** Standard input; tests hand it another. */
    InputStream in = System.in;

    @Override
    protected int run() throws Exception {
        if (format != null && !Set.of("jsonl", "csv").contains(format)) {
            throw new UserError("--format '" + format + "' is not jsonl or csv");
        }
        StreamcastConfig config = common.config();
        var kafka = config.kafka();
        List<Path> files = new ArrayList<>();
        boolean stdin = inputs.isEmpty();
        HistoryRowParser rows = HistoryRowParser.of(config);
        for (String input : inputs) {
            if (input.equals("-")) {
                stdin = true;
                continue;
            }
            HistoryFiles found = HistoryFiles.at(Path.of(input));
            // What would lose data (no rows, newest first) stops here, before anything is sent.
            found.check(rows);
            files.addAll(found.files());
        }
        if (stdin && inputs.size() > 1) {
            throw new UserError("produce reads standard input alone: give - without files");
        }
        KafkaCheck.reachable(kafka);
        KafkaCheck.topicsExist(kafka, List.of(kafka.eventsTopic()));

        ReadingSender.Tally tally = new ReadingSender.Tally();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(KafkaIo.producerProperties(kafka))) {
            ReadingSender sender =
                    new ReadingSender(config, Clock.systemUTC(), producer, rate, tally);
            Thread onShutdown =
                    new Thread(
                            () -> {
                                producer.flush();
                                out.println("Stopped: " + tally.summary(kafka.eventsTopic()));
                            },
                            "produce-shutdown");
            Runtime.getRuntime().addShutdownHook(onShutdown);
            try {
                if (stdin) {
                    BufferedReader reader =
                            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    sender.sendStandardInput(reader, format, series);
                } else {
                    for (Path f : files) {
                        sender.sendFile(f);
                    }
                }
                producer.flush();
                sender.throwIfFailed();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onShutdown);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running.
                }
            }
        }
        out.println(
                "Sent " + tally.summary(kafka.eventsTopic()) + " on " + kafka.bootstrapServers());
        for (String line : tally.rejections()) {
            out.println("  " + line);
        }
        return 0;
    }
}

package io.streamcast.cli;

import io.streamcast.io.UserError;
import io.streamcast.report.HtmlReport;
import io.streamcast.report.RunOutputs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code report --input DIR [--output DIR] [--max-points N]}: one self-contained HTML page
 * (report.html) from the output folder of {@code backfill --output} or {@code evaluate --output};
 * also what their {@code --report} flag runs.
 */
@Command(
        name = "report",
        header = "one self-contained HTML page of a backfill or evaluate output folder",
        description = {
            "One self-contained HTML page (report.html) from the output folder of backfill --output"
                    + " or evaluate --output: an overview table and, per series, actuals, forecasts"
                    + " with their band, anomaly scores, alerts and model versions."
        })
final class ReportCommand extends Subcommand {
    @Option(
            names = "--input",
            paramLabel = "DIR",
            required = true,
            description = "the --output folder of backfill or evaluate")
    Path input;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "where report.html goes (default: --input)")
    Path output;

    @Option(
            names = "--max-points",
            paramLabel = "N",
            converter = OptionTypes.AtLeast0.class,
            description = "readings drawn per series at most; 0 draws all")
    int maxPoints = HtmlReport.DEFAULT_MAX_POINTS;

    @Override
    protected int run() throws IOException {
        write(input, output != null ? output : input, maxPoints, out);
        return 0;
    }

    /** Fails before a run whose {@code --report} has no {@code --output} folder to write beside. */
    static void checkFlag(boolean report, Path output) {
        if (report && output == null) {
            throw new UserError(
                    "--report needs --output DIR (the report is written beside the outputs)");
        }
    }

    /** After a run: writes the report into its output folder when {@code --report} was given. */
    static void afterRun(boolean report, Path output, PrintStream out) throws IOException {
        if (report) {
            write(output, output, HtmlReport.DEFAULT_MAX_POINTS, out);
        }
    }

    /** Writes {@code output/report.html} from the outputs in {@code input} and says where. */
    static Path write(Path input, Path output, int maxPoints, PrintStream out) throws IOException {
        RunOutputs run = RunOutputs.read(input);
        if (run.skippedLines() > 0) {
            out.println("Report: " + run.skipped().summary());
        }
        Path file = HtmlReport.write(run, output, maxPoints);
        out.printf(
                "Report of %d series written to %s (%,d KB)%n",
                run.series().size(), file.toAbsolutePath(), (Files.size(file) + 1023) / 1024);
        return file;
    }
}

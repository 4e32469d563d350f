package io.streamcast.cli;

import io.streamcast.report.HtmlReport;
import io.streamcast.report.RunOutputs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code report --input DIR [--output DIR] [--max-points N]}: one self-contained HTML page
 * (report.html) from the output folder of {@code backfill --output} or {@code evaluate --output};
 * also what their {@code --report} flag runs.
 */
final class ReportCommand {
    private ReportCommand() {}

    static int run(Options options, PrintStream out) throws IOException {
        Path input = options.path("input");
        if (input == null) {
            throw new IllegalArgumentException(
                    "report needs --input DIR (the --output folder of backfill or evaluate)");
        }
        int maxPoints = HtmlReport.DEFAULT_MAX_POINTS;
        if (options.has("max-points")) {
            try {
                maxPoints = Integer.parseInt(options.get("max-points"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--max-points '"
                                + options.get("max-points")
                                + "' is not a whole number (readings drawn per series; 0 draws all)");
            }
        }
        write(input, options.has("output") ? options.path("output") : input, maxPoints, out);
        return 0;
    }

    /** Fails before a run whose {@code --report} has no {@code --output} folder to write beside. */
    static void checkFlag(Options options) {
        if (options.has("report") && !options.has("output")) {
            throw new IllegalArgumentException(
                    "--report needs --output DIR (the report is written beside the outputs)");
        }
    }

    /** After a run: writes the report into its output folder when {@code --report} was given. */
    static void afterRun(Options options, PrintStream out) throws IOException {
        if (options.has("report")) {
            Path output = options.path("output");
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

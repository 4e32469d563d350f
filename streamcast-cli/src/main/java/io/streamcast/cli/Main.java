package io.streamcast.cli;

import io.streamcast.config.ConfigException;
import io.streamcast.config.ConfigLoader;
import io.streamcast.io.UserError;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.SerializedThrowable;

/**
 * The one entry point: {@code streamcast <command> [--config FILE] [--set key=value]... [options]}.
 * It parses the command line and configuration, hands over to a command, and is the one place where
 * what went wrong becomes what the user reads: one line naming the file, line, option or key and
 * what to do, exit code 2 for usage and input errors, 1 for runtime failures, the stack trace only
 * with {@code --verbose}. It computes nothing itself.
 */
public final class Main {
    static final String USAGE =
            """
            usage: streamcast <command> [--config FILE] [--set key=value]... [options]
                   streamcast <command> --help      (that command's options)

            commands:
              demo      in-process Kafka + local Flink + simulated sensors: forecasts as they happen, summary
              run       the streaming job against the configured Kafka (locally, or submitted with `flink run`)
              backfill  the same job over history files or a time range of the events topic
              train     offline pre-training on history files; writes a model file
              evaluate  forecast accuracy over a history file, or NAB scoring of the anomaly scores
              topics    creates the configured topics that are missing (models compacted) and checks the others
              generate  the sensor simulator alone, producing to the configured events topic
              bench     the whole job on this machine: throughput, latency, CPU and memory
              report    one self-contained HTML page of a backfill or evaluate output folder
              dashboard the live page over the configured Kafka's output topics
              notify    forwards the alerts topic to Alertmanager and/or a Slack-compatible webhook

            configuration: one YAML file (--config) plus --set overrides; see README.md for every key.
            global options: --verbose (stack traces of failures), -h/--help.
            """;

    /**
     * One option of a command: its name (without "--"), its value's placeholder (null: a flag),
     * what it does.
     */
    record Option(String name, String value, String help) {}

    /**
     * A command's help: what it does and its own options (--config, --set, --verbose and --help are
     * common).
     */
    record Spec(String name, String summary, List<Option> options) {
        Option option(String flag) {
            return options.stream()
                    .filter(o -> ("--" + o.name()).equals(flag))
                    .findFirst()
                    .orElse(null);
        }
    }

    private static final Option MODEL =
            new Option("model", "FILE", "start from a saved model (see train)");
    private static final Option REPORT =
            new Option("report", null, "also write report.html into --output");
    private static final Map<String, Spec> COMMANDS =
            specs(
                    new Spec(
                            "demo",
                            """
                    In-process Kafka + local Flink + simulated sensors: prints forecasts, model versions and alerts as
                    they are committed, then a throughput, latency and accuracy summary. simulator.* keys shape the
                    fleet (e.g. --set simulator.duration=30s).""",
                            List.of(
                                    new Option(
                                            "model",
                                            "FILE",
                                            "start from a saved model; the demo takes the network's"
                                                    + " shape (cell, layers, hidden) from the file"),
                                    new Option(
                                            "dashboard-port",
                                            "N",
                                            "port of the live page (default 0: any free port)"),
                                    new Option(
                                            "no-dashboard", null, "do not serve the live page"))),
                    new Spec(
                            "run",
                            """
                    The streaming job between the configured Kafka topics (kafka.*). Locally it resumes from the
                    newest checkpoint in job.state-dir; on a cluster, submit the jar with `flink run`.""",
                            List.of(
                                    MODEL,
                                    new Option(
                                            "fresh",
                                            null,
                                            "locally: delete earlier checkpoints and start over"))),
                    new Spec(
                            "backfill",
                            """
                    The same job over history: files (CSV with a header, or JSON Lines) or the events topic between
                    two times. Output to JSON Lines files with --output, otherwise to the configured topics.""",
                            List.of(
                                    new Option(
                                            "input",
                                            "FILE|DIR",
                                            "history file, or a folder of .csv / .jsonl files"),
                                    new Option(
                                            "from",
                                            "TS",
                                            "with --to: replay the events topic from this ISO-8601 instant"),
                                    new Option("to", "TS", "end of the time range (exclusive)"),
                                    new Option(
                                            "output",
                                            "DIR",
                                            "write forecasts, scores, alerts, models, dead letters here"),
                                    MODEL,
                                    REPORT)),
                    new Spec(
                            "train",
                            """
                    Offline pre-training on history files, with the network the configuration describes (model.*,
                    window.*, training.*); writes a model file for --model.""",
                            List.of(
                                    new Option(
                                            "input",
                                            "FILE|DIR",
                                            "history file, or a folder of .csv / .jsonl files"),
                                    new Option("output", "FILE", "the model file to write"),
                                    new Option(
                                            "epochs",
                                            "N",
                                            "passes over the examples (default "
                                                    + TrainCommand.DEFAULT_EPOCHS
                                                    + ")"),
                                    new Option(
                                            "train-rows",
                                            "N",
                                            "use only the first N rows of each series"))),
                    new Spec(
                            "evaluate",
                            """
                    Forecast accuracy (--input): prequential MSE, MAE, MASE against repeat-last and seasonal naive,
                    and interval coverage, over the rows after the first --train-rows. Or NAB scoring (--nab, --labels)
                    of the job's anomaly scores.""",
                            List.of(
                                    new Option(
                                            "input",
                                            "FILE",
                                            "one history file (forecast accuracy)"),
                                    new Option(
                                            "train-rows",
                                            "N",
                                            "rows that set the z-score scale and are not scored"),
                                    new Option(
                                            "season",
                                            "S",
                                            "season length of the seasonal-naive baseline (default 24)"),
                                    MODEL,
                                    new Option(
                                            "nab", "DIR", "NAB's data/ folder (anomaly detection)"),
                                    new Option(
                                            "labels", "FILE", "NAB's labels/combined_windows.json"),
                                    new Option(
                                            "profiles",
                                            "FILE",
                                            "NAB's config/profiles.json (default: next to --nab)"),
                                    new Option(
                                            "rescore",
                                            "DIR",
                                            "re-score an earlier run's scores.jsonl offline instead of"
                                                    + " replaying"),
                                    new Option(
                                            "robustness",
                                            null,
                                            "also score the run's residuals with each scorer parameter"
                                                    + " halved and doubled"),
                                    new Option(
                                            "output",
                                            "DIR",
                                            "keep the job's output and evaluation.json here"),
                                    REPORT)),
                    new Spec(
                            "generate",
                            """
                    The sensor simulator alone: simulator.rate events/s of simulator.series series to the configured
                    events topic for simulator.duration (or until Ctrl-C).""",
                            List.of()),
                    new Spec(
                            "topics",
                            """
                    Creates the configured topics that are missing on the configured Kafka (events and outputs with
                    max(2, job.parallelism) partitions, outputs stamped on arrival, models compacted) and checks the
                    settings of those that exist.""",
                            List.of()),
                    new Spec(
                            "bench",
                            """
                    The whole job on this machine (in-process Kafka, simulator, MiniCluster): events/s, forecasts/s,
                    latency percentiles, CPU and memory; or one part alone (--inference, --training, --scorer).
                    Runs from the launcher (./bin/streamcast bench).""",
                            List.of(
                                    new Option(
                                            "warmup",
                                            "SECONDS",
                                            "seconds before measuring (default 15)"),
                                    new Option("warmup-rate", "N", "events/s during the warm-up"),
                                    new Option("json", "FILE", "also write the result as JSON"),
                                    new Option(
                                            "inference",
                                            null,
                                            "time the forecaster's network steps alone"),
                                    new Option("training", null, "time one retraining round"),
                                    new Option(
                                            "scorer",
                                            null,
                                            "time the anomaly scorer per reading beside the previous"
                                                    + " one"))),
                    new Spec(
                            "report",
                            """
                    One self-contained HTML page (report.html) from the output folder of backfill --output or
                    evaluate --output: an overview table and, per series, actuals, forecasts with their band, anomaly
                    scores, alerts and model versions.""",
                            List.of(
                                    new Option(
                                            "input",
                                            "DIR",
                                            "the --output folder of backfill or evaluate"),
                                    new Option(
                                            "output",
                                            "DIR",
                                            "where report.html goes (default: --input)"),
                                    new Option("max-points", "N", "points per chart at most"))),
                    new Spec(
                            "dashboard",
                            """
                    The live page over the configured Kafka's output topics (read_committed), on
                    http://127.0.0.1:PORT/; the demo starts one unless --no-dashboard.""",
                            List.of(
                                    new Option("port", "N", "port (0: any free port)"),
                                    new Option("bind", "ADDRESS", "address to listen on"),
                                    new Option("points", "N", "points kept per series"),
                                    new Option("max-series", "N", "series shown at most"))),
                    new Spec(
                            "notify",
                            """
                    Forwards the configured alerts topic (read_committed) to Prometheus Alertmanager
                    (notify.alertmanager-url) and/or a Slack-compatible webhook (notify.webhook-url), retrying until
                    delivered; a restart goes on after the last alert delivered (notify.group-id).""",
                            List.of()));

    private Main() {}

    private static Map<String, Spec> specs(Spec... specs) {
        Map<String, Spec> all = new LinkedHashMap<>();
        for (Spec s : specs) {
            all.put(s.name(), s);
        }
        return all;
    }

    /**
     * Exits the JVM only on failure: a successful command returns normally, because under {@code
     * flink run} (and in application mode) {@code main} runs inside Flink's client or JobManager,
     * where exiting would take that process down with it.
     */
    public static void main(String[] args) throws Exception {
        main(args, null);
    }

    /**
     * The command line with {@code bench} served by {@code bench}: the entry point of the
     * streamcast-bench module, which depends on this one (this module cannot see it). Without it,
     * {@code bench} says how to run it.
     */
    public static void main(String[] args, Command bench) throws Exception {
        int code = run(args, System.out, System.err, bench);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /**
     * Runs one command line; returns the exit code. Never throws: every failure is reported on
     * {@code err}.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, null);
    }

    private static int run(String[] args, PrintStream out, PrintStream err, Command bench) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Spec spec = COMMANDS.get(command);
        if (spec == null) {
            return usageError(
                    err,
                    "unknown command '"
                            + command
                            + "'; the commands are "
                            + String.join(", ", COMMANDS.keySet()));
        }
        Path configFile = null;
        List<String> overrides = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        boolean verbose = false;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.print(help(spec));
                return 0;
            }
            if (a.equals("--verbose")) {
                verbose = true;
                continue;
            }
            Option option = spec.option(a);
            if (!a.equals("--config") && !a.equals("--set") && option == null) {
                return usageError(
                        err,
                        "unknown option '"
                                + a
                                + "' for "
                                + command
                                + "; see streamcast "
                                + command
                                + " --help");
            }
            if (option != null && option.value() == null) {
                values.put(option.name(), "true");
                continue;
            }
            if (i + 1 >= args.length) {
                return usageError(err, a + " needs a value; see streamcast " + command + " --help");
            }
            String v = args[++i];
            switch (a) {
                case "--config" -> configFile = Path.of(v);
                case "--set" -> overrides.add(v);
                default -> values.put(option.name(), v);
            }
        }
        if (configFile != null && !Files.isRegularFile(configFile)) {
            return usageError(
                    err,
                    "configuration file "
                            + configFile.toAbsolutePath()
                            + " does not exist"
                            + " (relative paths are from the current directory)");
        }
        Options options = new Options(command, configFile, overrides, values);
        String logFile = System.getProperty("streamcast.log.file");
        if (logFile != null && !command.equals("train") && !command.equals("report")) {
            err.println("streamcast: Flink and Kafka log to " + logFile);
        }
        TempFiles temp = new TempFiles();
        Thread cleanup = new Thread(temp::close, "streamcast-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return dispatch(options, out, temp, bench);
        } catch (Throwable t) {
            return report(command, t, verbose, logFile, err);
        } finally {
            temp.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running.
            }
        }
    }

    private static int dispatch(Options options, PrintStream out, TempFiles temp, Command bench)
            throws Exception {
        return switch (options.command()) {
            case "demo" -> DemoCommand.run(options, out, temp);
            case "run" ->
                    RunCommand.run(
                            ConfigLoader.load(options.configFile(), options.overrides()),
                            options,
                            out);
            case "evaluate" -> EvaluateCommand.run(options, out, temp);
            case "train" -> TrainCommand.run(options, out);
            case "generate" ->
                    GenerateCommand.run(
                            ConfigLoader.load(options.configFile(), options.overrides()), out);
            case "topics" ->
                    TopicsCommand.run(
                            ConfigLoader.load(options.configFile(), options.overrides()), out);
            case "bench" -> {
                if (bench == null) {
                    throw new UserError(
                            "bench is not part of this build; run it with ./bin/streamcast bench");
                }
                yield bench.run(options, out);
            }
            case "report" -> ReportCommand.run(options, out);
            case "dashboard" ->
                    DashboardCommand.run(
                            ConfigLoader.load(options.configFile(), options.overrides()),
                            options,
                            out);
            case "notify" ->
                    NotifyCommand.run(
                            ConfigLoader.load(options.configFile(), options.overrides()), out);
            default -> BackfillCommand.run(options, out);
        };
    }

    /**
     * Reports a failure as one line: a {@link UserError} or configuration error (also when it
     * arrives wrapped in a Flink job's failure) exits 2; an {@link IllegalArgumentException} from
     * the command itself (an option or file it checked) exits 2; anything else exits 1 with its
     * innermost cause's message.
     */
    static int report(
            String command, Throwable t, boolean verbose, String logFile, PrintStream err) {
        if (verbose) {
            t.printStackTrace(err);
        }
        Throwable user = userError(t);
        if (user != null || t instanceof IllegalArgumentException) {
            err.println("streamcast: " + firstLine(message(user != null ? user : t)));
            return 2;
        }
        Throwable failure = find(t, Failure.class);
        if (failure != null) {
            err.println("streamcast: " + firstLine(failure.getMessage()));
            return 1;
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String name =
                root instanceof SerializedThrowable s
                        ? s.getOriginalErrorClassName()
                        : root.getClass().getName();
        String line =
                command
                        + " failed: "
                        + name.substring(name.lastIndexOf('.') + 1)
                        + ": "
                        + firstLine(message(root));
        err.println(
                "streamcast: "
                        + firstLine(line)
                        + (verbose
                                ? ""
                                : " (--verbose shows the stack trace"
                                        + (logFile != null
                                                ? "; Flink and Kafka log to " + logFile
                                                : "")
                                        + ")"));
        return 1;
    }

    /**
     * The user's mistake in {@code t}'s cause chain, also when Flink shipped it as a {@link
     * SerializedThrowable}.
     */
    private static Throwable userError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UserError || c instanceof ConfigException) {
                return c;
            }
            if (c instanceof SerializedThrowable s
                    && (s.getOriginalErrorClassName().equals(UserError.class.getName())
                            || s.getOriginalErrorClassName()
                                    .equals(ConfigException.class.getName()))) {
                return c;
            }
        }
        return null;
    }

    private static Throwable find(Throwable t, Class<?> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The exception's own message; a {@link SerializedThrowable}'s without the "ClassName: " it
     * prefixes.
     */
    private static String message(Throwable t) {
        String m = t.getMessage();
        if (t instanceof SerializedThrowable s
                && m != null
                && m.startsWith(s.getOriginalErrorClassName() + ": ")) {
            return m.substring(s.getOriginalErrorClassName().length() + 2);
        }
        return m;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        return message.lines().findFirst().orElse("").strip();
    }

    static String help(Spec spec) {
        StringBuilder b =
                new StringBuilder("usage: streamcast " + spec.name() + " [options]\n\n")
                        .append(spec.summary().strip())
                        .append("\n\noptions:\n");
        List<Option> all = new ArrayList<>(spec.options());
        all.add(new Option("config", "FILE", "YAML configuration file (keys: README.md)"));
        all.add(new Option("set", "key=value", "override one configuration key; repeatable"));
        all.add(new Option("verbose", null, "print the stack trace of a failure"));
        all.add(new Option("help", null, "this help"));
        for (Option o : all) {
            String left = "--" + o.name() + (o.value() == null ? "" : " " + o.value());
            b.append(String.format("  %-22s %s%n", left, o.help()));
        }
        return b.toString();
    }

    private static int usageError(PrintStream err, String message) {
        err.println("streamcast: " + message);
        return 2;
    }
}

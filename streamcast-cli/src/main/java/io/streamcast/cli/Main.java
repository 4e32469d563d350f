package io.streamcast.cli;

import io.streamcast.config.ConfigException;
import io.streamcast.io.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.util.SerializedThrowable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one entry point: {@code streamcast <command> [--config FILE] [--set key=value]... [options]}.
 * It lists the subcommands, has picocli parse the command line into the chosen one, and is the one
 * place where what went wrong becomes what the user reads: one line naming the file, line, option
 * or key and what to do, exit code 2 for usage and input errors, 1 for runtime failures, the stack
 * trace only with {@code --verbose}. It computes nothing itself.
 */
@Command(
        name = "streamcast",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Real-time forecasting and anomaly alerting on sensor streams.",
        footer = {
            "",
            "configuration: one YAML file (--config) plus --set overrides; see README.md for every"
                    + " key.",
            "`streamcast help COMMAND` or `streamcast COMMAND --help` shows a command's options."
        },
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            BackfillCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            GenerateCommand.class,
            ProduceCommand.class,
            TailCommand.class,
            TopicsCommand.class,
            ReportCommand.class,
            DashboardCommand.class,
            NotifyCommand.class
        })
public final class Main {
    private Main() {}

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
    public static void main(String[] args, Subcommand bench) throws Exception {
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

    private static int run(String[] args, PrintStream out, PrintStream err, Subcommand bench) {
        TempFiles temp = new TempFiles();
        CommandLine line = commandLine(bench != null ? bench : new NoBench(), out, temp);
        line.setErr(new PrintWriter(err, true));
        line.setParameterExceptionHandler(
                (e, given) -> {
                    err.println("streamcast: " + usageMessage(e, given));
                    return 2;
                });
        String logFile = System.getProperty("streamcast.log.file");
        line.setExecutionExceptionHandler(
                (e, failed, parsed) ->
                        report(
                                failed.getCommandName(),
                                e,
                                failed.getCommand() instanceof Subcommand s && s.common.verbose,
                                logFile,
                                err));
        line.setExecutionStrategy(
                parsed -> {
                    if (CommandLine.printHelpIfRequested(parsed)) {
                        return 0;
                    }
                    ParseResult leaf = leaf(parsed);
                    if (leaf == parsed) {
                        line.usage(line.getOut());
                        return 2;
                    }
                    String command = leaf.commandSpec().name();
                    if (logFile != null
                            && leaf.commandSpec().userObject() instanceof Subcommand
                            && !command.equals("train")
                            && !command.equals("report")) {
                        err.println("streamcast: Flink and Kafka log to " + logFile);
                    }
                    return new RunLast().execute(parsed);
                });
        Thread cleanup = new Thread(temp::close, "streamcast-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return line.execute(args);
        } finally {
            temp.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running.
            }
        }
    }

    /**
     * The command line of every command plus {@code bench}, printing to {@code out}, each
     * subcommand using {@code temp}; its help shows defaults and reads {@code usage: streamcast
     * COMMAND [options]}.
     */
    static CommandLine commandLine(Subcommand bench, PrintStream out, TempFiles temp) {
        CommandLine line = new CommandLine(new Main());
        line.addSubcommand("bench", bench);
        line.addSubcommand(new CommandLine.HelpCommand());
        line.setSeparator(" ");
        line.setOut(new PrintWriter(out, true));
        configure(line, out, temp);
        return line;
    }

    /**
     * Parses {@code args} into {@code command} alone, as {@link #run(String[], PrintStream,
     * PrintStream)} would; for tests that run a command in their own JVM's cluster.
     */
    static <T extends Subcommand> T parse(T command, PrintStream out, String... args) {
        CommandLine line = new CommandLine(command);
        line.setSeparator(" ");
        line.parseArgs(args);
        command.use(out, new TempFiles());
        return command;
    }

    private static void configure(CommandLine line, PrintStream out, TempFiles temp) {
        CommandSpec spec = line.getCommandSpec();
        spec.mixinStandardHelpOptions(true);
        line.setHelpSectionKeys(HELP_SECTIONS);
        spec.usageMessage()
                .showDefaultValues(true)
                .width(100)
                .synopsisHeading("usage: ")
                .descriptionHeading("%n")
                .optionListHeading("%noptions:%n")
                .commandListHeading("%ncommands:%n");
        line.getHelpSectionMap()
                .put(
                        UsageMessageSpec.SECTION_KEY_SYNOPSIS,
                        help ->
                                help.commandSpec().qualifiedName()
                                        + (help.commandSpec().subcommands().isEmpty()
                                                ? " [options]" + positionals(help.commandSpec())
                                                : " <command> [--config FILE] [--set key=value]..."
                                                        + " [options]")
                                        + System.lineSeparator());
        if (spec.userObject() instanceof Subcommand s) {
            s.use(out, temp);
        }
        line.getSubcommands().values().forEach(sub -> configure(sub, out, temp));
    }

    /** The synopsis of a command's positional parameters: " STREAM..." or " [FILE...]". */
    private static String positionals(CommandSpec spec) {
        StringBuilder s = new StringBuilder();
        for (var p : spec.positionalParameters()) {
            String label = p.paramLabel() + (p.arity().max() > 1 ? "..." : "");
            s.append(' ').append(p.arity().min() == 0 ? "[" + label + "]" : label);
        }
        return s.toString();
    }

    /**
     * Help starts with the usage line, then the description; the one-line summary (header) is for
     * the list of commands.
     */
    private static final List<String> HELP_SECTIONS =
            List.of(
                    UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
                    UsageMessageSpec.SECTION_KEY_SYNOPSIS,
                    UsageMessageSpec.SECTION_KEY_DESCRIPTION_HEADING,
                    UsageMessageSpec.SECTION_KEY_DESCRIPTION,
                    UsageMessageSpec.SECTION_KEY_PARAMETER_LIST_HEADING,
                    UsageMessageSpec.SECTION_KEY_PARAMETER_LIST,
                    UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
                    UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                    UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
                    UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                    UsageMessageSpec.SECTION_KEY_FOOTER_HEADING,
                    UsageMessageSpec.SECTION_KEY_FOOTER);

    /** The innermost subcommand that was parsed. */
    private static ParseResult leaf(ParseResult parsed) {
        ParseResult p = parsed;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p;
    }

    /** A picocli parse failure as one line naming the command, option or value. */
    static String usageMessage(ParameterException e, String[] given) {
        CommandLine at = e.getCommandLine();
        boolean top = at.getParent() == null;
        String see = "see " + at.getCommandSpec().qualifiedName() + " --help";
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (top && !arg.startsWith("-")) {
                return "unknown command '"
                        + arg
                        + "'; the commands are "
                        + at.getSubcommands().keySet().stream()
                                .filter(c -> !c.equals("help"))
                                .collect(Collectors.joining(", "));
            }
            return "unknown option '" + arg + "' for " + at.getCommandName() + "; " + see;
        }
        ArgSpec arg = e.getArgSpec();
        if (arg instanceof OptionSpec option && e.getCause() instanceof TypeConversionException t) {
            // picocli's own converters start with the value ("'x' is not a long"): said once.
            String why = t.getMessage();
            String quoted = "'" + e.getValue() + "' ";
            return option.longestName()
                    + " "
                    + quoted
                    + (why.startsWith(quoted) ? why.substring(quoted.length()) : why);
        }
        if (e instanceof MissingParameterException m) {
            List<ArgSpec> missing =
                    m.getMissing().isEmpty() && arg != null ? List.of(arg) : m.getMissing();
            if (!missing.isEmpty()) {
                String name =
                        missing.get(0) instanceof OptionSpec o
                                ? o.longestName()
                                : missing.get(0).paramLabel();
                return name
                        + (Arrays.asList(given).contains(name)
                                ? " needs a value; "
                                : " is missing; ")
                        + see;
            }
        }
        return e.getMessage().lines().findFirst().orElse("") + "; " + see;
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

    /** {@code --version}: the build's version, written into a resource by Maven. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"streamcast " + p.getProperty("version", "(unknown version)")};
        }
    }

    /** {@code bench} where the streamcast-bench module is not on the class path. */
    @Command(
            name = "bench",
            header = "the whole job on this machine: throughput, latency, CPU and memory",
            description =
                    "Not part of this build (the cluster jar); run it with ./bin/streamcast bench.")
    static final class NoBench extends Subcommand {
        @Override
        protected int run() {
            throw new UserError(
                    "bench is not part of this build; run it with ./bin/streamcast bench");
        }
    }
}

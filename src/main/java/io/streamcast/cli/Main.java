package io.streamcast.cli;

import io.streamcast.config.ConfigException;
import io.streamcast.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one entry point: {@code streamcast <command> [--config FILE] [--set key=value]... [options]}. It parses the
 * command line and configuration, then hands over to a command; it computes nothing itself.
 */
public final class Main {
    static final String USAGE = """
            usage: streamcast <command> [--config FILE] [--set key=value]... [options]

            commands:
              demo      in-process Kafka + local Flink + simulated sensors: forecasts as they happen, summary;
                        --model FILE starts from a saved model
              run       the streaming job against the configured Kafka (locally, or submitted with `flink run`);
                        locally it resumes from the newest checkpoint in job.state-dir, --fresh starts over
              backfill  the same job over history: --input FILE|DIR (CSV / JSON Lines) or --from TS --to TS
                        (the events topic between two times); --output DIR writes JSON Lines files, otherwise
                        the configured topics; --model FILE starts from a saved model
              bench     the whole job on this machine (in-process Kafka, simulator, MiniCluster): events/s,
                        forecasts/s, latency percentiles, CPU and memory; [--warmup SECONDS] [--warmup-rate N]
                        [--json FILE];
                        --inference times the forecaster's network steps alone (µs per series, GFLOP/s);
                        --training times one retraining round (ms, and the share of a core at simulator.rate)
              topics    creates the configured topics that are missing on the configured Kafka (events and outputs
                        with max(2, job.parallelism) partitions, models compacted) and checks those that exist
              generate  the sensor simulator alone: simulator.rate events/s of simulator.series series to the
                        configured events topic for simulator.duration (or until Ctrl-C)
              train     offline pre-training on history: --input FILE|DIR (CSV / JSON Lines) --output FILE
                        [--epochs N] [--train-rows N] (the first N rows of each series); writes a model file
                        that run, demo, backfill and evaluate start from with --model FILE
              report    one self-contained HTML page of a run: --input DIR (the --output folder of backfill or
                        evaluate) [--output DIR] [--max-points N]; backfill and evaluate write it with --report
              dashboard the live page over the configured Kafka's output topics (read_committed) on
                        http://127.0.0.1:PORT/ [--port N (0: any free port)] [--bind ADDRESS] [--points N]
                        [--max-series N]; the demo starts one unless --no-dashboard
              evaluate  forecast accuracy: --input FILE --train-rows N [--season S] (prequential MSE, MAE, MASE
                        against repeat-last and seasonal naive, interval coverage); or NAB scoring of the
                        anomaly scores: --nab DIR --labels FILE [--profiles FILE] [--rescore DIR] (re-score an
                        earlier run's scores.jsonl offline); both take [--output DIR]

            configuration: one YAML file (--config) plus --set overrides; see README.md for every key.
            """;

    /** The bench entry point (src/bench), which nothing in src/main imports. */
    private static final String BENCH = "io.streamcast.bench.BenchCommand";

    /** Options that take no value. */
    private static final Set<String> FLAGS = Set.of("--inference", "--training", "--fresh", "--report", "--no-dashboard");

    /** Options each command accepts besides --config and --set. */
    private static final Map<String, Set<String>> COMMAND_OPTIONS = Map.of(
            "demo", Set.of("--model", "--no-dashboard", "--dashboard-port"),
            "run", Set.of("--model", "--fresh"),
            "backfill", Set.of("--input", "--output", "--from", "--to", "--model", "--report"),
            "evaluate", Set.of("--nab", "--labels", "--profiles", "--output", "--rescore", "--input", "--train-rows",
                    "--season", "--model", "--report"),
            "report", Set.of("--input", "--output", "--max-points"),
            "dashboard", Set.of("--bind", "--port", "--points", "--max-series"),
            "train", Set.of("--input", "--output", "--epochs", "--train-rows"),
            "generate", Set.of(),
            "topics", Set.of(),
            "bench", Set.of("--warmup", "--warmup-rate", "--json", "--inference", "--training"));

    private Main() {}

    /**
     * Exits the JVM only on failure: a successful command returns normally, because under {@code flink run} (and
     * in application mode) {@code main} runs inside Flink's client or JobManager, where exiting would take that
     * process down with it.
     */
    public static void main(String[] args) throws Exception {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Set<String> allowed = COMMAND_OPTIONS.get(command);
        if (allowed == null) {
            return usageError("unknown command '" + command + "'");
        }
        Path configFile = null;
        List<String> overrides = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.equals("--config") && !a.equals("--set") && !allowed.contains(a)) {
                return usageError("unknown argument '" + a + "' for " + command);
            }
            if (FLAGS.contains(a)) {
                values.put(a.substring(2), "true");
                continue;
            }
            if (i + 1 >= args.length) {
                return usageError(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--config" -> configFile = Path.of(v);
                case "--set" -> overrides.add(v);
                default -> values.put(a.substring(2), v);
            }
        }
        if (configFile != null && !Files.isRegularFile(configFile)) {
            return usageError("configuration file " + configFile + " does not exist");
        }
        Options options = new Options(command, configFile, overrides, values);
        try {
            return switch (command) {
                case "demo" -> DemoCommand.run(DemoCommand.config(configFile, overrides), options.path("model"),
                        DemoCommand.dashboardPort(options), System.out);
                case "run" -> RunCommand.run(ConfigLoader.load(configFile, overrides), options);
                case "evaluate" -> EvaluateCommand.run(options, System.out);
                case "train" -> TrainCommand.run(options, System.out);
                case "generate" -> GenerateCommand.run(ConfigLoader.load(configFile, overrides), System.out);
                case "topics" -> TopicsCommand.run(ConfigLoader.load(configFile, overrides), System.out);
                case "report" -> ReportCommand.run(options, System.out);
                case "dashboard" -> DashboardCommand.run(ConfigLoader.load(configFile, overrides), options, System.out);
                case "bench" -> bench().run(options, System.out);
                default -> BackfillCommand.run(options, System.out);
            };
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("streamcast: " + e.getMessage());
            return 2;
        }
    }

    /**
     * The bench harness, looked up by name: it is compiled from src/bench (a source set the cluster jar does not
     * ship) and only the local launcher puts it on the class path.
     */
    private static Command bench() throws ReflectiveOperationException {
        try {
            return Class.forName(BENCH).asSubclass(Command.class).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("bench is not part of this build; run it with ./bin/streamcast bench");
        }
    }

    private static int usageError(String message) {
        System.err.println("streamcast: " + message);
        System.err.print(USAGE);
        return 2;
    }
}

package io.streamcast.cli;

import io.streamcast.config.ConfigException;
import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one entry point: {@code streamcast <command> [--config FILE] [--set key=value]...}. It parses arguments and
 * configuration, then hands over to a command; it computes nothing itself.
 */
public final class Main {
    static final String USAGE = """
            usage: streamcast <command> [--config FILE] [--set key=value]...

            commands:
              demo   in-process Kafka + local Flink + simulated sensors: forecasts as they happen, accuracy summary
              run    the streaming job against the configured Kafka (locally, or submitted with `flink run`)

            configuration: one YAML file (--config) plus --set overrides; see README.md for every key.
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Path configFile = null;
        List<String> overrides = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--config") || a.equals("--set")) && i + 1 >= args.length) {
                return usageError(a + " needs a value");
            }
            switch (a) {
                case "--config" -> {
                    configFile = Path.of(args[++i]);
                    if (!Files.isRegularFile(configFile)) {
                        return usageError("configuration file " + configFile + " does not exist");
                    }
                }
                case "--set" -> overrides.add(args[++i]);
                default -> {
                    return usageError("unknown argument '" + a + "'");
                }
            }
        }
        try {
            return switch (command) {
                case "demo" -> DemoCommand.run(DemoCommand.config(configFile, overrides), System.out);
                case "run" -> RunCommand.run(load(configFile, overrides));
                default -> usageError("unknown command '" + command + "'");
            };
        } catch (ConfigException e) {
            System.err.println("streamcast: " + e.getMessage());
            return 2;
        }
    }

    private static StreamcastConfig load(Path file, List<String> overrides) {
        return ConfigLoader.load(file, overrides);
    }

    private static int usageError(String message) {
        System.err.println("streamcast: " + message);
        System.err.print(USAGE);
        return 2;
    }
}

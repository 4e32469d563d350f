package io.streamcast.cli;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * The options every subcommand takes: the configuration ({@code --config FILE} plus repeatable
 * {@code --set key=value} overrides, see README.md for the keys) and {@code --verbose}.
 */
public final class CommonOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML configuration file (keys: README.md)")
    Path configFile;

    @Option(
            names = "--set",
            paramLabel = "key=value",
            showDefaultValue = Visibility.NEVER,
            description = "override one configuration key; repeatable")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--verbose", description = "print the stack trace of a failure")
    boolean verbose;

    /** The configuration file, or null for the defaults alone. */
    public Path configFile() {
        return configFile;
    }

    /** The {@code --set} overrides in the order given (later ones win). */
    public List<String> overrides() {
        return overrides;
    }

    /** The configuration file with the overrides, parsed and validated. */
    public StreamcastConfig config() {
        return ConfigLoader.load(configFile, overrides);
    }

    /** Fails naming the absolute path when {@code --config} names no file. */
    void checkConfigFile() {
        if (configFile != null && !Files.isRegularFile(configFile)) {
            throw new UserError(
                    "configuration file "
                            + configFile.toAbsolutePath()
                            + " does not exist"
                            + " (relative paths are from the current directory)");
        }
    }
}

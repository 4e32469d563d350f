package io.streamcast.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line: the command, the configuration file and {@code --set} overrides, and the command's own
 * {@code --name value} options (and bare {@code --flag}s, stored with the value "true").
 */
public record Options(String command, Path configFile, List<String> overrides, Map<String, String> values) {
    public String get(String name) {
        return values.get(name);
    }

    public Path path(String name) {
        String v = values.get(name);
        return v == null ? null : Path.of(v);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }
}

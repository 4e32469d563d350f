package io.streamcast.cli;

import io.streamcast.io.UserError;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line: the command, the configuration file and {@code --set} overrides, and the
 * command's own {@code --name value} options (and bare {@code --flag}s, stored with the value
 * "true"). The typed getters are where a command turns its options into values: a value that does
 * not parse fails with a {@link UserError} naming the option. Relative paths stay relative to the
 * caller's working directory.
 */
public record Options(
        String command, Path configFile, List<String> overrides, Map<String, String> values) {
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

    /**
     * The option as a whole number of at least {@code min}, or {@code fallback} when it is not
     * given.
     */
    public int integer(String name, int fallback, int min) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new UserError("--" + name + " '" + v + "' is not a whole number of at least " + min);
    }

    /**
     * The option as an ISO-8601 instant ({@code 2026-01-01T00:00:00Z}); fails naming it when absent
     * or invalid.
     */
    public Instant instant(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UserError(
                    "--" + name + " is missing (an ISO-8601 instant such as 2026-01-01T00:00:00Z)");
        }
        try {
            Instant t = Instant.parse(v.trim());
            t.toEpochMilli(); // Kafka's offsets-by-time take epoch milliseconds
            return t;
        } catch (RuntimeException e) {
            throw new UserError(
                    "--"
                            + name
                            + " '"
                            + v
                            + "' is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
        }
    }
}

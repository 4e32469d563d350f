package io.streamcast.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of a flat map of dotted keys, remembering which keys were read so that
 * unknown (misspelt) keys can be reported. Every failure names the key, the value and what is allowed.
 */
final class ConfigReader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> values;
    private final Set<String> used = new TreeSet<>();

    ConfigReader(Map<String, String> values) {
        this.values = values;
    }

    String string(String key, String fallback) {
        used.add(key);
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v.isBlank()) {
            throw new ConfigException(key, v, "must not be empty");
        }
        return v.trim();
    }

    int integer(String key, int fallback, int min, int max) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, v, "an integer in [" + min + ", " + max + "] is allowed");
        }
        if (n < min || n > max) {
            throw new ConfigException(key, v, "an integer in [" + min + ", " + max + "] is allowed");
        }
        return n;
    }

    double number(String key, double fallback, double min, double max) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, v, "a number in [" + min + ", " + max + "] is allowed");
        }
        if (!(d >= min && d <= max)) {
            throw new ConfigException(key, v, "a number in [" + min + ", " + max + "] is allowed");
        }
        return d;
    }

    boolean bool(String key, boolean fallback) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, v, "true or false is allowed");
        };
    }

    String choice(String key, String fallback, String... allowed) {
        String v = string(key, fallback);
        if (!Arrays.asList(allowed).contains(v)) {
            throw new ConfigException(key, v, "one of " + String.join(", ", allowed) + " is allowed");
        }
        return v;
    }

    /** Durations are written as a number and a unit: 250ms, 10s, 5m, 2h, 30d. */
    Duration duration(String key, Duration fallback, Duration min, Duration max) {
        String v = string(key, null);
        if (v == null) {
            return fallback;
        }
        String allowed = "a duration like 250ms, 10s, 5m, 2h or 30d between " + min + " and " + max + " is allowed";
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new ConfigException(key, v, allowed);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(key, v, allowed);
        }
        return d;
    }

    /** A comma-separated list, or a YAML sequence (flattened to key.0, key.1, ...). */
    List<String> list(String key) {
        List<String> out = new ArrayList<>();
        String inline = string(key, null);
        if (inline != null) {
            for (String part : inline.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        for (int i = 0; ; i++) {
            String item = string(key + "." + i, null);
            if (item == null) {
                break;
            }
            out.add(item);
        }
        return out;
    }

    /** Every key under {@code prefix.}, with the prefix removed; used for pass-through client properties. */
    Map<String, String> subtree(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith(prefix + ".")) {
                used.add(e.getKey());
                out.put(e.getKey().substring(prefix.length() + 1), e.getValue());
            }
        }
        return out;
    }

    /** Every key read so far (pass-through subtrees excluded). */
    Set<String> keysRead() {
        return new TreeSet<>(used);
    }

    /** Fails on the first key nobody asked for: almost always a typo that would otherwise be silently ignored. */
    void rejectUnknownKeys() {
        for (String key : new TreeSet<>(values.keySet())) {
            if (!used.contains(key)) {
                throw new ConfigException("unknown configuration key '" + key + "' (value '" + values.get(key)
                        + "'); see the configuration reference in README.md");
            }
        }
    }
}

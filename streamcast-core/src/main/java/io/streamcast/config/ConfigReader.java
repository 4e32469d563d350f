package io.streamcast.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads declared {@link ConfigOption}s out of a flat map of dotted keys, remembering which keys
 * were read so that unknown (misspelt) keys can be reported. Every failure names the key, the value
 * and what is allowed.
 */
final class ConfigReader {
    private final Map<String, String> values;
    private final Set<String> used = new TreeSet<>();

    ConfigReader(Map<String, String> values) {
        this.values = values;
    }

    /** The option's value, or its default when the key is not set. */
    @SuppressWarnings("unchecked")
    <T> T get(ConfigOption<T> option) {
        return switch (option.shape()) {
            case LIST -> (T) list(option.key());
            case PREFIX -> (T) subtree(option.key());
            case VALUE -> {
                String v = raw(option.key());
                yield v == null ? option.defaultValue() : option.parse(v);
            }
        };
    }

    /**
     * The option's value, or {@code fallback} when the key is not set (a default computed from
     * other keys).
     */
    <T> T getOrElse(ConfigOption<T> option, T fallback) {
        String v = raw(option.key());
        return v == null ? fallback : option.parse(v);
    }

    /** The trimmed value of {@code key}, null if it is not set; a blank value is refused. */
    private String raw(String key) {
        used.add(key);
        String v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v.isBlank()) {
            throw new ConfigException(key, v, "must not be empty");
        }
        return v.trim();
    }

    /** A comma-separated list, or a YAML sequence (flattened to key.0, key.1, ...). */
    private List<String> list(String key) {
        List<String> out = new ArrayList<>();
        String inline = raw(key);
        if (inline != null) {
            for (String part : inline.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        for (int i = 0; ; i++) {
            String item = raw(key + "." + i);
            if (item == null) {
                break;
            }
            out.add(item);
        }
        return out;
    }

    /**
     * Every key under {@code prefix.}, with the prefix removed; used for pass-through client
     * properties.
     */
    private Map<String, String> subtree(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith(prefix + ".")) {
                used.add(e.getKey());
                out.put(e.getKey().substring(prefix.length() + 1), e.getValue());
            }
        }
        return out;
    }

    /** Every key read so far (pass-through subtrees excluded unless set). */
    Set<String> keysRead() {
        return new TreeSet<>(used);
    }

    /**
     * Fails on the first key nobody asked for: almost always a typo that would otherwise be
     * silently ignored. Its value is never printed: a misspelt key may hold a password whatever its
     * name.
     */
    void rejectUnknownKeys() {
        for (String key : new TreeSet<>(values.keySet())) {
            if (!used.contains(key)) {
                String suggestion = closest(key, used);
                throw new ConfigException(
                        "unknown configuration key '"
                                + key
                                + "'"
                                + (suggestion == null
                                        ? ""
                                        : " (did you mean '" + suggestion + "'?)")
                                + "; its value is not shown (it may be a secret); see the"
                                + " configuration reference, docs/configuration.md");
            }
        }
    }

    /**
     * The known key nearest to {@code key} by edit distance, when it is near enough to be a typo
     * (at most a third of the key's length), else null.
     */
    static String closest(String key, Iterable<String> known) {
        String best = null;
        int bestDistance = Math.max(1, key.length() / 3) + 1;
        for (String candidate : known) {
            int d = editDistance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

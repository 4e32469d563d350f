package io.streamcast.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One configuration key, declared once (in {@link StreamcastOptions}): its type, default, allowed
 * values and description. The loader parses and checks a value with it, the unknown-key check and
 * the configuration reference (docs/configuration.md) are generated from it.
 *
 * <pre>{@code
 * ConfigOption<Integer> HIDDEN = ConfigOption.integer("model.hidden", 32, 1, 4096, "units per layer");
 * }</pre>
 *
 * Implementation notes: a value that does not parse or lies outside the allowed values throws
 * {@link ConfigException} naming the key, the value and {@link #allowed()}; a blank value is
 * refused before parsing (see {@code ConfigReader}). Checks between keys are not declared here:
 * they stay explicit in {@link ConfigLoader}.
 *
 * @param <T> the parsed value's type
 */
public final class ConfigOption<T> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /** How the key's values are written. */
    enum Shape {
        /** One value under the key. */
        VALUE,
        /**
         * A comma-separated value under the key, or a YAML sequence flattened to key.0, key.1, ...
         */
        LIST,
        /** Any keys below {@code key.}, passed through verbatim (client properties). */
        PREFIX
    }

    private final String key;
    private final Shape shape;
    private final T defaultValue;
    private final String defaultText;
    private final String allowed;
    private final String allowedText;
    private final String description;
    private final Function<String, T> parser;

    private ConfigOption(
            String key,
            Shape shape,
            T defaultValue,
            String defaultText,
            String allowed,
            String allowedText,
            String description,
            Function<String, T> parser) {
        if (key == null || !key.matches("[a-z0-9-]+(\\.[a-z0-9-]+)+")) {
            throw new IllegalArgumentException(
                    "a key is dotted lowercase words, was '" + key + "'");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException(key + " needs a description");
        }
        this.key = key;
        this.shape = shape;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.allowed = allowed;
        this.allowedText = allowedText;
        this.description = description;
        this.parser = parser;
    }

    /**
     * Free text (blank is refused); {@code fallback} may be null when the absence means something.
     */
    public static ConfigOption<String> string(String key, String fallback, String description) {
        return new ConfigOption<>(
                key,
                Shape.VALUE,
                fallback,
                fallback == null ? "" : code(fallback),
                "a non-empty text is allowed",
                "text",
                description,
                v -> v);
    }

    /** An integer in [min, max]. */
    public static ConfigOption<Integer> integer(
            String key, int fallback, int min, int max, String description) {
        String allowed = "an integer in [" + min + ", " + max + "] is allowed";
        return new ConfigOption<>(
                key,
                Shape.VALUE,
                fallback,
                code(Integer.toString(fallback)),
                allowed,
                "integer "
                        + range(
                                Integer.toString(min),
                                max == Integer.MAX_VALUE ? null : Integer.toString(max)),
                description,
                v -> {
                    int n = Integer.parseInt(v);
                    if (n < min || n > max) {
                        throw new IllegalArgumentException();
                    }
                    return n;
                });
    }

    /** A number in [min, max] (NaN is never allowed). */
    public static ConfigOption<Double> number(
            String key, double fallback, double min, double max, String description) {
        String allowed = "a number in [" + min + ", " + max + "] is allowed";
        return new ConfigOption<>(
                key,
                Shape.VALUE,
                fallback,
                code(plain(fallback)),
                allowed,
                "number " + range(plain(min), max == Double.MAX_VALUE ? null : plain(max)),
                description,
                v -> {
                    double d = Double.parseDouble(v);
                    if (!(d >= min && d <= max)) {
                        throw new IllegalArgumentException();
                    }
                    return d;
                });
    }

    /** {@code true} or {@code false}, in any letter case. */
    public static ConfigOption<Boolean> bool(String key, boolean fallback, String description) {
        return new ConfigOption<>(
                key,
                Shape.VALUE,
                fallback,
                code(Boolean.toString(fallback)),
                "true or false is allowed",
                "`true`, `false`",
                description,
                v ->
                        switch (v.toLowerCase()) {
                            case "true" -> true;
                            case "false" -> false;
                            default -> throw new IllegalArgumentException();
                        });
    }

    /** A duration written as a number and a unit (250ms, 10s, 5m, 2h, 30d), in [min, max]. */
    public static ConfigOption<Duration> duration(
            String key, Duration fallback, Duration min, Duration max, String description) {
        String allowed =
                "a duration like 250ms, 10s, 5m, 2h or 30d between "
                        + written(min)
                        + " and "
                        + written(max)
                        + " is allowed";
        return new ConfigOption<>(
                key,
                Shape.VALUE,
                fallback,
                code(written(fallback)),
                allowed,
                "duration " + range(written(min), written(max)),
                description,
                v -> {
                    Duration d = parseDuration(v);
                    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                        throw new IllegalArgumentException();
                    }
                    return d;
                });
    }

    /**
     * An ISO-8601 instant such as 2000-01-01T00:00:00Z, with epoch milliseconds (the job's times
     * are those).
     */
    public static ConfigOption<Instant> instant(String key, String fallback, String description) {
        return new ConfigOption<>(
                key,
                Shape.VALUE,
                Instant.parse(fallback),
                code(fallback),
                "an ISO-8601 instant like 2000-01-01T00:00:00Z is allowed",
                "ISO-8601 instant",
                description,
                v -> {
                    Instant i = Instant.parse(v);
                    // Throws for a year such as +1000000000, which Instant allows.
                    i.toEpochMilli();
                    return i;
                });
    }

    /** One of a closed set of values, each written as its lowercase {@code id}. */
    public static <E extends Enum<E>> ConfigOption<E> choice(
            String key, E fallback, Function<E, String> id, String description) {
        E[] values = fallback.getDeclaringClass().getEnumConstants();
        List<String> ids = Arrays.stream(values).map(id).toList();
        return new ConfigOption<>(
                key,
                Shape.VALUE,
                fallback,
                code(id.apply(fallback)),
                "one of " + String.join(", ", ids) + " is allowed",
                ids.stream().map(ConfigOption::code).collect(Collectors.joining(", ")),
                description,
                v -> {
                    for (E e : values) {
                        if (id.apply(e).equals(v)) {
                            return e;
                        }
                    }
                    throw new IllegalArgumentException();
                });
    }

    /**
     * A configuration enum's value in files: its constant's name, lower-case, {@code _} as {@code
     * -}.
     */
    static String idOf(Enum<?> constant) {
        return constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Names, comma-separated or as a YAML sequence; empty by default. */
    public static ConfigOption<List<String>> list(String key, String description) {
        return new ConfigOption<>(
                key,
                Shape.LIST,
                List.of(),
                "`[]`",
                "a list of names is allowed",
                "list of names",
                description,
                v -> List.of(v));
    }

    /** Every key below {@code prefix.}, with the prefix removed, passed through verbatim. */
    public static ConfigOption<Map<String, String>> prefix(String prefix, String description) {
        return new ConfigOption<>(
                prefix,
                Shape.PREFIX,
                Map.of(),
                "",
                "any key below " + prefix + " is allowed",
                "any",
                description,
                v -> Map.of());
    }

    /** The same option with {@code text} (markdown) in the reference table's default column. */
    public ConfigOption<T> withDefaultText(String text) {
        return new ConfigOption<>(
                key, shape, defaultValue, text, allowed, allowedText, description, parser);
    }

    public String key() {
        return key;
    }

    /**
     * The value when the key is not set; null for a string option whose absence means something.
     */
    public T defaultValue() {
        return defaultValue;
    }

    /** What is allowed, as the failure message says it (e.g. "an integer in [1, 8] is allowed"). */
    public String allowed() {
        return allowed;
    }

    /**
     * What is allowed, as the configuration reference (docs/configuration.md) shows it (markdown).
     */
    public String allowedText() {
        return allowedText;
    }

    /** The default as the configuration reference (docs/configuration.md) shows it (markdown). */
    public String defaultText() {
        return defaultText;
    }

    /**
     * What the key does, as the configuration reference (docs/configuration.md) shows it
     * (markdown).
     */
    public String description() {
        return description;
    }

    Shape shape() {
        return shape;
    }

    /**
     * The value {@code raw} (trimmed, not blank) stands for; fails naming the key, the value and
     * what is allowed.
     */
    T parse(String raw) {
        try {
            return parser.apply(raw);
        } catch (RuntimeException e) {
            throw new ConfigException(key, raw, allowed);
        }
    }

    @Override
    public String toString() {
        return key;
    }

    private static Duration parseDuration(String v) {
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException();
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** A duration as it is written in configuration, in the largest unit that divides it. */
    static String written(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    private static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    private static String range(String min, String max) {
        return max == null ? "≥ " + min : "in [" + min + ", " + max + "]";
    }

    private static String code(String s) {
        return "`" + s + "`";
    }
}

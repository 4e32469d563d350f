package io.streamcast.cli;

import java.time.Instant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value types of options that picocli does not check the way the commands need: whole numbers
 * with a lower bound and ISO-8601 instants. A value that does not fit fails with the end of a
 * message ({@code "is not a whole number of at least 1"}) that {@link Main} completes with the
 * option's name and the value given.
 */
final class OptionTypes {
    private OptionTypes() {}

    /** A whole number of at least 0. */
    static final class AtLeast0 implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return whole(value, 0);
        }
    }

    /** A whole number of at least 1. */
    static final class AtLeast1 implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return whole(value, 1);
        }
    }

    /**
     * An ISO-8601 instant ({@code 2026-01-01T00:00:00Z}) with epoch milliseconds (Kafka's
     * offsets-by-time take them).
     */
    static final class Iso8601 implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                Instant t = Instant.parse(value.trim());
                t.toEpochMilli();
                return t;
            } catch (RuntimeException e) {
                throw new TypeConversionException(
                        "is not an ISO-8601 instant such as 2026-01-01T00:00:00Z");
            }
        }
    }

    /**
     * A duration of at least 1 s, written as configuration durations are ({@code 500ms}, {@code
     * 10s}, {@code 5m}, {@code 1h}).
     */
    static final class Interval implements ITypeConverter<java.time.Duration> {
        private static final java.util.regex.Pattern FORM =
                java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)");

        @Override
        public java.time.Duration convert(String value) {
            java.util.regex.Matcher m = FORM.matcher(value.trim());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                java.time.Duration d =
                        switch (m.group(2)) {
                            case "ms" -> java.time.Duration.ofMillis(n);
                            case "s" -> java.time.Duration.ofSeconds(n);
                            case "m" -> java.time.Duration.ofMinutes(n);
                            default -> java.time.Duration.ofHours(n);
                        };
                if (d.compareTo(java.time.Duration.ofSeconds(1)) >= 0) {
                    return d;
                }
            }
            throw new TypeConversionException(
                    "is not a duration of at least 1s, such as 10s, 5m or 1h");
        }
    }

    private static int whole(String value, int min) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new TypeConversionException("is not a whole number of at least " + min);
    }
}

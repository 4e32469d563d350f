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

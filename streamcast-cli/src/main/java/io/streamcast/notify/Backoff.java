package io.streamcast.notify;

import java.time.Duration;

/**
 * Exponential back-off between delivery attempts: {@code initial} before the first retry, doubled
 * for each further one, never more than {@code max}.
 *
 * <pre>{@code
 * Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2));
 * b.delay(1); // 1 s before the second attempt; delay(3) = 4 s; delay(20) = 2 min
 * }</pre>
 */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial back-off must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "the longest back-off " + max + " is shorter than the first " + initial);
        }
    }

    /** The wait after failed attempt number {@code failures} (1 for the first failure). */
    public Duration delay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures start at 1, was " + failures);
        }
        // initial * 2^(failures-1), saturating at max without overflowing.
        Duration d = initial;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}

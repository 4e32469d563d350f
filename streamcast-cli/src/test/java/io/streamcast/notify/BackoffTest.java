package io.streamcast.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromTheFirstWaitUpToTheLongest() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(1), b.delay(1));
        assertEquals(Duration.ofSeconds(2), b.delay(2));
        assertEquals(Duration.ofSeconds(4), b.delay(3));
        assertEquals(Duration.ofSeconds(8), b.delay(4));
        assertEquals(Duration.ofSeconds(10), b.delay(5));
        assertEquals(Duration.ofSeconds(10), b.delay(Integer.MAX_VALUE), "no overflow");
    }

    @Test
    void refusesAnEmptyOrInvertedRange() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThrows(IllegalArgumentException.class, () -> b.delay(0));
    }
}

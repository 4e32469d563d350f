package io.streamcast.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.model.alert.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwarderTest {
    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
    private static final Backoff BACKOFF =
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(4));

    /** Fails with the scripted answers first (true: retryable), then takes every alert. */
    private static final class Scripted implements Destination {
        final String name;
        final Deque<Boolean> failures = new ArrayDeque<>();
        final List<AlertEvent> received = new ArrayList<>();
        int attempts;
        boolean takesUpdates = true;

        Scripted(String name, Boolean... failures) {
            this.name = name;
            this.failures.addAll(List.of(failures));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean accepts(AlertEvent alert) {
            return takesUpdates || alert.state() != AlertStatus.UPDATE;
        }

        @Override
        public void send(AlertEvent alert, Instant now) throws DeliveryException {
            attempts++;
            Boolean retryable = failures.poll();
            if (retryable != null) {
                throw new DeliveryException(name + " failed", retryable);
            }
            received.add(alert);
        }
    }

    private final List<Duration> waits = new ArrayList<>();
    private final List<String> log = new ArrayList<>();

    private Forwarder forwarder(Destination... destinations) {
        return new Forwarder(
                List.of(destinations),
                BACKOFF,
                CLOCK,
                d -> {
                    waits.add(d);
                    return true;
                },
                log::add);
    }

    @Test
    void retriesWithExponentialBackOffUntilDelivered() throws Exception {
        Scripted am = new Scripted("am", true, true, true, true);
        AlertEvent open = Alerts.change(AlertStatus.OPEN, Severity.WARNING, Alerts.OPENED);
        assertTrue(forwarder(am).deliver(open));
        assertEquals(List.of(open), am.received);
        assertEquals(
                List.of(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(4)),
                waits);
        assertEquals(4, log.size());
        assertTrue(log.get(0).contains("attempt 1: am failed"), log.get(0));
    }

    @Test
    void aDestinationThatTookTheAlertIsNotSentItAgainWhileAnotherRetries() throws Exception {
        Scripted am = new Scripted("am");
        Scripted hook = new Scripted("hook", true, true);
        assertTrue(
                forwarder(am, hook)
                        .deliver(Alerts.change(AlertStatus.OPEN, Severity.WARNING, Alerts.OPENED)));
        assertEquals(1, am.attempts);
        assertEquals(3, hook.attempts);
        assertEquals(1, hook.received.size());
    }

    @Test
    void aRefusalForGoodStopsWithTheReason() {
        Scripted hook = new Scripted("hook", false);
        Destination.DeliveryException e =
                assertThrows(
                        Destination.DeliveryException.class,
                        () ->
                                forwarder(hook)
                                        .deliver(
                                                Alerts.change(
                                                        AlertStatus.OPEN,
                                                        Severity.WARNING,
                                                        Alerts.OPENED)));
        assertEquals("hook failed", e.getMessage());
        assertTrue(waits.isEmpty());
    }

    @Test
    void aStopDuringTheWaitLeavesTheAlertUndelivered() throws Exception {
        Scripted am = new Scripted("am", true);
        Forwarder f = new Forwarder(List.of(am), BACKOFF, CLOCK, d -> false, log::add);
        assertFalse(f.deliver(Alerts.change(AlertStatus.OPEN, Severity.WARNING, Alerts.OPENED)));
        assertTrue(am.received.isEmpty());
    }

    @Test
    void aDestinationIsOnlySentTheChangesItAccepts() throws Exception {
        Scripted am = new Scripted("am");
        Scripted hook = new Scripted("hook");
        hook.takesUpdates = false;
        Forwarder f = forwarder(am, hook);
        assertTrue(f.deliver(Alerts.change(AlertStatus.UPDATE, Severity.CRITICAL, Alerts.OPENED)));
        assertEquals(1, am.received.size());
        assertTrue(hook.received.isEmpty());
    }

    @Test
    void httpStatusesWorthRetrying() {
        for (int s : new int[] {500, 502, 503, 408, 429}) {
            assertTrue(Destination.DeliveryException.retryableStatus(s), "" + s);
        }
        for (int s : new int[] {400, 401, 403, 404, 410, 422}) {
            assertFalse(Destination.DeliveryException.retryableStatus(s), "" + s);
        }
    }
}

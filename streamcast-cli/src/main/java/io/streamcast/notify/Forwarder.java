package io.streamcast.notify;

import io.streamcast.model.alert.AlertEvent;
import io.streamcast.notify.Destination.DeliveryException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Delivers one alert change to every destination that takes it, retrying each failed destination
 * with {@link Backoff} until it succeeds, the destination refuses it for good, or the forwarder is
 * stopped. A destination that already took the change is not sent it again while another one is
 * retried.
 *
 * <pre>{@code
 * Forwarder f = new Forwarder(List.of(alertmanager, webhook), backoff, Clock.systemUTC(), sleeper, log);
 * if (f.deliver(alert)) { commit(offset + 1); }
 * }</pre>
 */
public final class Forwarder {
    /** Waits between attempts; returns false when the wait was cut short by a stop. */
    @FunctionalInterface
    public interface Sleeper {
        boolean sleep(Duration d);
    }

    private final List<Destination> destinations;
    private final Backoff backoff;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> log;

    public Forwarder(
            List<Destination> destinations,
            Backoff backoff,
            Clock clock,
            Sleeper sleeper,
            Consumer<String> log) {
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("no destination to forward alerts to");
        }
        this.destinations = List.copyOf(destinations);
        this.backoff = backoff;
        this.clock = clock;
        this.sleeper = sleeper;
        this.log = log;
    }

    /**
     * Delivers {@code alert}; true once every destination that {@link Destination#accepts} it has
     * it, false if stopped before.
     *
     * @throws DeliveryException when a destination refused it for good (not retryable)
     */
    public boolean deliver(AlertEvent alert) throws DeliveryException {
        List<Destination> pending = new ArrayList<>();
        for (Destination d : destinations) {
            if (d.accepts(alert)) {
                pending.add(d);
            }
        }
        int failures = 0;
        while (!pending.isEmpty()) {
            List<Destination> failed = new ArrayList<>();
            String why = null;
            for (Destination d : pending) {
                try {
                    d.send(alert, clock.instant());
                } catch (DeliveryException e) {
                    if (!e.retryable()) {
                        throw e;
                    }
                    failed.add(d);
                    why = e.getMessage();
                }
            }
            if (failed.isEmpty()) {
                return true;
            }
            failures++;
            Duration wait = backoff.delay(failures);
            log.accept(
                    "alert "
                            + alert.alertId()
                            + " not delivered (attempt "
                            + failures
                            + ": "
                            + why
                            + "); retrying in "
                            + wait.toMillis()
                            + " ms");
            if (!sleeper.sleep(wait)) {
                return false;
            }
            pending = failed;
        }
        return true;
    }
}

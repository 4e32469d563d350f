package io.streamcast.notify;

import io.streamcast.model.alert.AlertEvent;
import java.time.Instant;

/** Where alerts go: Alertmanager, a webhook, or a test's in-memory list. */
public interface Destination {
    /** A short name for messages, never the URL (a webhook URL holds a token). */
    String name();

    /** Whether this destination is told about {@code alert} at all. */
    boolean accepts(AlertEvent alert);

    /**
     * Delivers {@code alert} (one attempt); {@code now} is the wall clock of the attempt.
     *
     * @throws DeliveryException when it was not delivered; its {@link
     *     DeliveryException#retryable()} says whether trying again can help
     */
    void send(AlertEvent alert, Instant now) throws DeliveryException;

    /** A delivery that failed. */
    final class DeliveryException extends Exception {
        private final boolean retryable;

        public DeliveryException(String message, boolean retryable) {
            super(message);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }

        /**
         * Whether an HTTP answer with {@code status} (not 2xx) is worth retrying: server errors,
         * 408 and 429 are; any other client error would be refused again.
         */
        public static boolean retryableStatus(int status) {
            return status >= 500 || status == 408 || status == 429;
        }
    }
}

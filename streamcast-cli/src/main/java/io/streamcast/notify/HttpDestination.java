package io.streamcast.notify;

import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * A destination reached by one JSON {@code POST}: Alertmanager ({@link #alertmanager}) or a
 * Slack-compatible webhook ({@link #webhook}). A 2xx answer is delivered; a connection failure, a
 * timeout, 408, 429 or 5xx may be retried; any other answer is refused for good.
 */
public final class HttpDestination implements Destination {
    private final String name;
    private final URI uri;
    private final Duration timeout;
    private final Predicate<AlertEvent> accepts;
    private final BiFunction<AlertEvent, Instant, byte[]> body;
    private final HttpClient client;

    private HttpDestination(
            String name,
            URI uri,
            Duration timeout,
            Predicate<AlertEvent> accepts,
            BiFunction<AlertEvent, Instant, byte[]> body) {
        this.name = name;
        this.uri = uri;
        this.timeout = timeout;
        this.accepts = accepts;
        this.body = body;
        this.client =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /**
     * Alertmanager at {@code base} (e.g. {@code http://localhost:9093}): every change, posted to
     * {@code /api/v2/alerts}.
     */
    public static HttpDestination alertmanager(URI base, Duration timeout) {
        String b = base.toString();
        URI api = URI.create((b.endsWith("/") ? b : b + "/") + "api/v2/alerts");
        return new HttpDestination(
                "Alertmanager at "
                        + base.getHost()
                        + (base.getPort() < 0 ? "" : ":" + base.getPort()),
                api,
                timeout,
                a -> true,
                Payloads::alertmanager);
    }

    /**
     * A Slack-compatible webhook at {@code url}: opened and resolved alerts (an update is a
     * reminder or a severity rise, which Alertmanager's own repeat and grouping handle better than
     * a chat).
     */
    public static HttpDestination webhook(URI url, Duration timeout) {
        return new HttpDestination(
                "webhook at " + url.getHost(),
                url,
                timeout,
                a -> a.state() != AlertStatus.UPDATE,
                (a, now) -> Payloads.webhook(a));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean accepts(AlertEvent alert) {
        return accepts.test(alert);
    }

    @Override
    public void send(AlertEvent alert, Instant now) throws DeliveryException {
        HttpRequest request =
                HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.apply(alert, now)))
                        .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DeliveryException(
                    name + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(name + ": interrupted", true);
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String answer = response.body() == null ? "" : response.body().strip();
            if (answer.length() > 200) {
                answer = answer.substring(0, 200) + "…";
            }
            throw new DeliveryException(
                    name + " answered HTTP " + status + (answer.isEmpty() ? "" : ": " + answer),
                    DeliveryException.retryableStatus(status));
        }
    }
}

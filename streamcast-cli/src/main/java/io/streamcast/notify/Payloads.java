package io.streamcast.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.model.alert.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The JSON bodies sent for an alert change: Alertmanager's v2 {@code POST /api/v2/alerts} array,
 * and a Slack-compatible {@code {"text": …}} message.
 *
 * <p>Implementation notes: in Alertmanager an alert is its label set, so the labels are only what
 * stays fixed for the alert's life ({@code alertname}, {@code alertId}, {@code series}) plus {@code
 * severity}; a repeated post of the same labels updates the one alert (deduplication). Severity
 * only rises within an episode (warning to critical), so a critical post also resolves the warning
 * label set, and a resolve resolves both. The job's times are event times, which may lie ahead of
 * the wall clock (a simulator, a skewed sensor) or far behind it (a replay); Alertmanager resolves
 * an alert whose {@code endsAt} has passed and refuses one that ends before it starts, so {@code
 * startsAt} and {@code endsAt} are clamped to {@code now}.
 */
public final class Payloads {
    /** The {@code alertname} label of every alert. */
    public static final String ALERT_NAME = "StreamcastAnomaly";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {}

    /** Alertmanager's v2 body for {@code a}, posted at wall-clock {@code now}. */
    public static byte[] alertmanager(AlertEvent a, Instant now) {
        ArrayNode alerts = JSON.createArrayNode();
        Instant openedAt = min(Instant.ofEpochMilli(a.openedAt()), now);
        if (a.state() == AlertStatus.RESOLVE) {
            Instant ended = min(Instant.ofEpochMilli(a.ts()), now);
            for (Severity s : Severity.values()) {
                alerts.add(alert(a, s, min(openedAt, ended), ended));
            }
        } else {
            for (Severity s : Severity.values()) {
                if (s.compareTo(a.severity()) < 0) {
                    // The lower severity this alert rose from, resolved now.
                    alerts.add(alert(a, s, openedAt, now));
                }
            }
            alerts.add(alert(a, a.severity(), openedAt, null));
        }
        return bytes(alerts);
    }

    private static ObjectNode alert(
            AlertEvent a, Severity severity, Instant startsAt, Instant endsAt) {
        ObjectNode n = JSON.createObjectNode();
        n.putObject("labels")
                .put("alertname", ALERT_NAME)
                .put("alertId", a.alertId())
                .put("series", a.series())
                .put("severity", id(severity));
        ObjectNode annotations = n.putObject("annotations");
        annotations.put("summary", "anomaly on " + a.series() + " (" + id(severity) + ")");
        annotations.put("description", a.reason());
        annotations.put("score", Double.toString(a.score()));
        annotations.put("actual", Double.toString(a.actual()));
        annotations.put("expected", Double.toString(a.expected()));
        if (!a.channel().isEmpty()) {
            annotations.put("channel", a.channel());
        }
        n.put("startsAt", startsAt.toString());
        if (endsAt != null) {
            n.put("endsAt", endsAt.toString());
        }
        return n;
    }

    /** The Slack-compatible message for {@code a}: {@code {"text": "..."}}. */
    public static byte[] webhook(AlertEvent a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("text", text(a));
        return bytes(n);
    }

    /** One line a person reads: what happened, to which series, since when, and why. */
    public static String text(AlertEvent a) {
        String opened = Instant.ofEpochMilli(a.openedAt()).toString();
        return switch (a.state()) {
            case OPEN ->
                    String.format(
                            Locale.ROOT,
                            "[FIRING] %s anomaly on %s at %s (score %.3f): %s (alert %s)",
                            id(a.severity()),
                            a.series(),
                            Instant.ofEpochMilli(a.ts()),
                            a.score(),
                            a.reason(),
                            a.alertId());
            case UPDATE ->
                    String.format(
                            Locale.ROOT,
                            "[FIRING] %s anomaly on %s still open since %s (score %.3f): %s (alert %s)",
                            id(a.severity()),
                            a.series(),
                            opened,
                            a.score(),
                            a.reason(),
                            a.alertId());
            case RESOLVE ->
                    String.format(
                            Locale.ROOT,
                            "[RESOLVED] %s back to normal at %s after %s, opened %s as %s: %s (alert %s)",
                            a.series(),
                            Instant.ofEpochMilli(a.ts()),
                            human(Duration.ofMillis(Math.max(0, a.durationMs()))),
                            opened,
                            id(a.severity()),
                            a.reason(),
                            a.alertId());
        };
    }

    private static String human(Duration d) {
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m " + d.toSecondsPart() + "s";
        }
        return d.toSeconds() + "s";
    }

    private static String id(Severity s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static byte[] bytes(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

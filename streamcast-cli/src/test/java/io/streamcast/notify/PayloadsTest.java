package io.streamcast.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.model.alert.Severity;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void anOpenAlertFiresWithItsIdSeriesAndSeverityAsLabels() throws Exception {
        JsonNode body =
                JSON.readTree(
                        Payloads.alertmanager(
                                Alerts.change(AlertStatus.OPEN, Severity.WARNING, Alerts.OPENED),
                                NOW));
        assertEquals(1, body.size());
        JsonNode a = body.get(0);
        assertEquals(Payloads.ALERT_NAME, a.at("/labels/alertname").asText());
        assertEquals("pump-7-" + Alerts.OPENED, a.at("/labels/alertId").asText());
        assertEquals("pump-7", a.at("/labels/series").asText());
        assertEquals("warning", a.at("/labels/severity").asText());
        assertEquals("2026-01-01T00:00:00Z", a.get("startsAt").asText());
        assertFalse(a.has("endsAt"), "firing: no end");
        assertTrue(a.at("/annotations/description").asText().contains("11.2 sigma"));
        assertEquals(4, a.get("labels").size(), "labels are what stays fixed, plus severity");
    }

    @Test
    void aRiseToCriticalResolvesTheWarningLabelSet() throws Exception {
        JsonNode body =
                JSON.readTree(
                        Payloads.alertmanager(
                                Alerts.change(
                                        AlertStatus.UPDATE,
                                        Severity.CRITICAL,
                                        Alerts.OPENED + 1000),
                                NOW));
        assertEquals(2, body.size());
        assertEquals("warning", body.get(0).at("/labels/severity").asText());
        assertEquals(NOW.toString(), body.get(0).get("endsAt").asText());
        assertEquals("critical", body.get(1).at("/labels/severity").asText());
        assertFalse(body.get(1).has("endsAt"));
    }

    @Test
    void aResolveEndsEverySeverityAtTheResolvingReadingClampedToNow() throws Exception {
        long resolvedAt = Alerts.OPENED + 600_000;
        JsonNode body =
                JSON.readTree(
                        Payloads.alertmanager(
                                Alerts.change(AlertStatus.RESOLVE, Severity.WARNING, resolvedAt),
                                NOW));
        assertEquals(2, body.size());
        for (JsonNode a : body) {
            assertEquals(Instant.ofEpochMilli(resolvedAt).toString(), a.get("endsAt").asText());
            assertEquals("2026-01-01T00:00:00Z", a.get("startsAt").asText());
        }
        // Event time ahead of the wall clock (a simulator): ends now, starts no later.
        Instant early = Instant.ofEpochMilli(Alerts.OPENED - 5000);
        body =
                JSON.readTree(
                        Payloads.alertmanager(
                                Alerts.change(AlertStatus.RESOLVE, Severity.WARNING, resolvedAt),
                                early));
        assertEquals(early.toString(), body.get(0).get("endsAt").asText());
        assertEquals(early.toString(), body.get(0).get("startsAt").asText());
    }

    @Test
    void theWebhookMessageIsSlackTextNamingStateSeriesAndReason() throws Exception {
        JsonNode open =
                JSON.readTree(
                        Payloads.webhook(
                                Alerts.change(AlertStatus.OPEN, Severity.CRITICAL, Alerts.OPENED)));
        assertEquals(1, open.size());
        String text = open.get("text").asText();
        assertTrue(text.startsWith("[FIRING] critical anomaly on pump-7"), text);
        assertTrue(text.contains("11.2 sigma"), text);
        String resolved =
                Payloads.text(
                        Alerts.change(
                                AlertStatus.RESOLVE, Severity.WARNING, Alerts.OPENED + 754_000));
        assertTrue(resolved.startsWith("[RESOLVED] pump-7 back to normal"), resolved);
        assertTrue(resolved.contains("after 12m 34s"), resolved);
    }
}

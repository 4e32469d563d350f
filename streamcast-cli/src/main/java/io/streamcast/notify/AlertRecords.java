package io.streamcast.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.model.alert.Severity;
import io.streamcast.report.OutputJson;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads a record of the alerts stream (as {@code OutputEncoder.alert} writes it) back into an
 * {@link AlertEvent}, with the tolerant field readers of {@link OutputJson}: unknown fields are
 * ignored, a missing number reads as NaN. A record without series, alert id, state, severity or
 * times is unreadable.
 */
public final class AlertRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertRecords() {}

    /**
     * The alert in {@code json}; throws {@link IllegalArgumentException} saying what is missing.
     */
    public static AlertEvent decode(byte[] json) {
        JsonNode a;
        try {
            a = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (a == null || !a.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String series = required(a, "series");
        String id = required(a, "alertId");
        AlertStatus state = constant(AlertStatus.class, required(a, "state"), "state");
        Severity severity = constant(Severity.class, required(a, "severity"), "severity");
        long ts = time(a, "ts");
        long openedAt = time(a, "openedAt");
        return new AlertEvent(
                series,
                id,
                state,
                ts,
                OutputJson.number(a, "score"),
                severity,
                OutputJson.number(a, "actual"),
                OutputJson.number(a, "expected"),
                OutputJson.number(a, "lower"),
                OutputJson.number(a, "upper"),
                openedAt,
                OutputJson.integer(a, "durationMs", ts - openedAt),
                OutputJson.text(a, "reason", ""),
                OutputJson.text(a, "channel", ""),
                OutputJson.number(a, "surprise"));
    }

    private static String required(JsonNode a, String field) {
        String v = OutputJson.text(a, field, null);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("no " + field);
        }
        return v;
    }

    private static long time(JsonNode a, String field) {
        long t = OutputJson.timestamp(a, field);
        if (t == Long.MIN_VALUE) {
            throw new IllegalArgumentException(OutputJson.badTime(a, field));
        }
        return t;
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " '" + value + "' is unknown");
        }
    }
}

package io.streamcast.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.io.OutputEncoder;
import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.model.alert.Severity;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AlertRecordsTest {
    @Test
    void readsBackWhatTheJobWrites() {
        for (AlertStatus state : AlertStatus.values()) {
            AlertEvent a = Alerts.change(state, Severity.CRITICAL, Alerts.OPENED + 60_000);
            assertEquals(a, AlertRecords.decode(OutputEncoder.alert(a).json()));
        }
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingNumbersReadAsNaN() {
        AlertEvent a =
                AlertRecords.decode(
                        ("{\"series\":\"s\",\"alertId\":\"s-1\",\"state\":\"open\",\"severity\":\"warning\","
                                        + "\"ts\":\"2026-01-01T00:01:00Z\",\"openedAt\":\"2026-01-01T00:00:00Z\","
                                        + "\"future\":[1]}")
                                .getBytes(StandardCharsets.UTF_8));
        assertEquals(AlertStatus.OPEN, a.state());
        assertEquals(60_000, a.durationMs());
        assertTrue(Double.isNaN(a.score()));
    }

    @Test
    void anUnreadableRecordSaysWhatIsWrong() {
        assertEquals(
                "no alertId",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        AlertRecords.decode(
                                                "{\"series\":\"s\"}"
                                                        .getBytes(StandardCharsets.UTF_8)))
                        .getMessage());
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> AlertRecords.decode("{".getBytes(StandardCharsets.UTF_8)))
                        .getMessage()
                        .startsWith("not JSON"));
        String badState =
                "{\"series\":\"s\",\"alertId\":\"s-1\",\"state\":\"exploded\",\"severity\":\"warning\"}";
        assertEquals(
                "state 'exploded' is unknown",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        AlertRecords.decode(
                                                badState.getBytes(StandardCharsets.UTF_8)))
                        .getMessage());
    }
}

package io.streamcast.notify;

import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.model.alert.Severity;

/** Alert changes of one episode for the notify tests. */
final class Alerts {
    static final long OPENED = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    private Alerts() {}

    static AlertEvent change(AlertStatus state, Severity severity, long ts) {
        return new AlertEvent(
                "pump-7",
                "pump-7-" + OPENED,
                state,
                ts,
                state == AlertStatus.RESOLVE ? 0.01 : 0.97,
                severity,
                42.5,
                20.0,
                18.0,
                22.0,
                OPENED,
                ts - OPENED,
                "reading 42.5 is 11.2 sigma above the forecast 20.0",
                "residual",
                4.3);
    }
}

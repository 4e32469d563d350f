package io.streamcast.model.alert;

/** The lifecycle change an {@link AlertEvent} reports. */
public enum AlertStatus {
    /** The alert opened, or re-opened within the cool-down under its earlier id. */
    OPEN,
    /** The open alert's severity rose, or a periodic reminder while it stays elevated. */
    UPDATE,
    /** The series has been normal for the configured quiet period. */
    RESOLVE
}

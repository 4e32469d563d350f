package io.streamcast.pipeline;

/**
 * When a series was last seen and when its idle check is due, both in processing time: the keyed
 * state of {@link IdleCleanup}, a plain POJO for Flink.
 */
public class SeriesActivity {
    /** Processing time of the series' last reading. */
    public long lastSeenAt;

    /** Processing time of the series' pending idle check; 0: none pending. */
    public long cleanupAt;

    /** For Flink's POJO serializer and for a new series. */
    public SeriesActivity() {}
}

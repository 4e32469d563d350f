package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamcast.pipeline.IdleCleanup.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The idle-state policy shared by the keyed operators: one pending check per series. */
class IdleCleanupTest {
    private final IdleCleanup cleanup = new IdleCleanup(Duration.ofMinutes(60));

    @Test
    void aSeriesIdleForTheTtlIsDroppedByAnyCheck() {
        assertEquals(Verdict.DROP, cleanup.check(0, cleanup.checkAt(0), cleanup.checkAt(0)));
        assertEquals(Verdict.DROP, cleanup.check(0, 0, 61 * 60_000), "a timer left by an older version drops too");
    }

    @Test
    void onlyTheSeriesOwnPendingCheckSchedulesTheNextOne() {
        long lastSeen = 30 * 60_000;
        long pending = cleanup.checkAt(0);
        assertEquals(Verdict.RESCHEDULE, cleanup.check(lastSeen, pending, pending));
        assertEquals(90 * 60_000, cleanup.checkAt(lastSeen));
        assertEquals(Verdict.KEEP, cleanup.check(lastSeen, pending, pending - 1),
                "an older timer must not add a second pending check");
    }
}

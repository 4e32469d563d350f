package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.streamcast.cli.JobMetrics.Checkpoint;
import io.streamcast.cli.JobMetrics.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReporterTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final RunReporter reporter =
            new RunReporter(
                    new PrintStream(printed, true, StandardCharsets.UTF_8),
                    Duration.ofSeconds(10),
                    false,
                    0);

    private static Snapshot at(
            long in, long out, Map<String, Long> dead, long version, Checkpoint checkpoint) {
        return new Snapshot(in, out, dead, version, 0.0123, 7, checkpoint);
    }

    private List<String> lines() {
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void statusLineEveryIntervalAndPromotionsAtOnce() {
        reporter.accept(at(100, 100, Map.of(), 0, null), 2_000);
        reporter.accept(at(200, 190, Map.of("LATE", 10L), 1, null), 4_000);
        reporter.accept(
                at(1100, 1080, Map.of("LATE", 20L), 1, new Checkpoint(3, 9_000, "file:/s/chk-3")),
                10_000);
        assertEquals(
                List.of(
                        "[run 4s] model v1 promoted (training loss 0.01230)",
                        "[run 10s] 1,100 events in (110/s), 1,080 forecasts out, 20 dead letters"
                                + " (LATE 20), model v1, lag 7, last checkpoint #3"),
                lines());
    }

    @Test
    void countsGoOnWhenTheJobRestartsFromACheckpoint() {
        reporter.accept(at(500, 500, Map.of("DUPLICATE", 2L), 2, null), 2_000);
        // Restarted: the job's counters begin again at 0.
        reporter.accept(at(40, 40, Map.of(), 2, null), 4_000);
        assertEquals(
                "540 events in, 540 forecasts out, 2 dead letters (DUPLICATE 2), serving model v2",
                reporter.totals());
        assertEquals(List.of(), lines());
    }

    @Test
    void warnsWhenMostOfAnIntervalIsDeadLettered() {
        RunReporter.Totals interval = new RunReporter.Totals();
        interval.eventsIn = 300;
        interval.deadLetters.put("LATE", 290L);
        interval.deadLetters.put("DUPLICATE", 10L);
        String warning = RunReporter.warning(interval);
        assertEquals(
                "WARNING: 300 of the last 300 readings were dead-lettered, 290 of them LATE: older"
                        + " than their series' newest reading (readings sent again, a second"
                        + " generate with the same --start, or a file newest first); `tail"
                        + " dead-letters` shows them",
                warning);
        interval.deadLetters.put("LATE", 100L);
        assertNull(RunReporter.warning(interval), "110 of 300: no warning");
        RunReporter.Totals few = new RunReporter.Totals();
        few.eventsIn = 5;
        few.deadLetters.put("LATE", 5L);
        assertNull(RunReporter.warning(few), "a handful of readings: no warning");
    }

    @Test
    void durations() {
        assertEquals("59s", RunReporter.duration(59_999));
        assertEquals("2m05s", RunReporter.duration(125_000));
        assertEquals("3h07m", RunReporter.duration((3 * 3600 + 7 * 60 + 5) * 1000L));
    }
}

package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.local.EmbeddedKafka;
import io.streamcast.local.KafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local {@code run} started as its own process (the way the launcher starts it) is killed with
 * SIGKILL twice while readings stream in, and started again each time: it resumes from its state
 * directory, so every reading gets exactly one forecast (read_committed) and no series loses its
 * window or its model version across the restarts (the first kill waits for a promoted model, so a
 * cold restart would show as a version drop).
 */
class LocalRunRecoveryITCase {
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir Path state;

    @Test
    void aKilledLocalRunResumesWarmWithNothingLostOrDoubled() throws Exception {
        LocalRunKillHarness.Plan plan =
                new LocalRunKillHarness.Plan(
                        8,
                        300,
                        100,
                        400,
                        2,
                        LocalRunKillHarness.javaCommand(),
                        state,
                        List.of(
                                "model.hidden=8",
                                "window.size=16",
                                "job.checkpoint-interval=1s",
                                "training.sample-rate=1",
                                "training.round-every=200"),
                        Duration.ofMinutes(8));
        // The runs' output is kept for a look after a failure.
        Path logs = java.nio.file.Files.createDirectories(Path.of("target", "local-run-recovery"));
        LocalRunKillHarness.Outcome o;
        EmbeddedKafka kafka = KAFKA.broker();
        o = LocalRunKillHarness.run(kafka, plan, logs);
        System.out.println("local run kill-and-count: " + o);

        assertEquals(2, o.kills(), "kills");
        assertEquals(0, o.lost(), "readings without a forecast");
        assertEquals(0, o.duplicated(), "readings with more than one forecast");
        assertEquals(3, o.startLines().size(), o.startLines().toString());
        assertTrue(o.startLines().get(0).startsWith("Starting fresh"), o.startLines().toString());
        assertTrue(
                o.startLines().get(1).startsWith("Resuming from checkpoint chk-"),
                o.startLines().toString());
        assertTrue(
                o.startLines().get(2).startsWith("Resuming from checkpoint chk-"),
                o.startLines().toString());
        assertEquals(
                0, o.windowResets(), "series whose window started filling again after a restart");
        assertEquals(
                0,
                o.versionDrops(),
                "forecasts from an older model version than the series had already seen");
        assertTrue(o.highestVersionBeforeFirstKill() >= 1, "a trained model to carry over: " + o);
    }
}

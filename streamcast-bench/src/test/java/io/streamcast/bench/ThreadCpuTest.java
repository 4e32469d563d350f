package io.streamcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.bench.ThreadCpu.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reading the trainer's and the compilers' CPU time from /proc. */
class ThreadCpuTest {
    @Test
    void userAndSystemTicksOfAStatLineInSeconds() {
        // A thread's stat line as Linux writes it; its name may hold spaces and parentheses.
        String stat =
                "4242 (C2 CompilerThre) S 1 4200 4200 0 -1 4194368 50 0 0 0 1234 56 0 0 20 0 40 0"
                        + " 100 0 0";
        assertEquals(12.90, ThreadCpu.seconds(stat), 1e-9);
        assertEquals(
                0.03,
                ThreadCpu.seconds("7 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 2 1 0 0 20 0 1 0 1 0 0"),
                1e-9);
    }

    @Test
    void threadsAreToldApartByTheirShortenedNames() {
        assertEquals(Role.TRAINER, Role.of("streamcast-trai"));
        assertEquals(Role.COMPILER, Role.of("C2 CompilerThre"));
        assertEquals(Role.COMPILER, Role.of("C1 CompilerThre"));
        assertEquals(Role.OTHER, Role.of("forecaster -> a"));
    }

    @Test
    void thisProcessIsSampledWhereProcIsReadable() {
        var sample = ThreadCpu.sample();
        assertEquals(Files.isDirectory(Path.of("/proc/self/task")), sample.isPresent());
        sample.ifPresent(s -> assertTrue(s.compilerSeconds() >= 0 && s.trainerSeconds() == 0));
    }
}

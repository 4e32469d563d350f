package io.streamcast.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two local runs never share a state directory: while one holds it (in this JVM or in another
 * process), opening it again fails with one line naming the holder's pid, and a failed attempt does
 * not loosen the hold; once the holder closes it or dies (SIGKILL leaves its lock file behind), the
 * next open takes it over.
 */
class StateDirLockTest {
    @TempDir Path dir;

    private Process child;

    @AfterEach
    void stopChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void aSecondOpenInThisProcessFailsNamingItUntilTheFirstIsClosed() throws Exception {
        String stateDir = dir.resolve("state").toString();
        LocalState first = LocalState.open(stateDir);
        StateDirInUseException e =
                assertThrows(StateDirInUseException.class, () -> LocalState.open(stateDir));
        long pid = ProcessHandle.current().pid();
        assertTrue(
                e.getMessage().contains("in use by this process (pid " + pid + ")"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains(dir.resolve("state").toRealPath().toString()),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        // The refused attempt must not have released the OS lock that other processes see.
        assertTrue(tryInChild(stateDir).contains("in use by process " + pid), "child saw it free");
        first.close();
        try (LocalState again = LocalState.open(stateDir)) {
            assertEquals(pid + "\n", Files.readString(dir.resolve("state").resolve("lock")));
        }
    }

    @Test
    void aLockHeldByAnotherProcessNamesItsPidAndADeadHoldersLockIsTakenOver() throws Exception {
        String stateDir = dir.resolve("state").toString();
        child = java(StateDirLockHolder.class.getName(), stateDir, "hold");
        BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", lines.readLine());

        StateDirInUseException e =
                assertThrows(StateDirInUseException.class, () -> LocalState.open(stateDir));
        assertTrue(
                e.getMessage().contains("is in use by process " + child.pid() + ", another run"),
                e.getMessage());

        // kill -9: the OS drops the lock; the file still names the dead process.
        child.destroyForcibly().waitFor();
        assertEquals(child.pid() + "\n", Files.readString(dir.resolve("state").resolve("lock")));
        try (LocalState taken = LocalState.open(stateDir)) {
            assertEquals(
                    ProcessHandle.current().pid() + "\n",
                    Files.readString(dir.resolve("state").resolve("lock")));
        }
    }

    /** What a child process's attempt to open {@code stateDir} printed: "locked" or the failure. */
    private String tryInChild(String stateDir) throws Exception {
        Process p = java(StateDirLockHolder.class.getName(), stateDir, "try");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static Process java(String mainClass, String... args) throws IOException {
        List<String> command =
                new java.util.ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty(
                                        "surefire.test.class.path",
                                        System.getProperty("java.class.path")),
                                mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}

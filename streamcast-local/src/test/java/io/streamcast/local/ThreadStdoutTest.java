package io.streamcast.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ThreadStdoutTest {
    @Test
    void capturesTheCallersLinesAndPassesOtherThreadsThrough() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream consoleStream = new PrintStream(console, true, StandardCharsets.UTF_8);
        System.setOut(consoleStream);
        try {
            String captured =
                    ThreadStdout.capture(
                            () -> {
                                System.out.println("Formatting metadata directory /tmp/x");
                                Thread other = new Thread(() -> System.out.println("job line"));
                                other.start();
                                other.join();
                            });
            assertEquals("Formatting metadata directory /tmp/x" + System.lineSeparator(), captured);
            assertEquals(
                    "job line" + System.lineSeparator(), console.toString(StandardCharsets.UTF_8));
            assertSame(consoleStream, System.out);
        } finally {
            System.setOut(original);
        }
    }
}

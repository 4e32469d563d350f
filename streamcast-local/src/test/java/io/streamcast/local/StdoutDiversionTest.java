package io.streamcast.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StdoutDiversionTest {
    @Test
    void matchingLinesFromAnyThreadAreDivertedAndOthersPassThrough() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream consoleStream = new PrintStream(console, true, StandardCharsets.UTF_8);
        List<String> diverted = new ArrayList<>();
        System.setOut(consoleStream);
        try {
            StdoutDiversion.run(
                    line -> line.startsWith("Formatting "),
                    diverted::add,
                    () -> {
                        Thread formatter =
                                new Thread(
                                        () -> {
                                            System.out.println("Formatting metadata directory /x");
                                            System.out.println("job line");
                                        });
                        formatter.start();
                        formatter.join();
                        System.out.print("partial");
                    });
            assertEquals(List.of("Formatting metadata directory /x"), diverted);
            assertEquals(
                    "job line" + System.lineSeparator() + "partial",
                    console.toString(StandardCharsets.UTF_8));
            assertSame(consoleStream, System.out);
        } finally {
            System.setOut(original);
        }
    }
}

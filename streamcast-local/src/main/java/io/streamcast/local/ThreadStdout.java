package io.streamcast.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what the calling thread prints to {@link System#out} while an action runs, and returns
 * it; other threads' output still reaches the console. For library code that prints to standard
 * output with no way to pass it another stream.
 */
final class ThreadStdout {
    private ThreadStdout() {}

    interface Action {
        void run() throws Exception;
    }

    static String capture(Action action) throws Exception {
        PrintStream console = System.out;
        Thread caller = Thread.currentThread();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        OutputStream routed =
                new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        target().write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        target().write(b, off, len);
                    }

                    @Override
                    public void flush() {
                        console.flush();
                    }

                    private OutputStream target() {
                        return Thread.currentThread() == caller ? captured : console;
                    }
                };
        synchronized (ThreadStdout.class) {
            System.setOut(new PrintStream(routed, true, StandardCharsets.UTF_8));
            try {
                action.run();
            } finally {
                System.setOut(console);
            }
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}

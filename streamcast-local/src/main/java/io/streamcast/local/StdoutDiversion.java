package io.streamcast.local;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * While an action runs, diverts the lines written to {@link System#out} that match a predicate (by
 * any thread) to a consumer, and passes every other line through. For library code that prints to
 * standard output from its own threads, with no way to pass it another stream.
 */
final class StdoutDiversion {
    private StdoutDiversion() {}

    interface Action {
        void run() throws Exception;
    }

    static void run(Predicate<String> divert, Consumer<String> diverted, Action action)
            throws Exception {
        PrintStream console = System.out;
        LineRouter router = new LineRouter(console, divert, diverted);
        synchronized (StdoutDiversion.class) {
            System.setOut(new PrintStream(router, true, StandardCharsets.UTF_8));
            try {
                action.run();
            } finally {
                System.setOut(console);
                router.flushPartialLine();
            }
        }
    }

    /** Collects bytes into lines and sends each whole line to the console or the consumer. */
    private static final class LineRouter extends OutputStream {
        private final PrintStream console;
        private final Predicate<String> divert;
        private final Consumer<String> diverted;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineRouter(PrintStream console, Predicate<String> divert, Consumer<String> diverted) {
            this.console = console;
            this.divert = divert;
            this.diverted = diverted;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') {
                route();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        synchronized void flushPartialLine() {
            if (line.size() > 0) {
                route();
            }
        }

        private void route() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (divert.test(text)) {
                diverted.accept(text.stripTrailing());
            } else {
                console.print(text);
                console.flush();
            }
        }
    }
}

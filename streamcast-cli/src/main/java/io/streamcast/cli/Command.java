package io.streamcast.cli;

import java.io.PrintStream;

/**
 * A command that {@link Main} is handed by its caller rather than importing it: {@code bench},
 * whose module (streamcast-bench) depends on this one and passes it to {@link Main#main(String[],
 * Command)}.
 */
public interface Command {
    /** Runs the command; returns the process exit code. */
    int run(Options options, PrintStream out) throws Exception;
}

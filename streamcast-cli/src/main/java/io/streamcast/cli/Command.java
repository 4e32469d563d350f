package io.streamcast.cli;

import java.io.PrintStream;

/**
 * A command that {@link Main} finds at run time by class name rather than by import: {@code bench},
 * whose classes live in a source set of their own that the cluster jar does not ship.
 */
public interface Command {
    /** Runs the command; returns the process exit code. */
    int run(Options options, PrintStream out) throws Exception;
}

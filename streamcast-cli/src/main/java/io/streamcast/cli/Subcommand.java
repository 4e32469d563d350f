package io.streamcast.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * One subcommand of {@link Main}: picocli fills its annotated fields (its own options and the
 * common ones of {@link CommonOptions}), {@link Main} hands it where to print and the scratch files
 * to remove afterwards, and {@link #run()} does the work and returns the exit code.
 *
 * <p>A subcommand throws what goes wrong and never prints it: {@link Main}'s one handler turns the
 * failure into the one-line message and the exit code. Public for {@code bench}, whose module
 * (streamcast-bench) depends on this one and hands its subcommand to {@link Main#main(String[],
 * Subcommand)}.
 */
public abstract class Subcommand implements Callable<Integer> {
    /** {@code --config}, {@code --set} and {@code --verbose}. */
    @Mixin protected CommonOptions common;

    /** Where the command's results go. */
    protected PrintStream out = System.out;

    /** Folders and local resources removed when the command ends, also on Ctrl-C. */
    TempFiles temp = new TempFiles();

    /** Runs the command; returns the process exit code. */
    protected abstract int run() throws Exception;

    @Override
    public final Integer call() throws Exception {
        common.checkConfigFile();
        return run();
    }

    /** Sets where the command prints and what it cleans up; returns this. */
    Subcommand use(PrintStream out, TempFiles temp) {
        this.out = out;
        this.temp = temp;
        return this;
    }
}

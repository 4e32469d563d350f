package io.streamcast.bench;

/**
 * The launcher's entry point for {@code ./bin/streamcast bench}: the command line of {@link
 * io.streamcast.cli.Main} with the bench command added.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        io.streamcast.cli.Main.main(args, new BenchCommand());
    }
}

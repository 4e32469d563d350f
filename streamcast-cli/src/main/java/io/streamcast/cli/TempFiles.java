package io.streamcast.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The temporary folders and local resources of one command (the demo's broker and checkpoints,
 * evaluate's scratch output): {@link #close()} removes them, in reverse order, and is called on
 * every way out of the command: normal return, failure, and Ctrl-C (a shutdown hook, which {@link
 * Main} installs for the command's duration).
 */
final class TempFiles implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** A new, empty folder in the system temp folder, deleted with everything in it on close. */
    synchronized Path directory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        resources.add(() -> delete(dir));
        return dir;
    }

    /**
     * Closes {@code resource} on close unless the returned handle closed it first (closing happens
     * once).
     */
    synchronized AutoCloseable closing(AutoCloseable resource) {
        AtomicBoolean closed = new AtomicBoolean();
        AutoCloseable once =
                () -> {
                    if (closed.compareAndSet(false, true)) {
                        resource.close();
                    }
                };
        resources.add(once);
        return once;
    }

    @Override
    public void close() {
        List<AutoCloseable> all;
        synchronized (this) {
            all = new ArrayList<>(resources);
            resources.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (Exception e) {
                System.err.println("streamcast: could not clean up: " + e.getMessage());
            }
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

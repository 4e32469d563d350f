package io.streamcast.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive hold of one local {@code run} on its state directory: a second run on the same
 * directory stops at start with one line naming the process that holds it. Released by {@link
 * #close()}, and by the operating system when the process ends however it ends, so the lock of a
 * dead process is simply taken over.
 *
 * <p>Implementation notes: an operating-system lock ({@link FileChannel#tryLock()}) on {@code
 * DIR/lock}, a file that also holds the holder's pid for the message. Such locks belong to the
 * process, and POSIX releases all of a process's locks on a file when the process closes any
 * descriptor of it; so a second attempt from the same JVM must not even open the file, and is
 * refused from a JVM-wide set of held directories instead.
 */
final class StateDirLock implements AutoCloseable {
    static final String FILE = "lock";

    /** Directories (real paths) locked by this JVM: the OS cannot tell its own process apart. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private StateDirLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (an existing directory) and writes this process's pid into its lock file;
     * throws a {@link StateDirInUseException} naming the process that holds it already.
     */
    static StateDirLock acquire(Path dir) throws IOException {
        Path real = dir.toRealPath();
        if (!HELD.add(real)) {
            throw inUse(real, "this process (pid " + ProcessHandle.current().pid() + ")");
        }
        try {
            Path file = real.resolve(FILE);
            FileChannel channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw inUse(real, holder);
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(
                            (ProcessHandle.current().pid() + "\n")
                                    .getBytes(StandardCharsets.US_ASCII)),
                    0);
            channel.force(false);
            return new StateDirLock(real, channel, lock);
        } catch (IOException | RuntimeException e) {
            HELD.remove(real);
            throw e;
        }
    }

    /** The locked directory (its real path). */
    Path dir() {
        return dir;
    }

    /** "process N" from the lock file, or "another process" while its holder has not written it. */
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
        String pid = text.strip();
        return pid.matches("\\d{1,19}") ? "process " + pid : "another process";
    }

    private static StateDirInUseException inUse(Path dir, String holder) {
        return new StateDirInUseException(
                "state directory "
                        + dir
                        + " is in use by "
                        + holder
                        + ", another run; stop it first, or give this run its own job.state-dir");
    }

    /** Releases the lock; the lock file stays (deleting it would race with the next run). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            HELD.remove(dir);
        }
    }
}

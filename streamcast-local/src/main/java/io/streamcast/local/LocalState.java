package io.streamcast.local;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.Checkpoints;

/**
 * The state directory of a local {@code run} ({@code job.state-dir}): Flink writes each job's
 * checkpoints under {@code checkpoints/<job id>/chk-<n>}; this finds the newest complete one to
 * resume from and deletes the others once they are no longer needed.
 *
 * <p>Implementation notes: a checkpoint is complete when its {@code _metadata} file exists and
 * reads back (Flink writes it last, so a process killed mid-checkpoint leaves a {@code chk-<n>}
 * without one, which is skipped). Checkpoints are ordered by the time their metadata was written,
 * not by number: a job resumed from checkpoint n continues at n + 1, but a fresh start counts from
 * 1 again. The directory is locked while it is open ({@link StateDirLock}): two runs never share
 * it.
 */
public final class LocalState implements AutoCloseable {
    private static final String METADATA = "_metadata";

    private final Path checkpoints;
    private final StateDirLock lock;

    private LocalState(Path checkpoints, StateDirLock lock) {
        this.checkpoints = checkpoints;
        this.lock = lock;
    }

    /**
     * The state directory {@code dir} (relative to the working directory unless absolute), created
     * if absent and locked until {@link #close()}; a {@link StateDirInUseException} naming the
     * process that holds it when another run has it open.
     */
    public static LocalState open(String dir) throws IOException {
        Path root = Path.of(dir).toAbsolutePath().normalize();
        Path checkpoints = root.resolve("checkpoints");
        Files.createDirectories(checkpoints);
        StateDirLock lock = StateDirLock.acquire(root);
        return new LocalState(checkpoints, lock);
    }

    /** Releases the state directory for the next run. */
    @Override
    public void close() throws IOException {
        lock.close();
    }

    /** Where Flink is told to write checkpoints: one folder per job id below it. */
    public Path checkpointsDir() {
        return checkpoints;
    }

    /** A complete checkpoint: its folder ({@code chk-<n>}) and when its metadata was written. */
    public record Checkpoint(Path dir, FileTime written) {
        /** The job folder the checkpoint belongs to. */
        public Path jobDir() {
            return dir.getParent();
        }
    }

    /** The newest complete checkpoint of any earlier job, if there is one. */
    public Optional<Checkpoint> latest() throws IOException {
        List<Checkpoint> all = complete();
        all.sort(Comparator.comparing(Checkpoint::written).reversed());
        for (Checkpoint c : all) {
            if (readable(c.dir().resolve(METADATA))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Whether job {@code jobId} has completed a checkpoint yet. */
    public boolean hasCompleted(String jobId) throws IOException {
        Path job = checkpoints.resolve(jobId);
        if (!Files.isDirectory(job)) {
            return false;
        }
        try (Stream<Path> list = Files.list(job)) {
            return list.anyMatch(
                    p ->
                            p.getFileName().toString().startsWith("chk-")
                                    && Files.isRegularFile(p.resolve(METADATA)));
        }
    }

    /** Deletes every job folder except {@code keep}'s; returns how many were deleted. */
    public int deleteAllBut(Path keep) throws IOException {
        int deleted = 0;
        try (Stream<Path> jobs = Files.list(checkpoints)) {
            for (Path job : jobs.toList()) {
                if (!job.equals(keep)) {
                    deleteRecursively(job);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private List<Checkpoint> complete() throws IOException {
        List<Checkpoint> found = new ArrayList<>();
        try (Stream<Path> jobs = Files.list(checkpoints)) {
            for (Path job : jobs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> chks = Files.list(job)) {
                    for (Path chk :
                            chks.filter(p -> p.getFileName().toString().startsWith("chk-"))
                                    .toList()) {
                        Path metadata = chk.resolve(METADATA);
                        if (Files.isRegularFile(metadata)) {
                            found.add(new Checkpoint(chk, Files.getLastModifiedTime(metadata)));
                        }
                    }
                }
            }
        }
        return found;
    }

    /**
     * Whether Flink can read the metadata back (a process killed while writing it leaves a
     * truncated file).
     */
    private static boolean readable(Path metadata) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(metadata))) {
            Checkpoints.loadCheckpointMetadata(
                    new DataInputStream(in),
                    LocalState.class.getClassLoader(),
                    metadata.getParent().toString());
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete old checkpoint file " + p, e);
                }
            }
        }
    }
}

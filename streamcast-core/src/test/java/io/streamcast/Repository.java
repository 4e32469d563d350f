package io.streamcast;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository (README.md, examples/, docker/, helm/, flink-conf/, bin/) for tests,
 * which Maven runs with their module's directory as the working directory.
 */
public final class Repository {
    private Repository() {}

    /**
     * The repository root: the nearest directory at or above the working one with bin/streamcast.
     */
    public static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin/streamcast"))
                    && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (bin/streamcast) at or above " + start);
    }

    /** A path relative to the repository root. */
    public static Path path(String relative) {
        return root().resolve(relative);
    }
}

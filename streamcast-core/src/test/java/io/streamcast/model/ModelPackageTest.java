package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md §4.2: the model package (cells, training, normalisation, scoring) knows nothing of
 * Flink.
 */
class ModelPackageTest {
    @Test
    void theModelPackageImportsNothingFromFlink() throws IOException {
        Path root = Path.of("src/main/java/io/streamcast/model");
        List<String> offenders;
        long files;
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> sources = all.filter(p -> p.toString().endsWith(".java")).toList();
            files = sources.size();
            offenders =
                    sources.stream()
                            .filter(
                                    p -> {
                                        try {
                                            return Files.readString(p).contains("org.apache.flink");
                                        } catch (IOException e) {
                                            throw new java.io.UncheckedIOException(e);
                                        }
                                    })
                            .map(Path::toString)
                            .toList();
        }
        assertTrue(files > 10, "found only " + files + " sources under " + root);
        assertEquals(List.of(), offenders);
    }
}

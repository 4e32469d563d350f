package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.streamcast.Repository;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.FileOutputSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill of the repository's examples/nab data (one unreadable row added, for a dead letter):
 * every record of every output stream validates against its schema in docs/schemas, and every
 * stream has records.
 */
class OutputSchemasITCase {
    @Test
    void aBackfillOfTheExamplesValidatesAgainstThePublishedSchemas(@TempDir Path work)
            throws Exception {
        Path input = work.resolve("in");
        Path examples = Repository.path("examples/nab/data");
        try (var files = Files.walk(examples)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                Path to = input.resolve(examples.relativize(f).toString());
                Files.createDirectories(to.getParent());
                List<String> lines = new ArrayList<>(Files.readAllLines(f));
                if (f.getFileName().toString().equals("speed_7578.csv")) {
                    lines.add(200, "2015-09-09 04:19:00,n/a");
                }
                Files.write(to, lines);
            }
        }
        Path out = work.resolve("out");
        BackfillITCase.backfill("--input", input.toString(), "--output", out.toString());
        for (Stream stream : Stream.values()) {
            String name = stream.displayName();
            List<String> lines = Files.readAllLines(FileOutputSink.file(out, stream));
            assertFalse(lines.isEmpty(), name + " has records");
            assertEquals(List.of(), OutputSchemas.violations(name, lines), name);
        }
    }
}

package io.streamcast.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A folder of history files: one series per file name. */
class HistoryFilesTest {

    @Test
    void twoCsvFilesOfOneNameInDifferentFoldersAreRefusedBeforeTheyMerge(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        for (String folder : List.of("a", "b")) {
            java.nio.file.Files.createDirectories(dir.resolve(folder));
            java.nio.file.Files.writeString(
                    dir.resolve(folder).resolve("x.csv"), "timestamp,value\n2026-01-01,1\n");
        }
        UserError e = assertThrows(UserError.class, () -> HistoryFiles.at(dir));
        assertTrue(e.getMessage().contains("one series 'x'"), e.getMessage());
        assertTrue(e.getMessage().contains("a/x.csv") && e.getMessage().contains("b/x.csv"));
    }
}

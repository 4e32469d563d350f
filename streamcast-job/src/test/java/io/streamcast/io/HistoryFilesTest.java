package io.streamcast.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aFileWrittenNewestFirstIsRefusedWithTheWayToSortIt(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int day = 28; day >= 1; day--) {
            csv.append(String.format("2026-01-%02d 00:00:00,%d%n", day, day));
        }
        Files.writeString(dir.resolve("desc.csv"), csv);
        UserError e = assertThrows(UserError.class, () -> check(dir));
        assertTrue(e.getMessage().contains("newest first (27 of 27 rows"), e.getMessage());
        assertTrue(e.getMessage().contains("tac"), e.getMessage());
    }

    @Test
    void aFewRowsOutOfOrderAndAscendingFilesPass(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("mostly.csv"),
                "timestamp,value\n2026-01-01 00:00:00,1\n2026-01-03 00:00:00,3\n2026-01-02 00:00:00,2\n2026-01-04 00:00:00,4\n");
        check(dir);
    }

    @Test
    void aHeaderWithoutRowsIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("empty.csv"), "timestamp,value\n");
        UserError e = assertThrows(UserError.class, () -> check(dir));
        assertTrue(e.getMessage().contains("no data rows below the header"), e.getMessage());
    }

    private static void check(Path dir) throws Exception {
        HistoryFiles.at(dir).check(HistoryRowParser.of(ConfigLoader.load(null, List.of())));
    }
}

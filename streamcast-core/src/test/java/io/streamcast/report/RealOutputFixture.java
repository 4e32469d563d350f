package io.streamcast.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Real output of the job (src/test/resources/report/nab-subset: three NAB series, 800 readings
 * each, see its README), unpacked into a folder laid out as {@code backfill --output} writes it.
 */
public final class RealOutputFixture {
    public static final List<String> SERIES =
            List.of("TravelTime_387", "art_increase_spike_density", "speed_7578");
    public static final List<String> FILES = List.of("forecasts", "scores", "alerts", "models");

    private RealOutputFixture() {}

    /**
     * Writes forecasts.jsonl, scores.jsonl, alerts.jsonl and models.jsonl into {@code directory}.
     */
    public static Path unpack(Path directory) {
        try {
            Files.createDirectories(directory);
            for (String name : FILES) {
                try (InputStream in =
                        new GZIPInputStream(
                                RealOutputFixture.class.getResourceAsStream(
                                        "/report/nab-subset/" + name + ".jsonl.gz"))) {
                    Files.write(directory.resolve(name + ".jsonl"), in.readAllBytes());
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of one unpacked file. */
    public static List<String> lines(Path directory, String name) {
        try {
            return Files.readAllLines(directory.resolve(name + ".jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

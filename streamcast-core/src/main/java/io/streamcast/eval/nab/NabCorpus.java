package io.streamcast.eval.nab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.io.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labelled NAB data files a detector is scored on: every file named in a labels file ({@code
 * windows_shared.json} / NAB's {@code combined_windows.json}), with its windows resolved to row
 * indices.
 *
 * <p>Files are kept sorted by relative path so every run walks them in the same order. A window
 * label must name the timestamp of an existing row, as NAB's sweeper only enters a window on an
 * exact timestamp match; a label that matches no row is an error here rather than a window NAB
 * would silently never score.
 */
public final class NabCorpus {

    private final Map<String, NabDataFile> files;

    public NabCorpus(Map<String, NabDataFile> files) {
        this.files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /**
     * Loads every file listed in {@code labelsJson} from {@code dataDir}.
     *
     * @param dataDir NAB's {@code data/} directory (category folders below it)
     * @param labelsJson object mapping relative file path to a list of [start, end] timestamp pairs
     */
    public static NabCorpus load(Path dataDir, Path labelsJson) throws IOException {
        JsonNode labels =
                readJson(
                        labelsJson,
                        "labels file",
                        "--labels FILE (NAB's labels/combined_windows.json)");
        if (!labels.isObject()) {
            throw new UserError(
                    "labels file "
                            + labelsJson.toAbsolutePath()
                            + " is not a JSON object of file -> windows"
                            + " (NAB's labels/combined_windows.json layout)");
        }
        Map<String, NabDataFile> files = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String relativePath = e.getKey();
            Path csvPath = dataDir.resolve(relativePath);
            if (!Files.isRegularFile(csvPath)) {
                throw new UserError(
                        "labels file "
                                + labelsJson.toAbsolutePath()
                                + " labels "
                                + relativePath
                                + " but "
                                + csvPath.toAbsolutePath()
                                + " does not exist; --nab must be NAB's data/ folder");
            }
            NabCsv csv = NabCsv.read(csvPath);
            LocalDateTime[] timestamps = csv.timestamps("timestamp");
            double[] values =
                    csv.hasColumn("value") ? csv.doubles("value") : new double[timestamps.length];
            files.put(
                    relativePath,
                    new NabDataFile(
                            relativePath,
                            timestamps,
                            values,
                            windows(relativePath, timestamps, e.getValue())));
        }
        return new NabCorpus(files);
    }

    /**
     * Reads a JSON file the user named, failing with a one-line {@link UserError} that names its
     * real path (Jackson's own messages say "REDACTED" for the source) and the option to fix.
     */
    static JsonNode readJson(Path file, String what, String option) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserError(
                    what + " " + file.toAbsolutePath() + " does not exist; pass " + option);
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            if (root == null || root.isMissingNode()) {
                throw new UserError(
                        what + " " + file.toAbsolutePath() + " is empty; pass " + option);
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new UserError(
                    what
                            + " "
                            + file.toAbsolutePath()
                            + " is not valid JSON (line "
                            + e.getLocation().getLineNr()
                            + ", column "
                            + e.getLocation().getColumnNr()
                            + "): "
                            + e.getOriginalMessage().lines().findFirst().orElse(""),
                    e);
        }
    }

    private static List<NabWindow> windows(
            String file, LocalDateTime[] timestamps, JsonNode limits) {
        List<LocalDateTime> index = Arrays.asList(timestamps);
        List<NabWindow> windows = new ArrayList<>();
        for (JsonNode pair : limits) {
            if (!pair.isArray() || pair.size() != 2) {
                throw new UserError(
                        "labels of " + file + ": a window must be [start, end], got " + pair);
            }
            // indexOf = first occurrence, which is what NAB's timestamps.index(...) returns.
            int start = index.indexOf(NabCsv.parseTimestamp(pair.get(0).asText()));
            int end = index.indexOf(NabCsv.parseTimestamp(pair.get(1).asText()));
            if (start < 0 || end < 0) {
                throw new UserError(
                        "labels of "
                                + file
                                + ": window "
                                + pair
                                + " names a timestamp that is not a row of the file");
            }
            windows.add(new NabWindow(start, end));
        }
        return windows;
    }

    /** The files by relative path, in path order. */
    public Map<String, NabDataFile> files() {
        return files;
    }

    public NabDataFile file(String relativePath) {
        NabDataFile f = files.get(relativePath);
        if (f == null) {
            throw new IllegalArgumentException(
                    "no file " + relativePath + " in the corpus; it has " + files.keySet());
        }
        return f;
    }

    /** Number of labelled windows over all files: NAB's "perfect" detector detects each once. */
    public int totalWindows() {
        return files.values().stream().mapToInt(f -> f.windows().size()).sum();
    }
}

package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.Repository;
import io.streamcast.config.ConfigLoader;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.FileOutputSink;
import io.streamcast.io.ModelFile;
import io.streamcast.local.LocalCluster;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.RecurrentNetwork;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfills of the example data the repository ships (reduced: the first rows of each file; a NAB
 * file set twice under two folders, and the ETT-layout file) through the command, on Flink's
 * MiniCluster: NAB's directory layout and ETT's multi-column layout, one output row per input row,
 * and reproducible output.
 */
class BackfillITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LocalCluster.twoSlots();

    static final Path EXAMPLES = Repository.path("examples");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path work;

    static Path nab;
    static Path ett;

    /**
     * Copies the first {@code rows} data rows of a file, keeping the header and the relative path.
     */
    static void head(Path from, Path to, int rows) throws IOException {
        Files.createDirectories(to.getParent());
        List<String> lines = Files.readAllLines(from);
        Files.write(to, lines.subList(0, Math.min(lines.size(), rows + 1)));
    }

    @BeforeAll
    static void reducedInputs() throws IOException {
        nab = work.resolve("nab");
        for (String f :
                List.of(
                        "artificialWithAnomaly/art_daily_jumpsup.csv",
                        "realTraffic/speed_7578.csv")) {
            head(EXAMPLES.resolve("nab/data").resolve(f), nab.resolve(f), 750);
        }
        ett = work.resolve("transformer_head.csv");
        head(EXAMPLES.resolve("synthetic/transformer.csv"), ett, 600);
    }

    static String backfill(String... args) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        assertEquals(
                0, Main.parse(new BackfillCommand(), new PrintStream(text, true), args).call());
        return text.toString();
    }

    static List<String> lines(Path dir, Stream stream) throws IOException {
        return Files.readAllLines(FileOutputSink.file(dir, stream));
    }

    @Test
    void nabDirectoryGivesOneForecastPerRowAndRerunsAreByteIdenticalOnEitherStateBackend()
            throws Exception {
        Path a = work.resolve("nab-a");
        Path b = work.resolve("nab-b");
        String[] common = {
            "--input",
            nab.toString(),
            "--set",
            "window.size=24",
            "--set",
            "model.hidden=8",
            "--set",
            "training.round-every=100",
            "--set",
            "training.sample-rate=0.5"
        };
        String summary = backfill(concat(common, "--output", a.toString()));
        // The rerun keeps its state in RocksDB: the state backend must not change a byte either.
        backfill(concat(common, "--output", b.toString(), "--set", "job.state-backend=rocksdb"));

        int forecasts = lines(a, Stream.FORECASTS).size();
        int dead = lines(a, Stream.DEAD_LETTERS).size();
        assertEquals(1500, forecasts + dead, "one forecast or dead letter per input row");
        Set<String> series = new HashSet<>();
        for (String f : lines(a, Stream.FORECASTS)) {
            series.add(JSON.readTree(f).get("series").asText());
        }
        assertEquals(Set.of("art_daily_jumpsup", "speed_7578"), series);
        assertTrue(lines(a, Stream.MODELS).size() >= 1, "retraining promoted a model:\n" + summary);
        for (Stream s : Stream.values()) {
            assertEquals(
                    Files.readString(FileOutputSink.file(a, s)),
                    Files.readString(FileOutputSink.file(b, s)),
                    s + " differs between two runs of the same input, config and seed");
        }
        assertTrue(summary.contains("Summary") && summary.contains("rows/s"), summary);
    }

    @Test
    void ettWithFeaturesAndAFrozenModelGivesTheSameForecastsAtAnyParallelism() throws Exception {
        var config =
                ConfigLoader.load(
                        null,
                        List.of(
                                "window.size=24",
                                "model.hidden=8",
                                "input.target=OT",
                                "window.features=HUFL,HULL,MUFL,MULL,LUFL,LULL"));
        NetworkSpec spec = config.networkSpec();
        Path model = work.resolve("model.json");
        ModelFile.write(
                model,
                new ModelUpdate(7, "lstm", 0, 0, 0, 0, RecurrentNetwork.create(spec).params()),
                spec);
        String[] common = {
            "--input",
            ett.toString(),
            "--model",
            model.toString(),
            "--set",
            "training.enabled=false",
            "--set",
            "window.size=24",
            "--set",
            "model.hidden=8",
            "--set",
            "input.target=OT",
            "--set",
            "window.features=HUFL,HULL,MUFL,MULL,LUFL,LULL"
        };
        Path one = work.resolve("ett-1");
        Path two = work.resolve("ett-2");
        backfill(concat(common, "--output", one.toString(), "--set", "job.parallelism=1"));
        backfill(concat(common, "--output", two.toString(), "--set", "job.parallelism=2"));
        List<String> f1 = lines(one, Stream.FORECASTS);
        assertEquals(600, f1.size());
        assertEquals(7, JSON.readTree(f1.get(0)).get("model").get("version").asLong());
        assertEquals(new HashSet<>(f1), new HashSet<>(lines(two, Stream.FORECASTS)));
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcast.config.ConfigLoader;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.ModelFile;
import io.streamcast.local.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} pre-trains on a history file; a backfill warm-started from the model file (frozen,
 * so only the starting weights differ) forecasts the rows after the training rows better than one
 * from random weights.
 */
class TrainCommandITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LocalCluster.twoSlots();

    static final int ROWS = 900;
    static final int TRAIN_ROWS = 600;
    static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final String[] NETWORK = {
        "--set",
        "window.size=24",
        "--set",
        "model.hidden=12",
        "--set",
        "training.learning-rate=0.01"
    };

    @TempDir static Path work;

    /**
     * An hourly sensor with a daily cycle, a slow drift and noise, NAB's timestamp,value layout.
     */
    static Path history(int rows, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>(List.of("timestamp,value"));
        for (int t = 0; t < rows; t++) {
            double v =
                    50 + 0.01 * t + 8 * Math.sin(2 * Math.PI * t / 24.0) + 0.4 * r.nextGaussian();
            lines.add(Instant.ofEpochMilli(START + t * 3_600_000L) + "," + v);
        }
        Path file = work.resolve("plant-" + seed + ".csv");
        Files.write(file, lines);
        return file;
    }

    static String train(String... args) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        assertEquals(0, Main.parse(new TrainCommand(), new PrintStream(text, true), args).call());
        return text.toString();
    }

    /** Mean absolute one-step residual of the scores at or after row {@code from}. */
    /**
     * The network's own one-step error on the rows from {@code from} on (the forecasts' {@code
     * network} field, not the served combination, which falls back on repeat-last for an untrained
     * network): what a warm start changes.
     */
    static double oneStepMae(Path output, int from) throws IOException {
        java.util.Map<Long, Double> actual = new java.util.HashMap<>();
        for (String line : BackfillITCase.lines(output, Stream.SCORES)) {
            JsonNode s = BackfillITCase.JSON.readTree(line);
            actual.put(
                    Instant.parse(s.get("ts").asText()).toEpochMilli(), s.get("actual").asDouble());
        }
        double sum = 0;
        int n = 0;
        for (String line : BackfillITCase.lines(output, Stream.FORECASTS)) {
            JsonNode f = BackfillITCase.JSON.readTree(line);
            long next = Instant.parse(f.get("ts").asText()).toEpochMilli() + 3_600_000L;
            Double a = actual.get(next);
            if (a != null && next >= START + from * 3_600_000L) {
                sum += Math.abs(f.get("forecast").get(0).get("network").asDouble() - a);
                n++;
            }
        }
        assertEquals(ROWS - from, n, "one checked forecast per row after the training rows");
        return sum / n;
    }

    @Test
    void aTrainedModelFileWarmStartsABackfillThatForecastsBetterThanRandomWeights()
            throws Exception {
        long started = System.nanoTime();
        Path input = history(ROWS, 1);
        Path model = work.resolve("model.bin");
        String log =
                train(
                        BackfillITCase.concat(
                                NETWORK,
                                "--input",
                                input.toString(),
                                "--output",
                                model.toString(),
                                "--epochs",
                                "6",
                                "--train-rows",
                                Integer.toString(TRAIN_ROWS)));
        assertTrue(log.contains("     6  ") && log.contains("Wrote " + model), log);

        var config =
                ConfigLoader.load(
                        null,
                        List.of(
                                "window.size=24",
                                "model.hidden=12",
                                "training.learning-rate=0.01"));
        ModelUpdate read = ModelFile.read(model, config.networkSpec());
        assertTrue(read.validationLoss() < read.trainLoss() * 10 && read.samplesSeen() > 0, log);

        Path warm = work.resolve("warm");
        Path cold = work.resolve("cold");
        String[] frozen =
                BackfillITCase.concat(
                        NETWORK, "--input", input.toString(), "--set", "training.enabled=false");
        BackfillITCase.backfill(
                BackfillITCase.concat(
                        frozen, "--model", model.toString(), "--output", warm.toString()));
        BackfillITCase.backfill(BackfillITCase.concat(frozen, "--output", cold.toString()));
        double warmMae = oneStepMae(warm, TRAIN_ROWS);
        double coldMae = oneStepMae(cold, TRAIN_ROWS);
        System.out.printf(
                "TrainCommandITCase one-step MAE on rows %d..%d: warm start %.4f, random weights %.4f"
                        + " (%d ms)%n%s",
                TRAIN_ROWS,
                ROWS - 1,
                warmMae,
                coldMae,
                (System.nanoTime() - started) / 1_000_000,
                log);
        assertTrue(warmMae < 0.7 * coldMae, "warm " + warmMae + " vs cold " + coldMae);
        JsonNode first =
                BackfillITCase.JSON.readTree(BackfillITCase.lines(warm, Stream.FORECASTS).get(0));
        assertEquals(
                1,
                first.get("model").get("version").asLong(),
                "the backfill served the trained model");
    }

    @Test
    void missingOrInvalidArgumentsAreRefusedWithAMessage() throws Exception {
        Path input = history(40, 2);
        RuntimeException noOutput =
                assertThrows(RuntimeException.class, () -> train("--input", input.toString()));
        assertTrue(noOutput.getMessage().contains("--output"), noOutput.getMessage());
        RuntimeException epochs =
                assertThrows(
                        RuntimeException.class,
                        () ->
                                train(
                                        "--input",
                                        input.toString(),
                                        "--output",
                                        work.resolve("x").toString(),
                                        "--epochs",
                                        "0"));
        assertTrue(epochs.getMessage().contains("--epochs"), epochs.getMessage());
        IllegalArgumentException tooShort =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                train(
                                        "--input",
                                        input.toString(),
                                        "--output",
                                        work.resolve("y").toString(),
                                        "--set",
                                        "window.size=48"));
        assertTrue(tooShort.getMessage().contains("no training examples"), tooShort.getMessage());
    }
}

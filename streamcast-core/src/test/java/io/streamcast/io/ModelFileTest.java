package io.streamcast.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.event.ModelUpdate;
import io.streamcast.model.Cell;
import io.streamcast.model.Decoder;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.RecurrentNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    static final NetworkSpec SPEC = new NetworkSpec(Cell.LSTM, 1, 8, 1, 1, 5, 0.01, 1, 0);

    @TempDir Path dir;

    @Test
    void aSavedModelReadsBackExactly() throws Exception {
        float[] params = RecurrentNetwork.create(SPEC).params();
        Path file = dir.resolve("m.json");
        ModelFile.write(file, new ModelUpdate(4, "lstm", 0.1, 0.2, 0.3, 99, params), SPEC);
        ModelUpdate read = ModelFile.read(file, SPEC);
        assertEquals(4, read.version());
        assertEquals(99, read.samplesSeen());
        assertArrayEquals(params, read.params());
    }

    @Test
    void corruptOrIncompatibleModelFilesFailWithAClearMessage() throws Exception {
        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "{not json");
        assertMessage(garbage, SPEC, "cannot read model file");

        Path notAModel = dir.resolve("other.json");
        Files.writeString(notAModel, "{\"hello\": 1}");
        assertMessage(notAModel, SPEC, "is not a Streamcast model");

        Path model = dir.resolve("m.json");
        ModelFile.write(
                model,
                new ModelUpdate(1, "lstm", 0, 0, 0, 0, RecurrentNetwork.create(SPEC).params()),
                SPEC);
        assertMessage(
                model,
                new NetworkSpec(Cell.GRU, 1, 8, 1, 1, 5, 0.01, 1, 0),
                "holds a 'lstm' network");
        assertMessage(model, new NetworkSpec(Cell.LSTM, 1, 16, 1, 1, 5, 0.01, 1, 0), "parameters");
        NetworkSpec rolling =
                new NetworkSpec(Cell.LSTM, 1, 8, 1, 24, 5, 0.01, 1, 0, Decoder.AUTOREGRESSIVE, 0);
        // A direct horizon-1 network is a one-step network: the autoregressive decoder can roll it
        // out.
        assertEquals(1, ModelFile.read(model, rolling).version());
        Path direct24 = dir.resolve("d24.json");
        NetworkSpec wide = new NetworkSpec(Cell.LSTM, 1, 8, 1, 24, 5, 0.01, 1, 0);
        ModelFile.write(
                direct24,
                new ModelUpdate(1, "lstm", 0, 0, 0, 0, RecurrentNetwork.create(wide).params()),
                wide);
        assertMessage(direct24, rolling, "decoder=direct");

        Path truncated = dir.resolve("t.json");
        Files.writeString(
                truncated,
                Files.readString(model)
                        .replaceAll("\"parameters\":\"[^\"]{20}", "\"parameters\":\""));
        assertMessage(truncated, SPEC, "parameters");
    }

    @Test
    void aSavedModelCarriesItsNetworkSettingsAsAnObject() throws Exception {
        NetworkSpec spec =
                new NetworkSpec(
                        Cell.GRU, 2, 6, 3, 4, 9, 0.002, 2.0, 0.2, Decoder.AUTOREGRESSIVE, 0);
        Path file = dir.resolve("gru.json");
        ModelFile.write(
                file,
                new ModelUpdate(2, "gru", 0, 0, 0, 0, RecurrentNetwork.create(spec).params()),
                spec);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals(spec, NetworkJson.read(json));
        assertEquals(3, json.get("network").get("width").asInt());
        assertFalse(json.has("config"), json.toString());
        assertEquals(
                Map.of("model.cell", "gru", "model.layers", "2", "model.hidden", "6"),
                ModelFile.networkSettings(file));
        assertEquals(spec.summary(), ModelFile.describe(file));
        assertEquals(2, ModelFile.read(file, spec).version());
        // What does not fit is named with the file's settings.
        assertMessage(
                file,
                new NetworkSpec(
                        Cell.GRU, 2, 7, 3, 4, 9, 0.002, 2.0, 0.2, Decoder.AUTOREGRESSIVE, 0),
                "(" + spec.summary() + ")");

        Path edited = dir.resolve("edited.json");
        Files.writeString(edited, Files.readString(file).replace("\"hidden\":6,", ""));
        assertMessage(edited, spec, "unreadable network settings: network.hidden is missing");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> ModelFile.networkSettings(edited));
        assertTrue(e.getMessage().contains("network.hidden is missing"), e.getMessage());
        Path otherCell = dir.resolve("other-cell.json");
        Files.writeString(
                otherCell,
                Files.readString(file)
                        .replace("\"cell\":\"gru\",\"layers\"", "\"cell\":\"rnn\",\"layers\""));
        assertMessage(otherCell, spec, "whose settings name a 'rnn' cell");
    }

    /**
     * models/text-config-v1.json was written by ModelFile before network settings became an object:
     * they are the {@code config} text there (a gru, autoregressive, with dropout).
     */
    @Test
    void aModelFileOfAnEarlierVersionStillReads() throws Exception {
        Path file = Path.of(ModelFileTest.class.getResource("/models/text-config-v1.json").toURI());
        NetworkSpec trained =
                new NetworkSpec(Cell.GRU, 1, 4, 1, 2, 5, 0.01, 1, 0.1, Decoder.AUTOREGRESSIVE, 0);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertFalse(json.has("network"));
        assertEquals(trained.summary(), json.get("config").asText());
        assertEquals(trained, NetworkJson.read(json));

        ModelUpdate read = ModelFile.read(file, trained);
        assertEquals(3, read.version());
        assertEquals("gru", read.cell());
        assertEquals(640, read.samplesSeen());
        assertEquals(0.5, read.validationLoss());
        assertArrayEquals(RecurrentNetwork.create(trained).params(), read.params());
        assertEquals(
                Map.of("model.cell", "gru", "model.layers", "1", "model.hidden", "4"),
                ModelFile.networkSettings(file));
        assertEquals(trained.summary(), ModelFile.describe(file));
        assertMessage(
                file,
                new NetworkSpec(Cell.GRU, 2, 4, 1, 2, 5, 0.01, 1, 0.1, Decoder.AUTOREGRESSIVE, 0),
                "(" + trained.summary() + ")");
    }

    @Test
    void aModelWhoseFiniteWeightsOverflowIsRefused() throws Exception {
        float[] absurd = new float[RecurrentNetwork.create(SPEC).parameterCount()];
        java.util.Arrays.fill(absurd, 3e38f);
        Path file = dir.resolve("absurd.json");
        ModelFile.write(file, new ModelUpdate(1, "lstm", 0, 0, 0, 0, absurd), SPEC);
        assertMessage(file, SPEC, "non-finite forecasts");
    }

    private static void assertMessage(Path file, NetworkSpec spec, String expected) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelFile.read(file, spec));
        assertTrue(
                e.getMessage().contains(expected) && e.getMessage().contains(file.toString()),
                e.getMessage());
    }
}

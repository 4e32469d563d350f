package io.streamcast.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.event.ModelUpdate;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.RecurrentNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    static final NetworkSpec SPEC = new NetworkSpec("lstm", 1, 8, 1, 1, 5, 0.01, 1, 0);

    @TempDir Path dir;

    @Test
    void aSavedModelReadsBackExactly() throws Exception {
        float[] params = RecurrentNetwork.create(SPEC).params();
        Path file = dir.resolve("m.json");
        ModelFile.write(
                file, new ModelUpdate(4, "lstm", SPEC.summary(), 0.1, 0.2, 0.3, 99, params));
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
                new ModelUpdate(
                        1,
                        "lstm",
                        SPEC.summary(),
                        0,
                        0,
                        0,
                        0,
                        RecurrentNetwork.create(SPEC).params()));
        assertMessage(
                model, new NetworkSpec("gru", 1, 8, 1, 1, 5, 0.01, 1, 0), "holds a 'lstm' network");
        assertMessage(model, new NetworkSpec("lstm", 1, 16, 1, 1, 5, 0.01, 1, 0), "parameters");
        NetworkSpec rolling =
                new NetworkSpec("lstm", 1, 8, 1, 24, 5, 0.01, 1, 0, NetworkSpec.AUTOREGRESSIVE, 0);
        // A direct horizon-1 network is a one-step network: the autoregressive decoder can roll it
        // out.
        assertEquals(1, ModelFile.read(model, rolling).version());
        Path direct24 = dir.resolve("d24.json");
        NetworkSpec wide = new NetworkSpec("lstm", 1, 8, 1, 24, 5, 0.01, 1, 0);
        ModelFile.write(
                direct24,
                new ModelUpdate(
                        1,
                        "lstm",
                        wide.summary(),
                        0,
                        0,
                        0,
                        0,
                        RecurrentNetwork.create(wide).params()));
        assertMessage(direct24, rolling, "decoder=direct");

        Path truncated = dir.resolve("t.json");
        Files.writeString(
                truncated,
                Files.readString(model)
                        .replaceAll("\"parameters\":\"[^\"]{20}", "\"parameters\":\""));
        assertMessage(truncated, SPEC, "parameters");
    }

    @Test
    void aModelWhoseFiniteWeightsOverflowIsRefused() throws Exception {
        float[] absurd = new float[RecurrentNetwork.create(SPEC).parameterCount()];
        java.util.Arrays.fill(absurd, 3e38f);
        Path file = dir.resolve("absurd.json");
        ModelFile.write(file, new ModelUpdate(1, "lstm", SPEC.summary(), 0, 0, 0, 0, absurd));
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

package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.ModelUpdate;
import io.streamcast.io.ModelFile;
import io.streamcast.model.Cell;
import io.streamcast.model.NetworkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo takes the network's shape from a model file, so a model trained with defaults fits its
 * own defaults.
 */
class DemoConfigTest {
    @TempDir Path dir;

    @Test
    void theModelFilesShapeReplacesTheDemoDefaultsAndTheUsersSettingsStillWin() throws Exception {
        Path model = dir.resolve("model.json");
        Files.writeString(
                model,
                "{\"version\":3,\"cell\":\"lstm\",\"config\":\"lstm layers=2 hidden=64 width=1"
                        + " horizon=1 decoder=direct dropout=0.0 lr=0.001 clip=1.0 seed=7\",\"parameters\":\"\"}");
        StreamcastConfig plain = DemoCommand.config(null, List.of());
        assertEquals(24, plain.model().hidden(), "the demo's own default");
        StreamcastConfig adapted = DemoCommand.config(null, List.of(), model);
        assertEquals(64, adapted.model().hidden());
        assertEquals(2, adapted.model().layers());
        assertEquals("lstm", adapted.model().cell().id());
        assertEquals(
                8, DemoCommand.config(null, List.of("model.hidden=8"), model).model().hidden());
    }

    @Test
    void theShapeIsReadFromTheNetworkObjectOfAModelFile() throws Exception {
        NetworkSpec spec = new NetworkSpec(Cell.GRU, 3, 40, 1, 1, 7, 0.001, 1, 0);
        Path model = dir.resolve("gru.json");
        ModelFile.write(model, new ModelUpdate(1, "gru", 0, 0, 0, 0, new float[0]), spec);
        StreamcastConfig adapted = DemoCommand.config(null, List.of(), model);
        assertEquals(Cell.GRU, adapted.model().cell());
        assertEquals(3, adapted.model().layers());
        assertEquals(40, adapted.model().hidden());
    }
}

package io.streamcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.Repository;
import io.streamcast.config.StreamcastConfig.TrainingPriority;
import io.streamcast.model.Cell;
import io.streamcast.model.Decoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
    private static final Path README = Repository.path("docs/configuration.md");
    private static final String REGENERATE =
            "mvn -q -B -o test -Dtest=ConfigReferenceTest -Dconfig.reference.write=true";

    @Test
    void theReferenceTableIsGeneratedFromTheDeclarations() throws Exception {
        String readme = Files.readString(README);
        String generated = ConfigReference.withTable(readme);
        if (Boolean.getBoolean("config.reference.write")) {
            Files.writeString(README, generated);
            readme = generated;
        }
        assertEquals(
                generated,
                readme,
                "docs/configuration.md's table differs from StreamcastOptions;"
                        + " regenerate it with: "
                        + REGENERATE);
    }

    @Test
    void everyDeclaredKeyIsReadByTheLoaderAndNoOtherKey() {
        ConfigReader reader = new ConfigReader(Map.of());
        ConfigLoader.read(reader);
        java.util.Set<String> read = reader.keysRead();
        read.removeIf(k -> k.matches(".*\\.\\d+$")); // a list's first item, probed
        assertEquals(ConfigLoader.knownKeys(), read);
    }

    @Test
    void theDefaultShownForEachKeyIsTheDefaultTheLoaderUses() {
        int checked = 0;
        for (ConfigOption<?> option : StreamcastOptions.all()) {
            String shown = option.defaultText();
            if (option.shape() != ConfigOption.Shape.VALUE || !shown.matches("`[^`]+`")) {
                continue; // prose defaults (e.g. "first of ...") are not a value to set
            }
            String value = shown.substring(1, shown.length() - 1);
            assertEquals(
                    ConfigLoader.defaults(),
                    ConfigLoader.load(null, List.of(option.key() + "=" + value)),
                    option.key() + "=" + value);
            checked++;
        }
        assertTrue(checked > 50, "checked " + checked);
    }

    @Test
    void closedSetsReadIntoTheirEnumsFromTheirLowercaseNames() {
        StreamcastConfig c =
                ConfigLoader.load(
                        null,
                        List.of(
                                "model.cell=gru",
                                "model.decoder=autoregressive",
                                "job.delivery=at-least-once",
                                "inference.state-on-new-model=rebuild",
                                "training.priority=normal"));
        assertSame(Cell.GRU, c.model().cell());
        assertSame(Decoder.AUTOREGRESSIVE, c.model().decoder());
        assertEquals(false, c.job().exactlyOnce());
        assertEquals(true, c.inference().rebuildOnNewModel());
        assertEquals(false, c.training().idlePriority());
        assertSame(Cell.GRU, c.networkSpec().cell());
        assertSame(Decoder.AUTOREGRESSIVE, c.networkSpec().decoder());
        assertEquals("idle", TrainingPriority.IDLE.id());
    }

    @Test
    void anOptionRefusesAValueOutsideItsRangeNamingKeyValueAndWhatIsAllowed() {
        ConfigException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        ConfigException.class, () -> StreamcastOptions.MODEL_LAYERS.parse("9"));
        assertEquals(
                "invalid configuration 'model.layers' = '9': an integer in [1, 8] is allowed",
                e.getMessage());
    }
}

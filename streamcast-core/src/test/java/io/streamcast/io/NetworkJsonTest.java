package io.streamcast.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamcast.model.Cell;
import io.streamcast.model.Decoder;
import io.streamcast.model.NetworkSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkJsonTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static final List<NetworkSpec> SPECS =
            List.of(
                    new NetworkSpec(Cell.LSTM, 1, 32, 1, 1, 42, 0.005, 1.0, 0),
                    new NetworkSpec(Cell.RNN, 3, 7, 5, 24, -3, 1e-4, 0, 0.25, Decoder.DIRECT, 16),
                    new NetworkSpec(
                            Cell.GRU,
                            2,
                            16,
                            3,
                            4,
                            1L << 40,
                            0.01,
                            5,
                            0.1,
                            Decoder.AUTOREGRESSIVE,
                            0),
                    new NetworkSpec(Cell.BILSTM, 1, 4, 2, 6, 0, 0.3, 0.5, 0.9));

    @Test
    void aSpecRoundTripsThroughTheNetworkObjectFieldByField() throws Exception {
        for (NetworkSpec spec : SPECS) {
            ObjectNode record = JSON.createObjectNode();
            NetworkJson.write(record, spec);
            JsonNode parsed = JSON.readTree(JSON.writeValueAsString(record));
            assertEquals(spec, NetworkJson.read(parsed));
            assertEquals(spec.summary(), NetworkJson.label(parsed));
            assertEquals(
                    Map.of(
                            "model.cell", spec.cell().id(),
                            "model.layers", Integer.toString(spec.layers()),
                            "model.hidden", Integer.toString(spec.hidden())),
                    NetworkJson.settings(parsed));
        }
        assertEquals(
                "{\"network\":{\"cell\":\"gru\",\"layers\":2,\"hidden\":16,\"width\":3,\"horizon\":4,"
                        + "\"decoder\":\"autoregressive\",\"dropout\":0.1,\"tbpttLength\":0,"
                        + "\"learningRate\":0.01,\"gradientClip\":5.0,\"seed\":1099511627776}}",
                written(SPECS.get(2)));
    }

    /** Earlier versions wrote {@link NetworkSpec#summary()} as the {@code config} text. */
    @Test
    void theTextOfEarlierVersionsStillReads() throws Exception {
        for (NetworkSpec spec : SPECS) {
            JsonNode earlier = earlier(spec.cell().id(), spec.summary());
            assertEquals(spec, NetworkJson.read(earlier));
            assertEquals(spec.summary(), NetworkJson.label(earlier));
        }
        // Before the decoder and dropout settings existed: direct, no dropout.
        JsonNode oldest =
                earlier("lstm", "lstm layers=2 hidden=8 width=1 horizon=3 lr=0.01 clip=1.0 seed=5");
        assertEquals(
                new NetworkSpec(Cell.LSTM, 2, 8, 1, 3, 5, 0.01, 1.0, 0), NetworkJson.read(oldest));
        assertEquals(
                Map.of("model.cell", "lstm", "model.layers", "2", "model.hidden", "8"),
                NetworkJson.settings(oldest));
        // A text that leaves out a setting: no spec, but the settings it names.
        JsonNode partial = earlier("gru", "gru layers=2 hidden=64");
        assertNull(NetworkJson.read(partial));
        assertEquals(
                Map.of("model.cell", "gru", "model.layers", "2", "model.hidden", "64"),
                NetworkJson.settings(partial));
        assertEquals("gru layers=2 hidden=64", NetworkJson.label(partial));
        JsonNode none = JSON.readTree("{\"version\":1,\"cell\":\"rnn\"}");
        assertNull(NetworkJson.read(none));
        assertEquals(Map.of("model.cell", "rnn"), NetworkJson.settings(none));
        assertEquals("", NetworkJson.label(none));
    }

    @Test
    void aNetworkObjectThatIsNotASpecSaysWhichFieldIsWrong() throws Exception {
        String good = written(SPECS.get(0));
        assertReadFails(good.replace("\"hidden\":32,", ""), "network.hidden is missing");
        assertReadFails(
                good.replace("\"layers\":1", "\"layers\":\"1\""),
                "network.layers is not an integer: \"1\"");
        assertReadFails(
                good.replace("\"layers\":1", "\"layers\":1.5"),
                "network.layers is not an integer: 1.5");
        assertReadFails(
                good.replace("\"cell\":\"lstm\"", "\"cell\":\"transformer\""),
                "unknown cell 'transformer'");
        assertReadFails(
                good.replace("\"decoder\":\"direct\"", "\"decoder\":\"beam\""),
                "unknown decoder 'beam'");
        assertReadFails(
                good.replace("\"dropout\":0.0", "\"dropout\":0.95"), "dropout must be in [0, 0.9]");
        assertReadFails("{\"network\":\"lstm layers=1\"}", "network is not an object");
        // Shown to people all the same: the earlier text if any, else nothing.
        assertEquals("", NetworkJson.label(JSON.readTree(good.replace("\"hidden\":32,", ""))));
    }

    private static void assertReadFails(String record, String expected) throws Exception {
        JsonNode json = JSON.readTree(record);
        String message =
                assertThrows(IllegalArgumentException.class, () -> NetworkJson.read(json))
                        .getMessage();
        assertEquals(true, message.contains(expected), message);
    }

    private static String written(NetworkSpec spec) throws Exception {
        ObjectNode record = JSON.createObjectNode();
        NetworkJson.write(record, spec);
        return JSON.writeValueAsString(record);
    }

    private static JsonNode earlier(String cell, String config) {
        return JSON.createObjectNode().put("version", 1).put("cell", cell).put("config", config);
    }
}

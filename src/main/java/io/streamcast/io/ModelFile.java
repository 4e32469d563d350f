package io.streamcast.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.event.ModelUpdate;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.RecurrentNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A saved model: the same JSON as a record of the models topic (version, cell, config, metrics, base64 parameters).
 * {@link #read} checks it against the configured network and fails with a message that says what does not fit.
 */
public final class ModelFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {}

    public static void write(Path file, ModelUpdate model) throws IOException {
        Files.write(file, OutputEncoder.model(model).json());
    }

    /** Reads {@code file} and checks that it fits {@code spec}; throws IllegalArgumentException otherwise. */
    public static ModelUpdate read(Path file, NetworkSpec spec) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model file " + file + ": " + e.getMessage());
        }
        if (root == null || !root.has("version") || !root.has("cell") || !root.has("parameters")) {
            throw new IllegalArgumentException("model file " + file
                    + " is not a Streamcast model (expected the JSON of a models-topic record: version, cell,"
                    + " parameters)");
        }
        String cell = root.get("cell").asText();
        if (!cell.equals(spec.cell())) {
            throw new IllegalArgumentException("model file " + file + " holds a '" + cell + "' network but model.cell is '"
                    + spec.cell() + "'");
        }
        float[] params;
        try {
            params = OutputEncoder.decodeParams(root.get("parameters").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model file " + file + " has corrupt parameters: " + e.getMessage());
        }
        int expected = RecurrentNetwork.create(spec).parameterCount();
        if (params.length != expected) {
            throw new IllegalArgumentException("model file " + file + " has " + params.length + " parameters ("
                    + root.path("config").asText("unknown configuration") + "); the configured network ("
                    + spec.summary() + ") has " + expected);
        }
        for (float p : params) {
            if (!Float.isFinite(p)) {
                throw new IllegalArgumentException("model file " + file + " contains non-finite parameters");
            }
        }
        JsonNode m = root.path("metrics");
        return new ModelUpdate(root.get("version").asLong(), cell, root.path("config").asText(""),
                m.path("trainLoss").asDouble(Double.NaN), m.path("validationLoss").asDouble(Double.NaN),
                m.path("gradientNorm").asDouble(Double.NaN), m.path("samplesSeen").asLong(0), params);
    }
}

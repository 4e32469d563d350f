package io.streamcast.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.event.ModelUpdate;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.RecurrentNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A saved model: the same JSON as a record of the models topic (version, cell, network settings,
 * metrics, base64 parameters). {@link #read} checks it against the configured network and fails
 * with a message that says what does not fit. Files of earlier versions, whose network settings are
 * a {@code config} text instead of the {@code network} object, still read ({@link NetworkJson}).
 */
public final class ModelFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {}

    /** Writes {@code model}, trained with {@code network}, as a models-topic record. */
    public static void write(Path file, ModelUpdate model, NetworkSpec network) throws IOException {
        Files.write(file, OutputEncoder.model(model, network).json());
    }

    /** The network settings of a model file in words, for log lines. */
    public static String describe(Path file) {
        JsonNode root = json(file);
        String label = NetworkJson.label(root);
        return label.isEmpty() ? root.path("cell").asText("unknown network") : label;
    }

    /**
     * The network settings a model file was trained with, as configuration keys ({@code
     * model.cell}, {@code model.layers}, {@code model.hidden}); keys an earlier version's file does
     * not name are left out. Lets a command that has its own defaults (the demo) take the network's
     * shape from the file.
     */
    public static Map<String, String> networkSettings(Path file) {
        JsonNode root = json(file);
        try {
            return NetworkJson.settings(root);
        } catch (IllegalArgumentException e) {
            throw unreadableNetwork(file, e);
        }
    }

    private static UserError unreadableNetwork(Path file, IllegalArgumentException e) {
        return new UserError(
                "model file " + file + " has unreadable network settings: " + e.getMessage());
    }

    private static JsonNode json(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(
                    "model file "
                            + file.toAbsolutePath()
                            + " does not exist; --model takes a file"
                            + " written by streamcast train (relative paths are from the current directory)");
        }
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            if (root == null || !root.isObject()) {
                throw new UserError(
                        "model file "
                                + file.toAbsolutePath()
                                + " is not a Streamcast model (expected"
                                + " the JSON that streamcast train writes)");
            }
            return root;
        } catch (IOException e) {
            throw new UserError(
                    "cannot read model file "
                            + file.toAbsolutePath()
                            + ": "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /**
     * Whether the network with {@code params} forecasts finite values on two probe windows of
     * normalised readings (a flat one and a ramp across the usual ±3 range): finite weights can
     * still overflow float32.
     */
    static boolean givesFiniteForecasts(NetworkSpec spec, float[] params) {
        RecurrentNetwork probe = RecurrentNetwork.create(spec);
        probe.setParams(params);
        int rows = 8;
        float[][] windows = new float[2][rows * spec.width()];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < spec.width(); c++) {
                windows[1][r * spec.width() + c] = -3f + 6f * r / (rows - 1);
            }
        }
        for (float v : probe.output(windows, 2, rows).data().asFloat()) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads {@code file} and checks that it fits {@code spec}; throws IllegalArgumentException
     * otherwise.
     */
    public static ModelUpdate read(Path file, NetworkSpec spec) {
        JsonNode root = json(file);
        if (root == null || !root.has("version") || !root.has("cell") || !root.has("parameters")) {
            throw new UserError(
                    "model file "
                            + file
                            + " is not a Streamcast model (expected the JSON of a models-topic record: version, cell,"
                            + " parameters)");
        }
        String cell = root.get("cell").asText();
        if (!cell.equals(spec.cell().id())) {
            throw new UserError(
                    "model file "
                            + file
                            + " holds a '"
                            + cell
                            + "' network but model.cell is '"
                            + spec.cell().id()
                            + "'");
        }
        NetworkSpec trained;
        try {
            trained = NetworkJson.read(root);
        } catch (IllegalArgumentException e) {
            throw unreadableNetwork(file, e);
        }
        if (trained != null && trained.cell() != spec.cell()) {
            throw new UserError(
                    "model file "
                            + file
                            + " holds a '"
                            + cell
                            + "' network whose settings name a '"
                            + trained.cell().id()
                            + "' cell");
        }
        float[] params;
        try {
            params = OutputEncoder.decodeParams(root.get("parameters").asText());
        } catch (IllegalArgumentException e) {
            throw new UserError(
                    "model file " + file + " has corrupt parameters: " + e.getMessage());
        }
        int expected = RecurrentNetwork.create(spec).parameterCount();
        if (params.length != expected) {
            throw new UserError(
                    "model file "
                            + file
                            + " has "
                            + params.length
                            + " parameters ("
                            + (trained != null
                                    ? trained.summary()
                                    : root.path(NetworkJson.TEXT_FIELD)
                                            .asText("unknown configuration"))
                            + "); the configured network ("
                            + spec.summary()
                            + ") has "
                            + expected
                            + "; set model.* and window.features as they were for"
                            + " training");
        }
        for (float p : params) {
            if (!Float.isFinite(p)) {
                throw new UserError("model file " + file + " contains non-finite parameters");
            }
        }
        if (!givesFiniteForecasts(spec, params)) {
            throw new UserError(
                    "model file "
                            + file
                            + " gives non-finite forecasts on a probe window (its weights are"
                            + " finite but far too large): it would answer every reading with"
                            + " Infinity or NaN");
        }
        JsonNode m = root.path("metrics");
        return new ModelUpdate(
                root.get("version").asLong(),
                cell,
                m.path("trainLoss").asDouble(Double.NaN),
                m.path("validationLoss").asDouble(Double.NaN),
                m.path("gradientNorm").asDouble(Double.NaN),
                m.path("samplesSeen").asLong(0),
                params);
    }
}

package io.streamcast.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamcast.model.Cell;
import io.streamcast.model.Decoder;
import io.streamcast.model.NetworkSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network settings of a model record (models topic and model files): written as the {@code
 * network} object, read back field by field; the {@code config} text that earlier versions wrote
 * instead is still read.
 *
 * <p>The object: {@code {"cell":"lstm","layers":1,"hidden":32,"width":1,"horizon":1,
 * "decoder":"direct","dropout":0.0,"tbpttLength":0,"learningRate":0.005,"gradientClip":1.0,
 * "seed":42}}. The earlier text: {@code "lstm layers=1 hidden=32 width=1 horizon=1 decoder=direct
 * dropout=0.0 lr=0.005 clip=1.0 seed=42"}, with {@code tbptt=N} before the seed when BPTT was
 * truncated; the oldest texts name no decoder and no dropout, which did not exist yet (so: direct,
 * none).
 */
public final class NetworkJson {
    /** The field of the structured settings. */
    public static final String FIELD = "network";

    /** The field of the text earlier versions wrote; read, no longer written. */
    public static final String TEXT_FIELD = "config";

    /** The words every earlier text has. */
    private static final List<String> TEXT_REQUIRED =
            List.of("cell", "layers", "hidden", "width", "horizon", "seed", "lr", "clip");

    private NetworkJson() {}

    /** Puts {@code spec} into {@code record} as its {@code network} object. */
    public static void write(ObjectNode record, NetworkSpec spec) {
        record.putObject(FIELD)
                .put("cell", spec.cell().id())
                .put("layers", spec.layers())
                .put("hidden", spec.hidden())
                .put("width", spec.width())
                .put("horizon", spec.horizon())
                .put("decoder", spec.decoder().id())
                .put("dropout", spec.dropout())
                .put("tbpttLength", spec.tbpttLength())
                .put("learningRate", spec.learningRate())
                .put("gradientClip", spec.gradientClip())
                .put("seed", spec.seed());
    }

    /**
     * The spec a model record was trained with: from its {@code network} object, else from the
     * {@code config} text of an earlier version when that names every setting, else null. A {@code
     * network} object that is not a valid spec throws IllegalArgumentException saying which field
     * is wrong.
     */
    public static NetworkSpec read(JsonNode record) {
        JsonNode n = record.path(FIELD);
        if (n.isMissingNode() || n.isNull()) {
            return fromText(record.path(TEXT_FIELD).asText(""));
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException(FIELD + " is not an object");
        }
        return new NetworkSpec(
                Cell.of(text(n, "cell")),
                integer(n, "layers"),
                integer(n, "hidden"),
                integer(n, "width"),
                integer(n, "horizon"),
                integral(n, "seed"),
                number(n, "learningRate"),
                number(n, "gradientClip"),
                number(n, "dropout"),
                Decoder.of(text(n, "decoder")),
                integer(n, "tbpttLength"));
    }

    /**
     * The settings that shape the network as configuration overrides ({@code model.cell}, {@code
     * model.layers}, {@code model.hidden}); from the {@code network} object, or for an earlier
     * version from its {@code cell} field and whichever of these its text names.
     */
    public static Map<String, String> settings(JsonNode record) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (record.hasNonNull(FIELD)) {
            NetworkSpec spec = read(record);
            settings.put("model.cell", spec.cell().id());
            settings.put("model.layers", Integer.toString(spec.layers()));
            settings.put("model.hidden", Integer.toString(spec.hidden()));
            return settings;
        }
        if (record.hasNonNull("cell")) {
            settings.put("model.cell", record.get("cell").asText());
        }
        Map<String, String> words = words(record.path(TEXT_FIELD).asText(""));
        for (String key : new String[] {"layers", "hidden"}) {
            if (words.containsKey(key)) {
                settings.put("model." + key, words.get(key));
            }
        }
        return settings;
    }

    /**
     * The settings in words for people (reports, the live page): the spec's summary, else an
     * earlier version's text, else "" (also for a {@code network} object that is not a valid spec).
     */
    public static String label(JsonNode record) {
        try {
            NetworkSpec spec = record.hasNonNull(FIELD) ? read(record) : null;
            if (spec != null) {
                return spec.summary();
            }
        } catch (IllegalArgumentException e) {
            // the text, if any, is all there is to show
        }
        return record.path(TEXT_FIELD).asText("");
    }

    /**
     * The spec an earlier version's {@code config} text names, or null if it leaves out a setting
     * (other than the decoder and dropout, which the oldest texts predate) or is not a valid spec.
     */
    static NetworkSpec fromText(String text) {
        Map<String, String> w = words(text);
        if (!w.keySet().containsAll(TEXT_REQUIRED)) {
            return null;
        }
        try {
            return new NetworkSpec(
                    Cell.of(w.get("cell")),
                    Integer.parseInt(w.get("layers")),
                    Integer.parseInt(w.get("hidden")),
                    Integer.parseInt(w.get("width")),
                    Integer.parseInt(w.get("horizon")),
                    Long.parseLong(w.get("seed")),
                    Double.parseDouble(w.get("lr")),
                    Double.parseDouble(w.get("clip")),
                    Double.parseDouble(w.getOrDefault("dropout", "0")),
                    Decoder.of(w.getOrDefault("decoder", Decoder.DIRECT.id())),
                    Integer.parseInt(w.getOrDefault("tbptt", "0")));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The cell (first word) and the {@code key=value} words of an earlier version's text. */
    private static Map<String, String> words(String text) {
        Map<String, String> words = new LinkedHashMap<>();
        String[] parts = text.trim().split(" +");
        for (int i = 0; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                words.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            } else if (i == 0 && !parts[i].isEmpty()) {
                words.put("cell", parts[i]);
            }
        }
        return words;
    }

    private static JsonNode field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(FIELD + "." + name + " is missing");
        }
        return v;
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isTextual()) {
            throw new IllegalArgumentException(FIELD + "." + name + " is not a string: " + v);
        }
        return v.asText();
    }

    private static int integer(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(FIELD + "." + name + " is not an integer: " + v);
        }
        return v.intValue();
    }

    private static long integral(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(FIELD + "." + name + " is not an integer: " + v);
        }
        return v.longValue();
    }

    private static double number(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(FIELD + "." + name + " is not a number: " + v);
        }
        return v.doubleValue();
    }
}

package io.streamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;

/**
 * One record of a topic as one line a person reads ({@code tail} without {@code --raw}): the fields
 * that matter of each stream, numbers to 5 significant digits. A record that does not have its
 * stream's fields is printed as it is, so nothing on the topic is hidden.
 */
final class OutputLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MathContext DIGITS = new MathContext(5);

    private OutputLines() {}

    /** {@code stream}: forecasts, scores, alerts, models, dead-letters or events. */
    static String format(String stream, byte[] value) {
        String raw = value == null ? "" : new String(value, StandardCharsets.UTF_8);
        try {
            JsonNode r = JSON.readTree(raw);
            String line =
                    switch (stream) {
                        case "forecasts" -> forecast(r);
                        case "scores" -> score(r);
                        case "alerts" -> alert(r);
                        case "models" -> model(r);
                        case "dead-letters" -> deadLetter(r);
                        default -> event(r);
                    };
            return line != null ? line : raw;
        } catch (java.io.IOException | RuntimeException unreadable) {
            return raw;
        }
    }

    private static String forecast(JsonNode r) {
        JsonNode steps = r.path("forecast");
        if (!steps.isArray() || steps.isEmpty() || !has(r, "series", "ts")) {
            return null;
        }
        JsonNode first = steps.get(0);
        JsonNode last = steps.get(steps.size() - 1);
        return head(r)
                + "forecast for "
                + first.path("ts").asText()
                + ": "
                + num(first.path("mean"))
                + " ["
                + num(first.path("lower"))
                + ", "
                + num(first.path("upper"))
                + "] "
                + first.path("source").asText()
                + (steps.size() > 1
                        ? ", ... "
                                + last.path("ts").asText()
                                + ": "
                                + num(last.path("mean"))
                                + " ("
                                + steps.size()
                                + " steps)"
                        : "")
                + ", model v"
                + r.path("model").path("version").asText()
                + (r.path("coldStart").asBoolean() ? " (cold start)" : "");
    }

    private static String score(JsonNode r) {
        if (!has(r, "series", "ts", "actual", "score")) {
            return null;
        }
        return head(r)
                + "actual "
                + num(r.get("actual"))
                + ", expected "
                + num(r.path("expected"))
                + " ["
                + num(r.path("lower"))
                + ", "
                + num(r.path("upper"))
                + "], score "
                + num(r.get("score"));
    }

    private static String alert(JsonNode r) {
        if (!has(r, "series", "ts", "state", "alertId")) {
            return null;
        }
        return head(r)
                + "alert "
                + r.get("state").asText().toUpperCase(java.util.Locale.ROOT)
                + " "
                + r.path("severity").asText()
                + " "
                + r.get("alertId").asText()
                + ", score "
                + num(r.path("score"))
                + ": "
                + r.path("reason").asText();
    }

    private static String model(JsonNode r) {
        if (!has(r, "version", "cell")) {
            return null;
        }
        JsonNode m = r.path("metrics");
        return "model v"
                + r.get("version").asText()
                + " "
                + r.get("cell").asText()
                + ": training loss "
                + num(m.path("trainLoss"))
                + ", validation loss "
                + num(m.path("validationLoss"))
                + ", "
                + m.path("samplesSeen").asText()
                + " samples seen, "
                + r.path("parameterCount").asText()
                + " parameters";
    }

    private static String deadLetter(JsonNode r) {
        if (!has(r, "reason", "source")) {
            return null;
        }
        String at =
                r.has("line")
                        ? " line " + r.get("line").asText()
                        : r.has("partition")
                                ? " partition "
                                        + r.get("partition").asText()
                                        + " offset "
                                        + r.path("offset").asText()
                                : "";
        return r.get("reason").asText()
                + "  "
                + r.get("source").asText()
                + at
                + ": "
                + r.path("message").asText()
                + "; raw: "
                + r.path("raw").asText();
    }

    private static String event(JsonNode r) {
        if (!has(r, "series", "ts", "value")) {
            return null;
        }
        return head(r)
                + "value "
                + r.get("value").asText()
                + (r.has("features") ? "  features " + r.get("features") : "");
    }

    /** The reading's time and series, which every line about one reading starts with. */
    private static String head(JsonNode r) {
        return r.get("ts").asText() + "  " + r.get("series").asText() + "  ";
    }

    private static boolean has(JsonNode r, String... fields) {
        for (String f : fields) {
            if (r == null || !r.hasNonNull(f)) {
                return false;
            }
        }
        return true;
    }

    private static String num(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return n == null || n.isMissingNode() ? "-" : n.asText();
        }
        return new BigDecimal(n.asText()).round(DIGITS).stripTrailingZeros().toPlainString();
    }
}

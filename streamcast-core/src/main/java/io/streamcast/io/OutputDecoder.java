package io.streamcast.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.Forecast;
import io.streamcast.event.Score;
import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.model.alert.Severity;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads the job's output records back into typed records: the JSON {@link OutputEncoder} writes,
 * one method per stream. With the encoder, the only code that knows the records' field names;
 * readers (the report, the live page, the demo, tail, evaluate, rescore, notify, the bench) decode
 * through it.
 *
 * <p>Reading is tolerant, so that output of other job versions still reads: unknown fields are
 * ignored, a missing number reads as NaN, missing text as "", a missing model version as -1 and a
 * step or alert time that is not one as {@link Long#MIN_VALUE}. A record that cannot be filed (not
 * JSON, not an object, no series, a reading time that is not one, no alert id or state, no model
 * version) throws {@link Unreadable}, whose message says what is wrong: readers skip and count it.
 */
public final class OutputDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OutputDecoder() {}

    /** A record that cannot be read; the message says why (e.g. "no series"). */
    public static final class Unreadable extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Unreadable(String why) {
            super(why);
        }
    }

    /** A forecasts record; {@code source} and {@code network} are null when no step has them. */
    public static Forecast forecast(byte[] json) {
        return forecast(tree(json));
    }

    /** {@link #forecast(byte[])} of one line of a forecasts file. */
    public static Forecast forecast(String json) {
        return forecast(tree(json));
    }

    /** A scores record; {@code modelVersion} is -1 when the record names none. */
    public static Score score(byte[] json) {
        return score(tree(json));
    }

    /** {@link #score(byte[])} of one line of a scores file. */
    public static Score score(String json) {
        return score(tree(json));
    }

    /** An alerts record, tolerantly (see {@link AlertOutput}). */
    public static AlertOutput alert(byte[] json) {
        return alert(tree(json));
    }

    /** {@link #alert(byte[])} of one line of an alerts file. */
    public static AlertOutput alert(String json) {
        return alert(tree(json));
    }

    /**
     * An alerts record as the tracker's event, strictly: series, alert id, a known state and
     * severity, and both times are required (for forwarding alerts, where a guess is worse than a
     * skip).
     */
    public static AlertEvent alertEvent(byte[] json) {
        JsonNode a = tree(json);
        String series = required(a, "series");
        String id = required(a, "alertId");
        AlertStatus state = constant(AlertStatus.class, required(a, "state"), "state");
        Severity severity = constant(Severity.class, required(a, "severity"), "severity");
        long ts = time(a, "ts");
        long openedAt = time(a, "openedAt");
        return new AlertEvent(
                series,
                id,
                state,
                ts,
                JsonFields.number(a, "score"),
                severity,
                JsonFields.number(a, "actual"),
                JsonFields.number(a, "expected"),
                JsonFields.number(a, "lower"),
                JsonFields.number(a, "upper"),
                openedAt,
                JsonFields.integer(a, "durationMs", ts - openedAt),
                JsonFields.text(a, "reason", ""),
                JsonFields.text(a, "channel", ""),
                JsonFields.number(a, "surprise"));
    }

    /** A models record: a promoted version or a drift event. */
    public static ModelsRecord models(byte[] json) {
        return models(tree(json));
    }

    /** {@link #models(byte[])} of one line of a models file. */
    public static ModelsRecord models(String json) {
        return models(tree(json));
    }

    /** A dead-letters record; a file position reads as partition -1 and its line as offset. */
    public static DeadLetter deadLetter(byte[] json) {
        return deadLetter(tree(json));
    }

    /** {@link #deadLetter(byte[])} of one line of a dead-letters file. */
    public static DeadLetter deadLetter(String json) {
        return deadLetter(tree(json));
    }

    private static Forecast forecast(JsonNode f) {
        String series = series(f);
        long ts = time(f, "ts");
        JsonNode model = f.path("model");
        JsonNode steps = f.path("forecast");
        int n = steps.isArray() ? steps.size() : 0;
        long[] targetTs = new long[n];
        double[] mean = new double[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        String[] source = null;
        double[] network = null;
        for (int k = 0; k < n; k++) {
            JsonNode step = steps.get(k);
            targetTs[k] = JsonFields.timestamp(step, "ts");
            mean[k] = JsonFields.number(step, "mean");
            lower[k] = JsonFields.number(step, "lower");
            upper[k] = JsonFields.number(step, "upper");
            if (step.has("source")) {
                if (source == null) {
                    source = new String[n];
                }
                source[k] = JsonFields.text(step, "source", "");
            }
            if (step.has("network")) {
                if (network == null) {
                    network = new double[n];
                    Arrays.fill(network, Double.NaN);
                }
                network[k] = JsonFields.number(step, "network");
            }
        }
        return new Forecast(
                series,
                ts,
                model.path("version").asLong(-1),
                JsonFields.text(model, "cell", ""),
                f.path("coldStart").asBoolean(false),
                targetTs,
                mean,
                lower,
                upper,
                source,
                network);
    }

    private static Score score(JsonNode s) {
        String series = series(s);
        return new Score(
                series,
                time(s, "ts"),
                JsonFields.number(s, "actual"),
                JsonFields.number(s, "expected"),
                JsonFields.number(s, "lower"),
                JsonFields.number(s, "upper"),
                JsonFields.number(s, "residual"),
                JsonFields.number(s, "score"),
                JsonFields.number(s, "surprise"),
                JsonFields.text(s, "channel", ""),
                JsonFields.integer(s, "modelVersion", -1));
    }

    private static AlertOutput alert(JsonNode a) {
        String id = JsonFields.text(a, "alertId", null);
        String state = JsonFields.text(a, "state", null);
        if (id == null || state == null) {
            throw new Unreadable("no alertId or state");
        }
        String series = series(a);
        long ts = time(a, "ts");
        long openedAt = JsonFields.timestamp(a, "openedAt");
        return new AlertOutput(
                series,
                id,
                state,
                ts,
                JsonFields.number(a, "score"),
                JsonFields.text(a, "severity", ""),
                JsonFields.number(a, "actual"),
                JsonFields.number(a, "expected"),
                JsonFields.number(a, "lower"),
                JsonFields.number(a, "upper"),
                openedAt,
                JsonFields.integer(
                        a, "durationMs", openedAt == Long.MIN_VALUE ? -1 : ts - openedAt),
                JsonFields.text(a, "reason", ""),
                JsonFields.text(a, "channel", ""),
                JsonFields.number(a, "surprise"));
    }

    private static ModelsRecord models(JsonNode m) {
        if (m.has("drift")) {
            return drift(m);
        }
        if (!m.has("version")) {
            throw new Unreadable("no version");
        }
        JsonNode metrics = m.path("metrics");
        return new ModelOutput(
                m.path("version").asLong(),
                JsonFields.text(m, "cell", ""),
                NetworkJson.label(m),
                JsonFields.number(metrics, "trainLoss"),
                JsonFields.number(metrics, "validationLoss"),
                JsonFields.number(metrics, "gradientNorm"),
                JsonFields.integer(metrics, "samplesSeen", -1),
                JsonFields.integer(m, "parameterCount", -1));
    }

    /** A drift event; the model version its round promoted is a record of its own. */
    private static DriftOutput drift(JsonNode m) {
        JsonNode d = m.path("drift");
        if (!d.isObject()) {
            throw new Unreadable("drift is not an object");
        }
        long ts = JsonFields.timestamp(d, "ts");
        if (ts == Long.MIN_VALUE && d.hasNonNull("ts")) {
            throw new Unreadable("drift " + JsonFields.badTime(d, "ts"));
        }
        JsonNode round = m.path("round");
        return new DriftOutput(
                ts,
                JsonFields.number(d, "recentLoss"),
                JsonFields.number(d, "validationLoss"),
                JsonFields.number(d, "statistic"),
                JsonFields.number(d, "threshold"),
                JsonFields.integer(d, "samplesSeen", -1),
                round.path("promoted").asBoolean(false) ? round.path("version").asLong(-1) : -1);
    }

    private static DeadLetter deadLetter(JsonNode d) {
        DeadLetter.Reason reason =
                constant(DeadLetter.Reason.class, required(d, "reason"), "reason");
        String source = required(d, "source");
        boolean kafka = d.has("partition");
        return new DeadLetter(
                reason,
                JsonFields.text(d, "message", ""),
                JsonFields.text(d, "raw", ""),
                source,
                kafka ? (int) JsonFields.integer(d, "partition", -1) : -1,
                JsonFields.integer(d, kafka ? "offset" : "line", -1));
    }

    private static String series(JsonNode record) {
        String series = JsonFields.text(record, "series", null);
        if (series == null) {
            throw new Unreadable("no series");
        }
        return series;
    }

    private static long time(JsonNode record, String field) {
        long t = JsonFields.timestamp(record, field);
        if (t == Long.MIN_VALUE) {
            throw new Unreadable(JsonFields.badTime(record, field));
        }
        return t;
    }

    private static String required(JsonNode record, String field) {
        String v = JsonFields.text(record, field, null);
        if (v == null || v.isEmpty()) {
            throw new Unreadable("no " + field);
        }
        return v;
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Unreadable(field + " '" + value + "' is unknown");
        }
    }

    private static JsonNode tree(byte[] json) {
        if (json == null) {
            throw new Unreadable("not a JSON object");
        }
        try {
            return object(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new Unreadable("not JSON");
        } catch (IOException e) {
            throw new Unreadable("not JSON");
        }
    }

    private static JsonNode tree(String json) {
        try {
            return object(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new Unreadable("not JSON");
        }
    }

    private static JsonNode object(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new Unreadable("not a JSON object");
        }
        return node;
    }
}

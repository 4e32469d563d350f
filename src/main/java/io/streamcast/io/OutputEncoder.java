package io.streamcast.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.Forecast;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.event.Score;
import io.streamcast.model.alert.AlertEvent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Base64;

/**
 * Serialises output records to the JSON of DESIGN §2 (timestamps as ISO-8601 UTC), keyed by series id; model
 * versions are keyed by a constant so that the compacted models topic keeps the newest. Parameters travel as
 * base64 of little-endian float32.
 */
public final class OutputEncoder {
    /** Kafka key of every model record: one key, so compaction keeps just the newest version. */
    public static final String MODEL_KEY = "model";

    /** Schubfach number formatting: several times faster than {@code Double.toString}, which dominated encoding. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private OutputEncoder() {}

    public static OutputRecord forecast(Forecast f) {
        ObjectNode root = JSON.createObjectNode();
        root.put("series", f.series());
        root.put("ts", iso(f.ts()));
        root.putObject("model").put("version", f.modelVersion()).put("cell", f.cell());
        root.put("coldStart", f.coldStart());
        ArrayNode steps = root.putArray("forecast");
        for (int k = 0; k < f.mean().length; k++) {
            steps.addObject()
                    .put("step", k + 1)
                    .put("ts", iso(f.targetTs()[k]))
                    .put("mean", f.mean()[k])
                    .put("lower", f.lower()[k])
                    .put("upper", f.upper()[k]);
        }
        return new OutputRecord(Stream.FORECASTS, f.series(), bytes(root));
    }

    public static OutputRecord score(Score s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("series", s.series());
        root.put("ts", iso(s.ts()));
        root.put("actual", s.actual());
        root.put("expected", s.expected());
        root.put("lower", s.lower());
        root.put("upper", s.upper());
        root.put("residual", s.residual());
        root.put("score", s.score());
        return new OutputRecord(Stream.SCORES, s.series(), bytes(root));
    }

    public static OutputRecord alert(AlertEvent a) {
        ObjectNode root = JSON.createObjectNode();
        root.put("series", a.series());
        root.put("alertId", a.alertId());
        root.put("state", a.state().name().toLowerCase(java.util.Locale.ROOT));
        root.put("ts", iso(a.ts()));
        root.put("score", a.score());
        root.put("severity", a.severity().name().toLowerCase(java.util.Locale.ROOT));
        root.put("actual", a.actual());
        root.put("expected", a.expected());
        root.put("lower", a.lower());
        root.put("upper", a.upper());
        root.put("openedAt", iso(a.openedAt()));
        root.put("durationMs", a.durationMs());
        root.put("reason", a.reason());
        return new OutputRecord(Stream.ALERTS, a.series(), bytes(root));
    }

    public static OutputRecord deadLetter(DeadLetter d) {
        ObjectNode root = JSON.createObjectNode();
        root.put("reason", d.reason().name());
        root.put("message", d.message());
        root.put("raw", d.raw());
        root.put("source", d.source());
        if (d.partition() >= 0) {
            root.put("partition", d.partition());
            root.put("offset", d.offset());
        } else {
            root.put("line", d.offset());
        }
        return new OutputRecord(Stream.DEAD_LETTERS, d.source(), bytes(root));
    }

    public static OutputRecord model(ModelUpdate m) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", m.version());
        root.put("cell", m.cell());
        root.put("config", m.config());
        root.putObject("metrics")
                .put("trainLoss", m.trainLoss())
                .put("validationLoss", m.validationLoss())
                .put("gradientNorm", m.gradientNorm())
                .put("samplesSeen", m.samplesSeen());
        root.put("parameterCount", m.params().length);
        root.put("parameters", encodeParams(m.params()));
        return new OutputRecord(Stream.MODELS, MODEL_KEY, bytes(root));
    }

    public static String encodeParams(float[] params) {
        ByteBuffer buf = ByteBuffer.allocate(params.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(params);
        return Base64.getEncoder().encodeToString(buf.array());
    }

    public static float[] decodeParams(String base64) {
        ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buf.remaining() / 4];
        buf.asFloatBuffer().get(out);
        return out;
    }

    /** JSON text of a string, quotes and escapes included. */
    public static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + node, e);
        }
    }
}

package io.streamcast.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.DriftCheck;
import io.streamcast.event.Forecast;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.event.Score;
import io.streamcast.model.NetworkSpec;
import io.streamcast.model.alert.AlertEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;

/**
 * Serialises output records to the JSON of docs/design.md §2 (timestamps as ISO-8601 UTC), keyed by
 * series id; model versions are keyed by a constant so that the compacted models topic keeps the
 * newest. Parameters travel as base64 of little-endian float32.
 *
 * <p>Implementation notes: forecasts and scores, one each per reading, are written field by field
 * with a streaming generator and a hand-rolled ISO-8601 formatter; building a JSON tree and
 * formatting through {@code DateTimeFormatter} per record showed up in profiles of the forecaster.
 * The rarer records use the tree.
 */
public final class OutputEncoder {
    /** Kafka key of every model record: one key, so compaction keeps just the newest version. */
    public static final String MODEL_KEY = "model";

    /** The models topic's key of drift events (not the models' key: compaction keeps both). */
    public static final String DRIFT_KEY = "drift";

    /**
     * Schubfach number formatting: several times faster than {@code Double.toString}, which
     * dominated encoding.
     */
    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private static final ObjectMapper JSON = JsonMapper.builder(FACTORY).build();

    /**
     * Epoch milliseconds from 0000-01-01T00:00:00Z up to 9999-12-31T23:59:59.999Z: four-digit
     * years.
     */
    private static final long FOUR_DIGIT_YEARS_FROM = -62167219200000L;

    private static final long FOUR_DIGIT_YEARS_UNTIL = 253402300800000L;

    // Field names of the per-reading records, quoted and encoded once instead of escaped character
    // by character for every record.
    private static final SerializableString SERIES = new SerializedString("series");
    private static final SerializableString TS = new SerializedString("ts");
    private static final SerializableString MODEL = new SerializedString("model");
    private static final SerializableString VERSION = new SerializedString("version");
    private static final SerializableString CELL = new SerializedString("cell");
    private static final SerializableString COLD_START = new SerializedString("coldStart");
    private static final SerializableString FORECAST = new SerializedString("forecast");
    private static final SerializableString STEP = new SerializedString("step");
    private static final SerializableString MEAN = new SerializedString("mean");
    private static final SerializableString LOWER = new SerializedString("lower");
    private static final SerializableString UPPER = new SerializedString("upper");
    private static final SerializableString SOURCE = new SerializedString("source");
    private static final SerializableString NETWORK = new SerializedString("network");
    private static final SerializableString ACTUAL = new SerializedString("actual");
    private static final SerializableString EXPECTED = new SerializedString("expected");
    private static final SerializableString RESIDUAL = new SerializedString("residual");
    private static final SerializableString SCORE = new SerializedString("score");
    private static final SerializableString SURPRISE = new SerializedString("surprise");
    private static final SerializableString CHANNEL = new SerializedString("channel");
    private static final SerializableString MODEL_VERSION = new SerializedString("modelVersion");

    private OutputEncoder() {}

    public static OutputRecord forecast(Forecast f) {
        return new OutputRecord(
                Stream.FORECASTS,
                f.series(),
                write(
                        g -> {
                            g.writeStartObject();
                            g.writeFieldName(SERIES);
                            g.writeString(f.series());
                            timestamp(g, TS, f.ts());
                            g.writeFieldName(MODEL);
                            g.writeStartObject();
                            g.writeFieldName(VERSION);
                            g.writeNumber(f.modelVersion());
                            g.writeFieldName(CELL);
                            g.writeString(f.cell());
                            g.writeEndObject();
                            g.writeFieldName(COLD_START);
                            g.writeBoolean(f.coldStart());
                            g.writeFieldName(FORECAST);
                            g.writeStartArray();
                            for (int k = 0; k < f.mean().length; k++) {
                                g.writeStartObject();
                                g.writeFieldName(STEP);
                                g.writeNumber(k + 1);
                                timestamp(g, TS, f.targetTs()[k]);
                                number(g, MEAN, f.mean()[k]);
                                number(g, LOWER, f.lower()[k]);
                                number(g, UPPER, f.upper()[k]);
                                if (f.source() != null) {
                                    g.writeFieldName(SOURCE);
                                    g.writeString(f.source()[k]);
                                }
                                if (f.network() != null) {
                                    number(g, NETWORK, f.network()[k]);
                                }
                                g.writeEndObject();
                            }
                            g.writeEndArray();
                            g.writeEndObject();
                        }));
    }

    public static OutputRecord score(Score s) {
        return new OutputRecord(
                Stream.SCORES,
                s.series(),
                write(
                        g -> {
                            g.writeStartObject();
                            g.writeFieldName(SERIES);
                            g.writeString(s.series());
                            timestamp(g, TS, s.ts());
                            number(g, ACTUAL, s.actual());
                            number(g, EXPECTED, s.expected());
                            number(g, LOWER, s.lower());
                            number(g, UPPER, s.upper());
                            number(g, RESIDUAL, s.residual());
                            number(g, SCORE, s.score());
                            number(g, SURPRISE, s.surprise());
                            g.writeFieldName(CHANNEL);
                            g.writeString(s.channel());
                            if (s.modelVersion() >= 0) {
                                g.writeFieldName(MODEL_VERSION);
                                g.writeNumber(s.modelVersion());
                            }
                            g.writeEndObject();
                        }));
    }

    private static void number(JsonGenerator g, SerializableString name, double value)
            throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    /** An ISO-8601 timestamp: ASCII that needs no escaping, so its bytes go out as they are. */
    private static void timestamp(JsonGenerator g, SerializableString name, long epochMillis)
            throws IOException {
        g.writeFieldName(name);
        byte[] ascii = isoAscii(epochMillis);
        g.writeRawUTF8String(ascii, 0, ascii.length);
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
        root.put("channel", a.channel());
        root.put("surprise", a.surprise());
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

    /** A model version trained with {@code network}, for the models topic and model files. */
    public static OutputRecord model(ModelUpdate m, NetworkSpec network) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", m.version());
        root.put("cell", m.cell());
        NetworkJson.write(root, network);
        root.putObject("metrics")
                .put("trainLoss", m.trainLoss())
                .put("validationLoss", m.validationLoss())
                .put("gradientNorm", m.gradientNorm())
                .put("samplesSeen", m.samplesSeen());
        root.put("parameterCount", m.params().length);
        root.put("parameters", encodeParams(m.params()));
        return new OutputRecord(Stream.MODELS, MODEL_KEY, bytes(root));
    }

    /**
     * A drift event for the models topic: the check's numbers, its time when known, and what the
     * round it started did (the version it promoted, or null).
     */
    public static OutputRecord drift(DriftCheck d, ModelUpdate promoted) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode drift = root.putObject("drift");
        if (d.ts() != Long.MIN_VALUE) {
            drift.put("ts", iso(d.ts()));
        }
        drift.put("recentLoss", d.recentLoss())
                .put("validationLoss", d.validationLoss())
                .put("statistic", d.statistic())
                .put("threshold", d.threshold())
                .put("samplesSeen", d.samplesSeen());
        ObjectNode round = root.putObject("round").put("promoted", promoted != null);
        if (promoted != null) {
            round.put("version", promoted.version());
        }
        return new OutputRecord(Stream.MODELS, DRIFT_KEY, bytes(root));
    }

    public static String encodeParams(float[] params) {
        ByteBuffer buf = ByteBuffer.allocate(params.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(params);
        return Base64.getEncoder().encodeToString(buf.array());
    }

    public static float[] decodeParams(String base64) {
        ByteBuffer buf =
                ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
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

    /**
     * What {@code Instant.ofEpochMilli(epochMillis).toString()} returns, without a formatter for
     * four-digit years (a {@code DateTimeFormatter} costs microseconds per call: a lot at one
     * timestamp or more per event).
     */
    public static String iso(long epochMillis) {
        return new String(isoAscii(epochMillis), StandardCharsets.US_ASCII);
    }

    /** {@link #iso} as ASCII bytes. */
    private static byte[] isoAscii(long epochMillis) {
        if (epochMillis < FOUR_DIGIT_YEARS_FROM || epochMillis >= FOUR_DIGIT_YEARS_UNTIL) {
            return Instant.ofEpochMilli(epochMillis).toString().getBytes(StandardCharsets.US_ASCII);
        }
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        int millisOfDay = (int) Math.floorMod(epochMillis, 86_400_000L);
        LocalDate date = LocalDate.ofEpochDay(day);
        int millis = millisOfDay % 1000;
        byte[] c = new byte[millis == 0 ? 20 : 24];
        digits(c, 0, date.getYear(), 4);
        c[4] = '-';
        digits(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, millisOfDay / 3_600_000, 2);
        c[13] = ':';
        digits(c, 14, millisOfDay / 60_000 % 60, 2);
        c[16] = ':';
        digits(c, 17, millisOfDay / 1000 % 60, 2);
        if (millis != 0) {
            c[19] = '.';
            digits(c, 20, millis, 3);
        }
        c[c.length - 1] = 'Z';
        return c;
    }

    private static void digits(byte[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Writes one JSON document. */
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        return WRITERS.get().write(body);
    }

    /**
     * One generator per thread, kept across records: creating and closing a generator per record
     * (buffers acquired and released each time) showed up in profiles. Records are written as
     * separate root values with no separator between them, each taken out of the shared buffer when
     * it ends.
     */
    private static final ThreadLocal<ReusedWriter> WRITERS =
            ThreadLocal.withInitial(ReusedWriter::new);

    private static final class ReusedWriter {
        private final ByteArrayBuilder out = new ByteArrayBuilder(512);
        private final JsonGenerator g;

        ReusedWriter() {
            try {
                g = FACTORY.createGenerator(out);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            g.setRootValueSeparator(null);
        }

        byte[] write(Body body) {
            try {
                body.write(g);
                g.flush();
                return out.toByteArray();
            } catch (IOException | RuntimeException e) {
                WRITERS.remove(); // the generator may be mid-document: the next record gets a
                // fresh one
                throw new IllegalStateException("cannot serialise an output record", e);
            } finally {
                out.reset();
            }
        }
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + node, e);
        }
    }
}

package io.streamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.Forecast;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.event.Score;
import io.streamcast.io.AlertOutput;
import io.streamcast.io.DriftOutput;
import io.streamcast.io.ModelOutput;
import io.streamcast.io.ModelsRecord;
import io.streamcast.io.OutputDecoder;
import io.streamcast.io.OutputEncoder;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One record of a topic as one line a person reads ({@code tail} without {@code --raw}): the fields
 * that matter of each stream, numbers to 5 significant digits. A record that does not have its
 * stream's fields is printed as it is, so nothing on the topic is hidden.
 */
final class OutputLines {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MathContext DIGITS = new MathContext(5);

    private OutputLines() {}

    /** {@code stream}: an output stream's display name ({@code forecasts}, ...) or events. */
    static String format(String stream, byte[] value) {
        String raw = value == null ? "" : new String(value, StandardCharsets.UTF_8);
        try {
            Optional<Stream> output = Stream.of(stream);
            String line = output.isPresent() ? output(output.get(), value) : event(readTree(raw));
            return line != null ? line : raw;
        } catch (RuntimeException unreadable) {
            return raw;
        }
    }

    /** The line of an output record; null when it lacks what the line shows. */
    private static String output(Stream stream, byte[] value) {
        return switch (stream) {
            case FORECASTS -> forecast(OutputDecoder.forecast(value));
            case SCORES -> score(OutputDecoder.score(value));
            case ALERTS -> alert(OutputDecoder.alert(value));
            case MODELS -> model(OutputDecoder.models(value));
            case DEAD_LETTERS -> deadLetter(OutputDecoder.deadLetter(value));
        };
    }

    private static String forecast(Forecast f) {
        int n = f.mean().length;
        if (n == 0) {
            return null;
        }
        return head(f.ts(), f.series())
                + "forecast for "
                + OutputEncoder.iso(f.targetTs()[0])
                + ": "
                + num(f.mean()[0])
                + " ["
                + num(f.lower()[0])
                + ", "
                + num(f.upper()[0])
                + "] "
                + (f.source() == null || f.source()[0] == null ? "" : f.source()[0])
                + (n > 1
                        ? ", ... "
                                + OutputEncoder.iso(f.targetTs()[n - 1])
                                + ": "
                                + num(f.mean()[n - 1])
                                + " ("
                                + n
                                + " steps)"
                        : "")
                + ", model v"
                + f.modelVersion()
                + (f.coldStart() ? " (cold start)" : "");
    }

    private static String score(Score s) {
        return head(s.ts(), s.series())
                + "actual "
                + num(s.actual())
                + ", expected "
                + num(s.expected())
                + " ["
                + num(s.lower())
                + ", "
                + num(s.upper())
                + "], score "
                + num(s.score());
    }

    private static String alert(AlertOutput a) {
        return head(a.ts(), a.series())
                + "alert "
                + a.state().toUpperCase(java.util.Locale.ROOT)
                + " "
                + a.severity()
                + " "
                + a.alertId()
                + ", score "
                + num(a.score())
                + ": "
                + a.reason();
    }

    private static String model(ModelsRecord record) {
        if (record instanceof DriftOutput d) {
            return "drift: loss on new windows "
                    + num(d.recentLoss())
                    + " against validation loss "
                    + num(d.validationLoss())
                    + " (Page-Hinkley "
                    + num(d.statistic())
                    + " > "
                    + num(d.threshold())
                    + ") after "
                    + d.samplesSeen()
                    + " samples; "
                    + (d.promoted() ? "its round promoted v" + d.version() : "no version promoted");
        }
        ModelOutput m = (ModelOutput) record;
        return "model v"
                + m.version()
                + " "
                + m.cell()
                + ": training loss "
                + num(m.trainLoss())
                + ", validation loss "
                + num(m.validationLoss())
                + ", "
                + m.samplesSeen()
                + " samples seen, "
                + m.parameterCount()
                + " parameters";
    }

    private static String deadLetter(DeadLetter d) {
        String at =
                d.partition() >= 0
                        ? " partition " + d.partition() + " offset " + d.offset()
                        : d.offset() >= 0 ? " line " + d.offset() : "";
        return d.reason().name()
                + "  "
                + d.source()
                + at
                + ": "
                + d.message()
                + "; raw: "
                + d.raw();
    }

    private static JsonNode readTree(String raw) {
        try {
            return JSON.readTree(raw);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
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

    private static String head(long ts, String series) {
        return OutputEncoder.iso(ts) + "  " + series + "  ";
    }

    private static boolean has(JsonNode r, String... fields) {
        for (String f : fields) {
            if (r == null || !r.hasNonNull(f)) {
                return false;
            }
        }
        return true;
    }

    private static String num(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return BigDecimal.valueOf(v).round(DIGITS).stripTrailingZeros().toPlainString();
    }
}

package io.streamcast.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamcast.event.Forecast;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.event.Score;
import io.streamcast.io.AlertOutput;
import io.streamcast.io.DriftOutput;
import io.streamcast.io.ModelOutput;
import io.streamcast.io.ModelsRecord;
import io.streamcast.io.OutputDecoder;
import io.streamcast.report.SkippedRecords;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * What the live page shows, kept in bounded memory: per series the last {@code pointsPerSeries}
 * scored readings, the newest forecast ahead, recent alerts and model-version changes, for at most
 * {@code maxSeries} series (the one updated longest ago is dropped first); plus the newest model
 * versions, drift events and alert events overall. Fed records of the output topics by one thread,
 * read as JSON by others.
 *
 * <p>Records are read tolerantly: unknown fields are ignored, and a record that cannot be read (not
 * JSON, no series, a time that is not one) is skipped and counted, the first one's reason shown on
 * the page; it never costs the records after it.
 */
public final class LiveStore {
    /**
     * Model versions, drift events and alert events kept for the page's tables; alert spans and
     * version marks per series.
     */
    static final int RECENT = 50;

    static final int MARKS_PER_SERIES = 32;

    /** The output streams the page shows (dead letters are not). */
    public static final Set<Stream> STREAMS =
            Collections.unmodifiableSet(
                    EnumSet.of(Stream.FORECASTS, Stream.SCORES, Stream.ALERTS, Stream.MODELS));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int pointsPerSeries;
    private final int maxSeries;
    private final LongSupplier clock;
    private final Map<String, Series> series;
    private final ArrayDeque<ObjectNode> models = new ArrayDeque<>();

    /** The newest drift events, newest first; drifts are global, every series' chart marks them. */
    private final ArrayDeque<ObjectNode> drifts = new ArrayDeque<>();

    /**
     * The {@link #RECENT} newest alert events by event time: the topic's partitions interleave
     * series, so arrival order is not time order.
     */
    private final TreeMap<AlertKey, ObjectNode> alerts = new TreeMap<>();

    private long alertEvents;
    private long records;
    private final SkippedRecords unreadable = new SkippedRecords();
    private long dropped;
    private long lastRecordAt = Long.MIN_VALUE;
    private String error;

    /** {@code clock}: wall-clock milliseconds, only to show how long ago the last record came. */
    public LiveStore(int pointsPerSeries, int maxSeries, LongSupplier clock) {
        if (pointsPerSeries < 2 || maxSeries < 1) {
            throw new IllegalArgumentException(
                    "points per series must be at least 2 and series at least 1, got "
                            + pointsPerSeries
                            + " and "
                            + maxSeries);
        }
        this.pointsPerSeries = pointsPerSeries;
        this.maxSeries = maxSeries;
        this.clock = clock;
        // Each update re-inserts its series at the end (seriesOf), so the eldest entry is the least
        // recently updated.
        this.series =
                new LinkedHashMap<>() {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Series> eldest) {
                        if (size() > LiveStore.this.maxSeries) {
                            dropped++;
                            return true;
                        }
                        return false;
                    }
                };
    }

    /** One record of an output stream; streams the page does not show are ignored. */
    public synchronized void accept(Stream stream, byte[] value) {
        records++;
        lastRecordAt = clock.getAsLong();
        error = null;
        String why = null;
        try {
            switch (stream) {
                case FORECASTS -> forecast(OutputDecoder.forecast(value));
                case SCORES -> score(OutputDecoder.score(value));
                case ALERTS -> alert(OutputDecoder.alert(value));
                case MODELS -> model(OutputDecoder.models(value));
                default -> {}
            }
        } catch (OutputDecoder.Unreadable e) {
            why = e.getMessage();
        } catch (RuntimeException e) {
            // The reader thread feeds whole batches: an exception here would lose the rest of one.
            why = e.getClass().getSimpleName();
        }
        if (why != null) {
            unreadable.skip("a " + stream.displayName() + " record", why);
        }
    }

    /** A problem reading the topics, shown on the page until the next record arrives. */
    public synchronized void error(String message) {
        error = message;
    }

    public synchronized int seriesCount() {
        return series.size();
    }

    /** Scored readings held for {@code name} (0 when unknown). */
    public synchronized int points(String name) {
        Series s = series.get(name);
        return s == null ? 0 : s.size;
    }

    private Series seriesOf(String name) {
        Series s = series.remove(name);
        series.put(name, s == null ? new Series(pointsPerSeries) : s);
        return series.get(name);
    }

    private void forecast(Forecast f) {
        Series s = seriesOf(f.series());
        s.readings++;
        long version = f.modelVersion();
        if (s.version >= 0 && version != s.version) {
            s.versions.addLast(new long[] {f.ts(), version});
            trim(s.versions, MARKS_PER_SERIES);
        }
        s.version = version;
        if (f.ts() >= s.aheadFrom) {
            s.aheadFrom = f.ts();
            s.aheadTs = f.targetTs();
            s.aheadMean = f.mean();
            s.aheadLower = f.lower();
            s.aheadUpper = f.upper();
        }
    }

    private void score(Score r) {
        seriesOf(r.series()).add(r.ts(), r.actual(), r.expected(), r.lower(), r.upper(), r.score());
    }

    private void alert(AlertOutput a) {
        Series s = seriesOf(a.series());
        Span span = s.alerts.get(a.alertId());
        if (span == null) {
            span = new Span(a.openedAt() == Long.MIN_VALUE ? a.ts() : a.openedAt());
            s.alerts.put(a.alertId(), span);
            if (s.alerts.size() > MARKS_PER_SERIES) {
                Iterator<String> eldest = s.alerts.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        if (!a.severity().isEmpty()) {
            span.severity = a.severity();
        }
        if (Double.isFinite(a.score()) && !(a.score() <= span.peak)) {
            span.peak = a.score();
        }
        if (a.state().equals("open")) {
            span.reason = a.reason();
        }
        if (a.state().equals("resolve")) {
            span.resolved = a.ts();
        }
        ObjectNode event = JSON.createObjectNode();
        event.put("series", a.series());
        event.put("state", a.state());
        event.put("ts", Instant.ofEpochMilli(a.ts()).toString());
        event.put("severity", a.severity());
        number(event, "score", a.score());
        event.put("reason", a.reason());
        alerts.put(new AlertKey(a.ts(), alertEvents++), event);
        if (alerts.size() > RECENT) {
            alerts.pollFirstEntry();
        }
    }

    private void model(ModelsRecord record) {
        if (record instanceof DriftOutput d) {
            drift(d);
            return;
        }
        ModelOutput m = (ModelOutput) record;
        ObjectNode v = JSON.createObjectNode();
        v.put("version", m.version());
        v.put("cell", m.cell());
        v.put("config", m.network());
        number(v, "trainLoss", m.trainLoss());
        number(v, "validationLoss", m.validationLoss());
        v.put("samplesSeen", m.samplesSeen());
        models.removeIf(o -> o.path("version").asLong() == m.version());
        models.addFirst(v);
        trim(models, RECENT);
    }

    /** A drift event; the model version its round promoted is a record of its own. */
    private void drift(DriftOutput drift) {
        ObjectNode e = JSON.createObjectNode();
        if (drift.ts() == Long.MIN_VALUE) {
            e.putNull("ts"); // from a build whose drift events had no time: listed, not marked
        } else {
            e.put("ts", Instant.ofEpochMilli(drift.ts()).toString());
            e.put("t", seconds(drift.ts()));
        }
        number(e, "recentLoss", drift.recentLoss());
        number(e, "validationLoss", drift.validationLoss());
        number(e, "statistic", drift.statistic());
        number(e, "threshold", drift.threshold());
        e.put("samplesSeen", drift.samplesSeen());
        e.put("promoted", drift.promoted());
        if (drift.promoted()) {
            e.put("version", drift.version());
        }
        drifts.addFirst(e);
        trim(drifts, RECENT);
    }

    /**
     * The page's state: counters, the series (name, readings, open alerts), recent models, drift
     * events and alerts, and the data of {@code selected} (or, when it is unknown, of the first
     * series with an open alert, else the first by name).
     */
    public synchronized ObjectNode state(String selected) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode stats = root.putObject("stats");
        stats.put("records", records);
        stats.put("unreadable", unreadable.count());
        if (unreadable.count() > 0) {
            stats.put("unreadableNote", unreadable.summary());
        }
        stats.put("series", series.size());
        stats.put("seriesDropped", dropped);
        stats.put("pointsPerSeries", pointsPerSeries);
        stats.put("maxSeries", maxSeries);
        if (lastRecordAt != Long.MIN_VALUE) {
            stats.put("lastRecordAgeMs", Math.max(0, clock.getAsLong() - lastRecordAt));
        }
        if (error != null) {
            stats.put("error", error);
        }
        List<String> names = new ArrayList<>(series.keySet());
        names.sort(null);
        String chosen = names.contains(selected) ? selected : null;
        ArrayNode list = root.putArray("series");
        for (String name : names) {
            Series s = peek(name);
            int open = s.openAlerts();
            if (chosen == null && open > 0) {
                chosen = name;
            }
            list.addObject()
                    .put("name", name)
                    .put("readings", s.readings)
                    .put("openAlerts", open)
                    .put("version", s.version);
        }
        if (chosen == null && !names.isEmpty()) {
            chosen = names.get(0);
        }
        if (chosen != null) {
            root.put("selected", chosen);
            ObjectNode data = peek(chosen).toJson();
            // [t, version promoted or -1], oldest first, as the charts draw version marks.
            ArrayNode marks = data.putArray("drifts");
            drifts.descendingIterator()
                    .forEachRemaining(
                            e -> {
                                if (e.has("t")) {
                                    marks.addArray()
                                            .add(e.get("t").asDouble())
                                            .add(e.path("version").asLong(-1));
                                }
                            });
            root.set("data", data);
        }
        root.putArray("models").addAll(new ArrayList<>(models));
        root.putArray("drifts").addAll(new ArrayList<>(drifts));
        root.putArray("alerts").addAll(alerts.descendingMap().values());
        root.put("alertEvents", alertEvents);
        return root;
    }

    private Series peek(String name) {
        return series.get(name);
    }

    /** An alert event's time, then its arrival number (to keep events of the same time apart). */
    private record AlertKey(long ts, long arrival) implements Comparable<AlertKey> {
        @Override
        public int compareTo(AlertKey o) {
            int byTime = Long.compare(ts, o.ts);
            return byTime != 0 ? byTime : Long.compare(arrival, o.arrival);
        }
    }

    private static void trim(ArrayDeque<?> deque, int max) {
        while (deque.size() > max) {
            deque.removeLast();
        }
    }

    private static void number(ObjectNode node, String field, double v) {
        if (Double.isFinite(v)) {
            node.put(field, v);
        } else {
            node.putNull(field);
        }
    }

    private static void number(ArrayNode array, double v) {
        if (Double.isFinite(v)) {
            array.add(v);
        } else {
            array.addNull();
        }
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }

    private static final class Span {
        final long opened;
        long resolved = Long.MIN_VALUE;
        String severity = "";
        double peak = Double.NaN;
        String reason = "";

        Span(long opened) {
            this.opened = opened;
        }
    }

    /** One series: a ring of the last readings and what the page marks on them. */
    private static final class Series {
        final long[] ts;
        final double[] actual;
        final double[] expected;
        final double[] lower;
        final double[] upper;
        final double[] score;
        int start;
        int size;
        long readings;
        long version = -1;
        final ArrayDeque<long[]> versions = new ArrayDeque<>();
        final LinkedHashMap<String, Span> alerts = new LinkedHashMap<>();
        long aheadFrom = Long.MIN_VALUE;
        long[] aheadTs = new long[0];
        double[] aheadMean = new double[0];
        double[] aheadLower = new double[0];
        double[] aheadUpper = new double[0];

        Series(int capacity) {
            ts = new long[capacity];
            actual = new double[capacity];
            expected = new double[capacity];
            lower = new double[capacity];
            upper = new double[capacity];
            score = new double[capacity];
        }

        void add(long t, double a, double e, double lo, double hi, double s) {
            int i = (start + size) % ts.length;
            if (size == ts.length) {
                start = (start + 1) % ts.length;
            } else {
                size++;
            }
            ts[i] = t;
            actual[i] = a;
            expected[i] = e;
            lower[i] = lo;
            upper[i] = hi;
            score[i] = s;
        }

        int openAlerts() {
            int n = 0;
            for (Span s : alerts.values()) {
                if (s.resolved == Long.MIN_VALUE) {
                    n++;
                }
            }
            return n;
        }

        ObjectNode toJson() {
            ObjectNode d = JSON.createObjectNode();
            ArrayNode t = d.putArray("t");
            ArrayNode a = d.putArray("actual");
            ArrayNode e = d.putArray("expected");
            ArrayNode lo = d.putArray("lower");
            ArrayNode hi = d.putArray("upper");
            ArrayNode sc = d.putArray("score");
            long last = Long.MIN_VALUE;
            for (int k = 0; k < size; k++) {
                int i = (start + k) % ts.length;
                t.add(seconds(ts[i]));
                number(a, actual[i]);
                number(e, expected[i]);
                number(lo, lower[i]);
                number(hi, upper[i]);
                number(sc, score[i]);
                last = ts[i];
            }
            ArrayNode spans = d.putArray("alerts");
            for (Span s : alerts.values()) {
                ArrayNode span = spans.addArray().add(seconds(s.opened));
                if (s.resolved == Long.MIN_VALUE) {
                    span.addNull();
                } else {
                    span.add(seconds(s.resolved));
                }
                span.add(s.severity);
                number(span, s.peak);
                span.add(s.reason);
            }
            ArrayNode marks = d.putArray("versions");
            for (long[] v : versions) {
                marks.addArray().add(seconds(v[0])).add(v[1]);
            }
            // The forecast ahead: the steps after the last reading shown, from the newest forecast.
            ObjectNode ahead = d.putObject("ahead");
            ArrayNode at = ahead.putArray("t");
            ArrayNode am = ahead.putArray("mean");
            ArrayNode al = ahead.putArray("lower");
            ArrayNode au = ahead.putArray("upper");
            for (int k = 0; k < aheadTs.length; k++) {
                if (aheadTs[k] > last && aheadTs[k] != Long.MIN_VALUE) {
                    at.add(seconds(aheadTs[k]));
                    number(am, aheadMean[k]);
                    number(al, aheadLower[k]);
                    number(au, aheadUpper[k]);
                }
            }
            d.put("readings", readings);
            d.put("version", version);
            return d;
        }
    }
}

package io.streamcast.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One series as the job reported it: each scored reading (actual, the one-step forecast made before
 * it with its interval, the anomaly score), the model version of each forecast, and the alerts'
 * lifecycles; plus the summary of the report's overview table. Filled by {@link RunOutputs}, then
 * read only.
 */
public final class SeriesTrace {
    /** A scored reading: the actual value against the forecast made at the reading before. */
    public record Point(
            long ts, double actual, double expected, double lower, double upper, double score) {}

    /**
     * An alert from open to resolve; {@code resolved} is {@link Long#MIN_VALUE} while it is still
     * open.
     */
    public record AlertSpan(
            String id,
            long opened,
            long resolved,
            String severity,
            double peakScore,
            String reason) {
        public boolean isOpen() {
            return resolved == Long.MIN_VALUE;
        }
    }

    /** The first forecast of the series made by {@code version} after another version. */
    public record VersionChange(long ts, long version) {}

    /**
     * The overview row. The errors are over the readings whose forecast was not a cold start and
     * whose previous reading is known (the same readings for the model and for repeat-last); {@code
     * coverage} is the share of those inside the interval. NaN when there are none.
     */
    public record Summary(
            long readings,
            int compared,
            double modelMae,
            double repeatLastMae,
            double coverage,
            int alertsOpened,
            int versionChanges) {}

    private final String name;
    private final List<Point> points = new ArrayList<>();

    /** Per forecast: {ts, coldStart (0/1), model version}. */
    private final List<long[]> forecasts = new ArrayList<>();

    private final Map<String, MutableSpan> alerts = new LinkedHashMap<>();
    private boolean sorted = true;

    SeriesTrace(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    void addPoint(Point p) {
        if (!points.isEmpty() && points.get(points.size() - 1).ts() > p.ts()) {
            sorted = false;
        }
        points.add(p);
    }

    void addForecast(long ts, boolean coldStart, long version) {
        if (!forecasts.isEmpty() && forecasts.get(forecasts.size() - 1)[0] > ts) {
            sorted = false;
        }
        forecasts.add(new long[] {ts, coldStart ? 1 : 0, version});
    }

    void addAlert(
            String id,
            String state,
            long ts,
            long openedAt,
            String severity,
            double score,
            String reason) {
        MutableSpan span = alerts.computeIfAbsent(id, k -> new MutableSpan());
        if (state.equals("open") || span.opened == Long.MIN_VALUE) {
            span.opened = openedAt != Long.MIN_VALUE ? openedAt : ts;
        }
        if (state.equals("open")) {
            span.reason = reason;
            span.wasOpened = true;
        }
        if (state.equals("resolve")) {
            span.resolved = ts;
        }
        if (rank(severity) > rank(span.severity)) {
            span.severity = severity;
        }
        if (Double.isFinite(score) && !(score <= span.peakScore)) {
            span.peakScore = score;
        }
    }

    /**
     * Puts readings in time order (one series' records arrive in order; this guards against merged
     * outputs).
     */
    void finish() {
        if (!sorted) {
            points.sort(Comparator.comparingLong(Point::ts));
            forecasts.sort(Comparator.comparingLong(f -> f[0]));
            sorted = true;
        }
    }

    /** The scored readings in time order. */
    public List<Point> points() {
        return points;
    }

    public List<AlertSpan> alerts() {
        List<AlertSpan> out = new ArrayList<>();
        alerts.forEach(
                (id, s) ->
                        out.add(
                                new AlertSpan(
                                        id,
                                        s.opened,
                                        s.resolved,
                                        s.severity,
                                        s.peakScore,
                                        s.reason == null ? "" : s.reason)));
        out.sort(Comparator.comparingLong(AlertSpan::opened));
        return out;
    }

    /**
     * Every change of the serving model version in this series' forecasts, after its first
     * forecast.
     */
    public List<VersionChange> versionChanges() {
        List<VersionChange> out = new ArrayList<>();
        for (int i = 1; i < forecasts.size(); i++) {
            if (forecasts.get(i)[2] != forecasts.get(i - 1)[2]) {
                out.add(new VersionChange(forecasts.get(i)[0], forecasts.get(i)[2]));
            }
        }
        return out;
    }

    /** The model version of the first forecast (-1 with no forecasts). */
    public long firstVersion() {
        return forecasts.isEmpty() ? -1 : forecasts.get(0)[2];
    }

    public Summary summary() {
        double model = 0;
        double repeat = 0;
        int inside = 0;
        int n = 0;
        int f = -1; // the last forecast made before the current point
        for (int i = 1; i < points.size(); i++) {
            Point p = points.get(i);
            while (f + 1 < forecasts.size() && forecasts.get(f + 1)[0] < p.ts()) {
                f++;
            }
            boolean coldStart = f < 0 || forecasts.get(f)[1] == 1;
            double previous = points.get(i - 1).actual();
            if (coldStart
                    || !Double.isFinite(p.actual())
                    || !Double.isFinite(p.expected())
                    || !Double.isFinite(previous)) {
                continue;
            }
            model += Math.abs(p.actual() - p.expected());
            repeat += Math.abs(p.actual() - previous);
            if (p.lower() <= p.actual() && p.actual() <= p.upper()) {
                inside++;
            }
            n++;
        }
        long readings =
                forecasts.isEmpty() ? points.size() + (points.isEmpty() ? 0 : 1) : forecasts.size();
        int opened = (int) alerts.values().stream().filter(s -> s.wasOpened).count();
        return new Summary(
                readings,
                n,
                n == 0 ? Double.NaN : model / n,
                n == 0 ? Double.NaN : repeat / n,
                n == 0 ? Double.NaN : (double) inside / n,
                opened,
                versionChanges().size());
    }

    private static int rank(String severity) {
        if (severity == null) {
            return 0;
        }
        return switch (severity) {
            case "critical" -> 3;
            case "warning" -> 2;
            default -> 1;
        };
    }

    private static final class MutableSpan {
        long opened = Long.MIN_VALUE;
        long resolved = Long.MIN_VALUE;
        String severity;
        double peakScore = Double.NaN;
        String reason;
        boolean wasOpened;
    }
}

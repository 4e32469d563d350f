package io.streamcast.report;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.streamcast.io.DriftOutput;
import io.streamcast.io.ModelOutput;
import io.streamcast.report.SeriesTrace.AlertSpan;
import io.streamcast.report.SeriesTrace.Point;
import io.streamcast.report.SeriesTrace.Summary;
import io.streamcast.report.SeriesTrace.VersionChange;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one self-contained HTML file from a run's outputs: an overview table (per series:
 * readings, one-step MAE of the model against repeat-last, interval coverage, alerts opened, model
 * changes), per series zoomable charts of the actual values, the one-step forecast with its
 * interval band, the anomaly score, alert spans, model-version changes and drift events, and a
 * table of the model versions and drift events ({@link ModelsSection}). uPlot and the data are
 * inlined: the file opens offline.
 *
 * <p>Implementation notes: the overview is computed from every reading; the charts draw at most
 * {@code maxPoints} readings per series ({@link Downsampler}: per run of readings the lowest and
 * highest actual and the highest score), and {@link #PAGE_POINTS} on the page, which bounds the
 * file at roughly 25 bytes per drawn value. With many series the page draws a series' charts when
 * the reader opens it from the overview (report.html's script), not all at load. Times are written
 * as differences in seconds and values to five significant digits (the score to four decimals),
 * finer than a screen pixel.
 */
public final class HtmlReport {
    /** Readings drawn per series by default: about twice the width of a chart in pixels. */
    public static final int DEFAULT_MAX_POINTS = 2400;

    /**
     * Readings drawn on the whole page at most (about 20 MB of chart data): with more than 208
     * series at the default, each series draws fewer, so that the file stays loadable at any number
     * of series. {@code maxPoints <= 0} (draw all) is obeyed as asked.
     */
    static final int PAGE_POINTS = 500_000;

    /** Fewest readings drawn per series under {@link #PAGE_POINTS}: a run of lowest and highest. */
    static final int MIN_POINTS = 4;

    private static final MathContext DIGITS = new MathContext(5);

    private HtmlReport() {}

    /** Writes {@code output/report.html} (creating the folder) and returns its path. */
    public static Path write(RunOutputs run, Path output, int maxPoints) throws IOException {
        Files.createDirectories(output);
        Path file = output.resolve("report.html");
        Files.writeString(file, render(run, maxPoints, Instant.now()), StandardCharsets.UTF_8);
        return file;
    }

    /** The page; {@code generatedAt} is only shown. */
    public static String render(RunOutputs run, int maxPoints, Instant generatedAt) {
        return render(run, maxPoints, PAGE_POINTS, generatedAt);
    }

    /** The page, drawing at most {@code pagePoints} readings in all (tests use small budgets). */
    static String render(RunOutputs run, int maxPoints, int pagePoints, Instant generatedAt) {
        String template = WebAssets.resource("io/streamcast/report/report.html");
        Map<String, SeriesTrace> series = run.series();
        long readings = 0;
        long alerts = 0;
        for (SeriesTrace t : series.values()) {
            Summary s = t.summary();
            readings += s.readings();
            alerts += s.alertsOpened();
        }
        String folder = run.directory().toAbsolutePath().normalize().toString();
        String summary =
                String.format(
                        Locale.ROOT,
                        "%s &middot; %,d series &middot; %,d readings &middot; %,d alerts"
                                + " opened &middot; %d model versions promoted%s%s &middot; generated %s",
                        escape(folder),
                        series.size(),
                        readings,
                        alerts,
                        run.models().size(),
                        modelText(run.models()),
                        run.drifts().isEmpty()
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        " &middot; <a href=\"#models\">%d drift event%s</a>",
                                        run.drifts().size(),
                                        run.drifts().size() == 1 ? "" : "s"),
                        generatedAt.truncatedTo(ChronoUnit.SECONDS));
        return WebAssets.fill(
                template,
                Map.of(
                        "TITLE",
                                escape(
                                        "Streamcast report: "
                                                + run.directory()
                                                        .toAbsolutePath()
                                                        .normalize()
                                                        .getFileName()),
                        "UPLOT_CSS", WebAssets.uplotStyle(),
                        "PAGE_CSS", WebAssets.pageStyle(),
                        "SUMMARY", summary,
                        "OVERVIEW", overview(series),
                        "SKIPPED",
                                run.skippedLines() == 0
                                        ? ""
                                        : "<p class=\"note\">"
                                                + escape(capitalised(run.skipped().summary()))
                                                + ".</p>",
                        "MODELS", ModelsSection.html(run.models(), run.drifts()),
                        "DATA",
                                data(
                                        series,
                                        drawnPerSeries(maxPoints, series.size(), pagePoints),
                                        run.drifts()),
                        "UPLOT_JS", WebAssets.uplotScript(),
                        "CHARTS_JS", WebAssets.chartsScript()));
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String modelText(List<ModelOutput> models) {
        if (models.isEmpty()) {
            return "";
        }
        ModelOutput last = models.get(models.size() - 1);
        return String.format(
                Locale.ROOT,
                " (latest v%d: %s, validation loss %s)",
                last.version(),
                escape(last.network().isEmpty() ? last.cell() : last.network()),
                significant(last.validationLoss()));
    }

    private static String overview(Map<String, SeriesTrace> series) {
        StringBuilder h = new StringBuilder();
        h.append("<table id=\"overview-table\" class=\"sortable\"><thead><tr>")
                .append("<th data-type=\"text\">series</th><th>readings</th><th>compared</th>")
                .append("<th>MAE model</th><th>MAE repeat-last</th><th>model / repeat-last</th>")
                .append("<th>interval coverage</th><th>alerts opened</th><th>model changes</th>")
                .append("</tr></thead><tbody>");
        int i = 0;
        int better = 0;
        int compared = 0;
        for (SeriesTrace t : series.values()) {
            Summary s = t.summary();
            double ratio = s.modelMae() / s.repeatLastMae();
            if (Double.isFinite(ratio)) {
                compared++;
                if (ratio < 1) {
                    better++;
                }
            }
            h.append("<tr data-series=\"")
                    .append(escape(t.name()))
                    .append("\">")
                    .append("<td data-value=\"")
                    .append(escape(t.name()))
                    .append("\"><a href=\"#s-")
                    .append(i)
                    .append("\">")
                    .append(escape(t.name()))
                    .append("</a></td>")
                    .append(cell(s.readings(), String.format(Locale.ROOT, "%,d", s.readings())))
                    .append(cell(s.compared(), String.format(Locale.ROOT, "%,d", s.compared())))
                    .append(cell(s.modelMae(), significant(s.modelMae())))
                    .append(cell(s.repeatLastMae(), significant(s.repeatLastMae())));
            String ratioClass =
                    !Double.isFinite(ratio) ? "" : ratio < 1 ? " class=\"good\"" : " class=\"bad\"";
            h.append("<td data-value=\"")
                    .append(sortKey(ratio))
                    .append("\"")
                    .append(ratioClass)
                    .append(">")
                    .append(
                            Double.isFinite(ratio)
                                    ? String.format(Locale.ROOT, "%.0f%%", 100 * ratio)
                                    : "&ndash;")
                    .append("</td>")
                    .append(
                            cell(
                                    s.coverage(),
                                    Double.isFinite(s.coverage())
                                            ? String.format(
                                                    Locale.ROOT, "%.1f%%", 100 * s.coverage())
                                            : "&ndash;"))
                    .append(cell(s.alertsOpened(), Integer.toString(s.alertsOpened())))
                    .append(cell(s.versionChanges(), Integer.toString(s.versionChanges())))
                    .append("</tr>");
            i++;
        }
        h.append("</tbody></table>");
        h.append(
                String.format(
                        Locale.ROOT,
                        "<p class=\"note\">The model's one-step forecast beats repeat-last on"
                                + " %d of %d series. Errors and coverage are over the readings whose forecast was not a cold start"
                                + " (<em>compared</em>); repeat-last forecasts each reading by the one before.</p>",
                        better,
                        compared));
        return h.toString();
    }

    private static String cell(double sortValue, String text) {
        return "<td data-value=\""
                + sortKey(sortValue)
                + "\">"
                + (text.equals("null") ? "&ndash;" : text)
                + "</td>";
    }

    private static String sortKey(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    /**
     * Readings drawn per series: {@code maxPoints}, fewer when the page would draw more than {@code
     * pagePoints}.
     */
    static int drawnPerSeries(int maxPoints, int series, int pagePoints) {
        if (maxPoints <= 0) {
            return maxPoints;
        }
        return Math.min(maxPoints, Math.max(MIN_POINTS, pagePoints / Math.max(1, series)));
    }

    /**
     * The chart data: per series, times as differences in seconds and the drawn values, as compact
     * JSON.
     */
    private static String data(
            Map<String, SeriesTrace> series, int maxPoints, List<DriftOutput> drifts) {
        StringBuilder j = new StringBuilder(1 << 16);
        j.append("[");
        int i = 0;
        for (SeriesTrace t : series.values()) {
            if (i > 0) {
                j.append(",\n");
            }
            List<Point> points = t.points();
            int[] picked = Downsampler.pick(points, maxPoints);
            Summary s = t.summary();
            j.append("{\"id\":\"s-")
                    .append(i++)
                    .append("\",\"name\":")
                    .append(string(t.name()))
                    .append(",\"total\":")
                    .append(points.size())
                    .append(",\"readings\":")
                    .append(s.readings())
                    .append(",\"firstVersion\":")
                    .append(t.firstVersion());
            j.append(",\"t0\":");
            seconds(j, picked.length == 0 ? 0 : points.get(picked[0]).ts());
            j.append(",\"dt\":[");
            for (int k = 0; k < picked.length; k++) {
                if (k > 0) {
                    j.append(',');
                    seconds(j, points.get(picked[k]).ts() - points.get(picked[k - 1]).ts());
                } else {
                    j.append('0');
                }
            }
            j.append(']');
            column(j, "actual", points, picked, Point::actual);
            column(j, "expected", points, picked, Point::expected);
            column(j, "lower", points, picked, Point::lower);
            column(j, "upper", points, picked, Point::upper);
            j.append(",\"score\":[");
            for (int k = 0; k < picked.length; k++) {
                if (k > 0) {
                    j.append(',');
                }
                j.append(fixed(points.get(picked[k]).score(), 4));
            }
            j.append("],\"alerts\":[");
            List<AlertSpan> spans = t.alerts();
            for (int k = 0; k < spans.size(); k++) {
                AlertSpan a = spans.get(k);
                j.append(k > 0 ? ",[" : "[");
                seconds(j, a.opened());
                j.append(',');
                if (a.isOpen()) {
                    j.append("null");
                } else {
                    seconds(j, a.resolved());
                }
                j.append(',')
                        .append(string(a.severity() == null ? "" : a.severity()))
                        .append(',')
                        .append(fixed(a.peakScore(), 4))
                        .append(',')
                        .append(string(a.reason()))
                        .append(']');
            }
            j.append("],\"versions\":[");
            List<VersionChange> changes = t.versionChanges();
            for (int k = 0; k < changes.size(); k++) {
                j.append(k > 0 ? ",[" : "[");
                seconds(j, changes.get(k).ts());
                j.append(',').append(changes.get(k).version()).append(']');
            }
            j.append("],\"drifts\":[");
            driftMarks(j, points, drifts);
            j.append("]}");
        }
        j.append("]");
        // '<' appears only inside JSON strings here; escaped, no "</script>" can end the data
        // element early.
        return j.toString().replace("<", "\\u003c");
    }

    /**
     * The drift events with a time within the series' readings, as [t, version promoted or -1]:
     * drifts are global, each series' charts mark those in their span.
     */
    private static void driftMarks(StringBuilder j, List<Point> points, List<DriftOutput> drifts) {
        if (points.isEmpty()) {
            return;
        }
        long first = points.get(0).ts();
        long last = points.get(points.size() - 1).ts();
        boolean any = false;
        for (DriftOutput d : drifts) {
            if (d.ts() != Long.MIN_VALUE && d.ts() >= first && d.ts() <= last) {
                j.append(any ? ",[" : "[");
                seconds(j, d.ts());
                j.append(',').append(d.version()).append(']');
                any = true;
            }
        }
    }

    private interface Value {
        double of(Point p);
    }

    private static void column(
            StringBuilder j, String name, List<Point> points, int[] picked, Value value) {
        j.append(",\"").append(name).append("\":[");
        for (int k = 0; k < picked.length; k++) {
            if (k > 0) {
                j.append(',');
            }
            j.append(significant(value.of(points.get(picked[k]))));
        }
        j.append(']');
    }

    private static void seconds(StringBuilder j, long millis) {
        if (millis % 1000 == 0) {
            j.append(millis / 1000);
        } else {
            j.append(BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString());
        }
    }

    /** Five significant digits, JSON syntax ({@code null} for NaN and infinities). */
    static String significant(double v) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(v).round(DIGITS).stripTrailingZeros().toString();
    }

    private static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        return BigDecimal.valueOf(v)
                .setScale(decimals, java.math.RoundingMode.HALF_EVEN)
                .stripTrailingZeros()
                .toPlainString();
    }

    private static String string(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}

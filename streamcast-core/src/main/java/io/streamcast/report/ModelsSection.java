package io.streamcast.report;

import io.streamcast.io.DriftOutput;
import io.streamcast.io.ModelOutput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The report's models section: the promoted model versions and the drift events of a run in one
 * table, in the order of the samples the trainer had seen (a drift comes before the version its
 * round promoted). Empty when the run promoted nothing and saw no drift.
 */
final class ModelsSection {
    private ModelsSection() {}

    /** One row: its sample count orders it, drifts before versions at the same count. */
    private record Row(long samplesSeen, int kind, String html) {}

    static String html(List<ModelOutput> models, List<DriftOutput> drifts) {
        if (models.isEmpty() && drifts.isEmpty()) {
            return "";
        }
        List<Row> rows = new ArrayList<>();
        for (DriftOutput d : drifts) {
            rows.add(new Row(d.samplesSeen(), 0, driftRow(d)));
        }
        for (ModelOutput m : models) {
            rows.add(new Row(m.samplesSeen(), 1, versionRow(m)));
        }
        // Stable: in file order within a count and kind.
        rows.sort(Comparator.comparingLong(Row::samplesSeen).thenComparingInt(Row::kind));
        StringBuilder h = new StringBuilder();
        h.append("<section id=\"models\"><h2>Model versions and drift</h2>")
                .append("<table><thead><tr><th>samples seen</th><th>event</th><th>time (UTC)</th>")
                .append("<th class=\"text\">what</th></tr></thead><tbody>");
        rows.forEach(r -> h.append(r.html()));
        h.append("</tbody></table>")
                .append("<p class=\"note\">A drift event: the serving model's loss on new training")
                .append(" windows rose against its validation loss (a Page&ndash;Hinkley test past")
                .append(" its threshold) and a training round started at once; its rounds then")
                .append(" weight the windows since the change. Drifts are marked on the charts")
                .append(" with solid orange lines. Model versions have no time of their own: the")
                .append(" charts mark each series' first forecast by a new version.</p></section>");
        return h.toString();
    }

    private static String driftRow(DriftOutput d) {
        String outcome =
                d.promoted()
                        ? "the round promoted v" + d.version()
                        : "the round promoted no version";
        return String.format(
                Locale.ROOT,
                "<tr class=\"drift\"><td>%s</td><td class=\"drift\">drift</td><td>%s</td>"
                        + "<td class=\"text\">loss on new windows %s against validation loss %s;"
                        + " Page&ndash;Hinkley %s &gt; %s; %s</td></tr>",
                count(d.samplesSeen()),
                d.ts() == Long.MIN_VALUE ? "&ndash;" : time(d.ts()),
                number(d.recentLoss()),
                number(d.validationLoss()),
                number(d.statistic()),
                number(d.threshold()),
                outcome);
    }

    private static String versionRow(ModelOutput m) {
        return String.format(
                Locale.ROOT,
                "<tr><td>%s</td><td>v%d</td><td>&ndash;</td>"
                        + "<td class=\"text\">%s; train loss %s, validation loss %s</td></tr>",
                count(m.samplesSeen()),
                m.version(),
                HtmlReport.escape(m.network().isEmpty() ? m.cell() : m.network()),
                number(m.trainLoss()),
                number(m.validationLoss()));
    }

    private static String count(long n) {
        return n < 0 ? "&ndash;" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String number(double v) {
        String s = HtmlReport.significant(v);
        return s.equals("null") ? "&ndash;" : s;
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString().replace('T', ' ').replace("Z", "");
    }
}

package io.streamcast.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.io.DriftOutput;
import io.streamcast.report.SeriesTrace.Point;
import io.streamcast.report.SeriesTrace.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's reading of job output, its overview numbers, its downsampling and the page it
 * writes.
 */
class ReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void readsRealJobOutputIntoOneTracePerSeries() throws Exception {
        RealOutputFixture.unpack(dir);
        RunOutputs run = RunOutputs.read(dir);

        assertEquals(RealOutputFixture.SERIES, List.copyOf(run.series().keySet()));
        assertEquals(0, run.skippedLines());
        assertEquals(6, run.models().size());
        List<String> alerts = RealOutputFixture.lines(dir, "alerts");
        for (SeriesTrace t : run.series().values()) {
            Summary s = t.summary();
            assertEquals(800, s.readings(), t.name());
            assertTrue(s.compared() > 700 && s.compared() < 800, t.name() + " " + s);
            assertTrue(s.modelMae() > 0 && s.repeatLastMae() > 0, t.name() + " " + s);
            assertTrue(s.coverage() > 0.5 && s.coverage() <= 1, t.name() + " " + s);
            long opened =
                    alerts.stream()
                            .filter(
                                    l ->
                                            l.contains("\"series\":\"" + t.name() + "\"")
                                                    && l.contains("\"state\":\"open\""))
                            .count();
            assertEquals(opened, s.alertsOpened(), t.name());
            assertEquals(1, s.versionChanges(), t.name());
            assertTrue(
                    t.alerts().stream().allMatch(a -> a.isOpen() || a.resolved() >= a.opened()),
                    t.name());
        }
    }

    @Test
    void comparesModelAndRepeatLastOnTheSameWarmReadings() throws Exception {
        // Forecasts at t = 1..4 s, the first two cold starts; each reading is scored against the
        // forecast before it.
        write(
                "forecasts.jsonl",
                forecast(1, true, 0),
                forecast(2, true, 0),
                forecast(3, false, 1),
                forecast(4, false, 1));
        write(
                "scores.jsonl",
                score(2, 10, 0, -100, 100), // no reading before it to repeat
                score(3, 10, 0, -100, 100), // forecast at 2 s was a cold start: left out
                score(
                        4, 12, 11, 10.5,
                        11.5), // model error 1, repeat-last error 2, outside the interval
                score(5, 12, 12.5, 12, 13)); // model error 0.5, repeat-last error 0, inside
        Summary s = RunOutputs.read(dir).series().get("s").summary();
        assertEquals(new Summary(4, 2, 0.75, 1.0, 0.5, 0, 1), s);
    }

    @Test
    void ignoresUnknownFieldsAndSkipsUnreadableLines() throws Exception {
        write(
                "scores.jsonl",
                "{\"series\":\"s\",\"ts\":\"2024-01-01T00:00:00Z\",\"actual\":1.5,\"expected\":\"NaN\",\"lower\":null,"
                        + "\"upper\":2,\"residual\":0,\"score\":0.5,\"tail\":1e-6,\"channel\":\"level\"}",
                "not json",
                "{\"ts\":\"2024-01-01T00:00:00Z\",\"actual\":1}",
                "{\"series\":\"s\",\"ts\":\"yesterday\"}");
        write(
                "alerts.jsonl",
                "{\"series\":\"s\",\"alertId\":\"a\",\"state\":\"open\",\"ts\":\"2024-01-01T00:00:00Z\","
                        + "\"score\":0.99,\"severity\":\"critical\",\"reason\":\"level\",\"channel\":\"level\","
                        + "\"reasons\":[\"x\"]}");
        RunOutputs run = RunOutputs.read(dir);
        assertEquals(3, run.skippedLines());
        SeriesTrace s = run.series().get("s");
        Point p = s.points().get(0);
        assertEquals(1.5, p.actual());
        assertTrue(Double.isNaN(p.expected()) && Double.isNaN(p.lower()));
        assertEquals(1, s.alerts().size());
        assertTrue(s.alerts().get(0).isOpen());
        assertEquals("critical", s.alerts().get(0).severity());
    }

    @Test
    void aScoreWhoseTimeHasNoEpochMillisIsSkippedAndEveryOtherLineShown() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int t = 1; t <= 10; t++) {
            lines.add(score(t, t, t, t - 1, t + 1));
            if (t == 3) {
                lines.add(
                        score(t, t, t, t - 1, t + 1)
                                .replace(
                                        Instant.ofEpochSecond(t).toString(),
                                        "+1000000000-01-01T00:00:00Z"));
            }
        }
        write("scores.jsonl", lines.toArray(String[]::new));
        RunOutputs run = RunOutputs.read(dir);
        assertEquals(10, run.series().get("s").points().size());
        assertEquals(1, run.skippedLines());
        assertEquals(
                "skipped 1 record that could not be read: first scores.jsonl line 4: ts"
                        + " '+1000000000-01-01T00:00:00Z' is not a time (ISO-8601 or epoch"
                        + " milliseconds, within 285,000 years of 1970)",
                run.skipped().summary());
        String page = HtmlReport.render(run, HtmlReport.DEFAULT_MAX_POINTS, Instant.EPOCH);
        assertTrue(
                page.contains(
                        "Skipped 1 record that could not be read: first scores.jsonl line 4"));
    }

    @Test
    void refusesAFolderWithoutOutputs() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> RunOutputs.read(dir));
        assertTrue(
                e.getMessage().contains("no forecasts.jsonl or scores.jsonl in " + dir),
                e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> RunOutputs.read(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
    }

    @Test
    void downsamplingKeepsSpikesDipsAndScorePeaksWithinTheBudget() {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            double v = Math.sin(i / 50.0) + (i == 4321 ? 50 : 0) - (i == 777 ? 40 : 0);
            points.add(new Point(i * 1000L, v, v, v - 1, v + 1, i == 9001 ? 1.0 : 0.1));
        }
        int[] picked = Downsampler.pick(points, 300);
        assertTrue(picked.length <= 300, "picked " + picked.length);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < picked.length; i++) {
            kept.add(picked[i]);
            assertTrue(i == 0 || picked[i] > picked[i - 1], "ascending");
        }
        assertTrue(kept.containsAll(List.of(4321, 777, 9001, 9999)), kept.toString());
        assertEquals(50, Downsampler.pick(points.subList(0, 50), 300).length);
        assertEquals(10_000, Downsampler.pick(points, 0).length);
    }

    @Test
    void writesOneSelfContainedPageWithTheDataOfEverySeries() throws Exception {
        RealOutputFixture.unpack(dir);
        String html =
                HtmlReport.render(RunOutputs.read(dir), 600, Instant.parse("2026-01-01T00:00:00Z"));

        // Nothing is fetched at view time: no external script, stylesheet or image.
        assertFalse(
                Pattern.compile(
                                "(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//",
                                Pattern.CASE_INSENSITIVE)
                        .matcher(html)
                        .find());
        assertTrue(html.contains(WebAssets.uplotScript()));
        Matcher data =
                Pattern.compile(
                                "<script id=\"report-data\" type=\"application/json\">(.*?)</script>",
                                Pattern.DOTALL)
                        .matcher(html);
        assertTrue(data.find());
        JsonNode series = JSON.readTree(data.group(1));
        assertEquals(3, series.size());
        for (JsonNode s : series) {
            int n = s.get("dt").size();
            assertTrue(n > 100 && n <= 600, s.get("name") + ": " + n);
            for (String column : List.of("actual", "expected", "lower", "upper", "score")) {
                assertEquals(n, s.get(column).size(), column);
            }
            assertTrue(
                    s.get("alerts").size() > 0 && s.get("versions").size() == 1,
                    s.get("name").asText());
        }
        for (String name : RealOutputFixture.SERIES) {
            assertTrue(html.contains("<tr data-series=\"" + name + "\">"), name);
        }
        Path file =
                HtmlReport.write(
                        RunOutputs.read(dir), dir.resolve("out"), HtmlReport.DEFAULT_MAX_POINTS);
        assertEquals(dir.resolve("out/report.html"), file);
        assertTrue(Files.size(file) < 1_000_000, "size " + Files.size(file));
    }

    @Test
    void aReportOf3000SeriesListsThemAllAndDrawsWithinThePagesBudget() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < 3000; k++) {
            // 12 readings: more than the 10 a series may draw among 3,000 under a budget of 30,000.
            for (int t = 1; t <= 12; t++) {
                lines.add(
                        score(t, t % 7, 1, 0, 2)
                                .replace("\"series\":\"s\"", "\"series\":\"s" + k + "\""));
            }
        }
        write("scores.jsonl", lines.toArray(String[]::new));
        String html =
                HtmlReport.render(
                        RunOutputs.read(dir), HtmlReport.DEFAULT_MAX_POINTS, 30_000, Instant.EPOCH);

        Matcher data =
                Pattern.compile(
                                "<script id=\"report-data\" type=\"application/json\">(.*?)</script>",
                                Pattern.DOTALL)
                        .matcher(html);
        assertTrue(data.find());
        JsonNode series = JSON.readTree(data.group(1));
        assertEquals(3000, series.size());
        int perSeries = HtmlReport.drawnPerSeries(HtmlReport.DEFAULT_MAX_POINTS, 3000, 30_000);
        assertEquals(10, perSeries);
        long drawn = 0;
        for (JsonNode s : series) {
            int n = s.get("dt").size();
            assertTrue(n > 0 && n <= perSeries, s.get("name") + ": " + n);
            assertEquals(12, s.get("total").asInt());
            drawn += n;
        }
        assertTrue(drawn <= 30_000, "drawn " + drawn);
        assertEquals(3000, html.split("<tr data-series=", -1).length - 1);
        // The page's real budget: few series keep the limit per series, 3,000 draw 166 each, and 0
        // draws all as asked.
        assertEquals(2400, HtmlReport.drawnPerSeries(2400, 3, HtmlReport.PAGE_POINTS));
        assertEquals(166, HtmlReport.drawnPerSeries(2400, 3000, HtmlReport.PAGE_POINTS));
        assertEquals(0, HtmlReport.drawnPerSeries(0, 3000, HtmlReport.PAGE_POINTS));
    }

    @Test
    void readsDriftEventsBesideModelVersionsAndMarksThemOnTheChartsAndInTheModelsSection()
            throws Exception {
        write(
                "forecasts.jsonl",
                forecast(1, true, 0),
                forecast(2, false, 0),
                forecast(3, false, 1),
                forecast(4, false, 1));
        write(
                "scores.jsonl",
                score(2, 10, 10, 9, 11),
                score(3, 10, 10, 9, 11),
                score(4, 10, 10, 9, 11),
                score(5, 10, 10, 9, 11));
        write(
                "models.jsonl",
                // As the job writes them: the drift event first, then the version its round
                // promoted; then a drift from an older build (no time) whose round promoted none.
                "{\"drift\":{\"ts\":\"1970-01-01T00:00:03Z\",\"recentLoss\":1.7333,"
                        + "\"validationLoss\":0.3168,\"statistic\":5.43,\"threshold\":5,"
                        + "\"samplesSeen\":4096},\"round\":{\"promoted\":true,\"version\":1}}",
                "{\"version\":1,\"cell\":\"lstm\",\"config\":\"lstm 1x16\",\"metrics\":"
                        + "{\"trainLoss\":0.2,\"validationLoss\":0.25,\"gradientNorm\":0.5,"
                        + "\"samplesSeen\":4100},\"parameterCount\":0,\"parameters\":\"\"}",
                "{\"drift\":{\"recentLoss\":0.9,\"validationLoss\":0.25,\"statistic\":5.1,"
                        + "\"threshold\":5,\"samplesSeen\":5000},\"round\":{\"promoted\":false}}",
                "{\"drift\":{\"ts\":\"yesterday\"},\"round\":{\"promoted\":false}}");
        RunOutputs run = RunOutputs.read(dir);

        assertEquals(1, run.models().size());
        assertEquals(
                List.of(
                        new DriftOutput(3000, 1.7333, 0.3168, 5.43, 5, 4096, 1),
                        new DriftOutput(Long.MIN_VALUE, 0.9, 0.25, 5.1, 5, 5000, -1)),
                run.drifts());
        assertTrue(run.drifts().get(0).promoted());
        assertEquals(1, run.skippedLines(), "a drift whose time is not one");
        assertTrue(run.skipped().summary().contains("yesterday"), run.skipped().summary());

        String html = HtmlReport.render(run, 600, Instant.EPOCH);
        Matcher data =
                Pattern.compile(
                                "<script id=\"report-data\" type=\"application/json\">(.*?)</script>",
                                Pattern.DOTALL)
                        .matcher(html);
        assertTrue(data.find());
        JsonNode s = JSON.readTree(data.group(1)).get(0);
        assertEquals("[[3,1]]", s.get("drifts").toString(), "the timed drift, on the chart");
        assertEquals("[[3,1]]", s.get("versions").toString());
        assertTrue(html.contains("2 drift events"), "in the summary");
        int section = html.indexOf("<section id=\"models\">");
        assertTrue(section > 0, "a models section");
        String models = html.substring(section, html.indexOf("</section>", section));
        int firstDrift = models.indexOf("<td class=\"drift\">drift</td>");
        int version = models.indexOf("<td>v1</td>");
        int secondDrift = models.indexOf("<td class=\"drift\">drift</td>", firstDrift + 1);
        assertTrue(
                firstDrift > 0 && version > firstDrift && secondDrift > version,
                "in the order of samples seen: " + models);
        assertTrue(models.contains("1970-01-01 00:00:03"), models);
        assertTrue(models.contains("loss on new windows 1.7333 against validation loss 0.3168"));
        assertTrue(models.contains("Page&ndash;Hinkley 5.43 &gt; 5; the round promoted v1"));
        assertTrue(models.contains("the round promoted no version"));
    }

    private void write(String name, String... lines) throws Exception {
        Files.write(dir.resolve(name), List.of(lines));
    }

    private static String forecast(long second, boolean coldStart, long version) {
        return "{\"series\":\"s\",\"ts\":\""
                + Instant.ofEpochSecond(second)
                + "\",\"model\":{\"version\":"
                + version
                + ",\"cell\":\"lstm\"},\"coldStart\":"
                + coldStart
                + ",\"forecast\":[]}";
    }

    private static String score(
            long second, double actual, double expected, double lower, double upper) {
        return "{\"series\":\"s\",\"ts\":\""
                + Instant.ofEpochSecond(second)
                + "\",\"actual\":"
                + actual
                + ",\"expected\":"
                + expected
                + ",\"lower\":"
                + lower
                + ",\"upper\":"
                + upper
                + ",\"score\":0.1}";
    }
}

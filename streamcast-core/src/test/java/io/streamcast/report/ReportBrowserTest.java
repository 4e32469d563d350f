package io.streamcast.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The report, generated from real job output, opened in headless Chromium: the overview lists every
 * series and every chart draws its data, with no JavaScript error. Skipped without Chromium. Leaves
 * target/screenshots/report.png.
 */
@Tag("slow")
class ReportBrowserTest {
    @TempDir Path dir;

    @Test
    void reportShowsTheOverviewAndDrawsEveryChartWithData() throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            RealOutputFixture.unpack(dir);
            Path report =
                    HtmlReport.write(RunOutputs.read(dir), dir, HtmlReport.DEFAULT_MAX_POINTS);
            browser.open(report.toUri().toString());
            new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
                    .until(
                            d ->
                                    browser.js(
                                                    "return window.streamcastReport && window.streamcastReport.series;")
                                            != null);

            List<WebElement> rows =
                    browser.driver().findElements(By.cssSelector("#overview-table tbody tr"));
            assertEquals(
                    RealOutputFixture.SERIES,
                    rows.stream().map(r -> r.getAttribute("data-series")).toList());
            for (WebElement row : rows) {
                assertEquals("800", row.findElements(By.tagName("td")).get(1).getText());
            }
            assertEquals(
                    RealOutputFixture.SERIES,
                    browser.driver().findElements(By.cssSelector("article.series h2")).stream()
                            .map(h -> h.getText().replace("\u2191 overview", "").trim())
                            .toList());

            // Two charts per series (values, score), each with all its points and its x range set.
            Object drawn =
                    browser.js(
                            """
                    return window.streamcastReport.charts.map(function (c) {
                      return [c.main.data[0].length, c.main.data[1].filter(function (v) { return v != null; }).length,
                              c.score.data[1].length, c.main.scales.x.min < c.main.scales.x.max ? 1 : 0];
                    });""");
            for (Object chart : (List<?>) drawn) {
                List<?> c = (List<?>) chart;
                long points = ((Number) c.get(0)).longValue();
                assertTrue(points > 500, "points " + c);
                assertEquals(points, ((Number) c.get(1)).longValue(), "actual values " + c);
                assertEquals(points, ((Number) c.get(2)).longValue(), "scores " + c);
                assertEquals(1L, ((Number) c.get(3)).longValue(), "x range " + c);
            }
            List<Long> ink = browser.canvasInk();
            assertEquals(6, ink.size(), "canvases " + ink);
            for (long pixels : ink) {
                assertTrue(pixels > 5_000, "a chart drew little: " + ink);
            }

            // Zooming the value chart zooms its score chart too.
            browser.js(
                    """
                    var c = window.streamcastReport.charts[0], x = c.main.data[0];
                    c.main.setScale('x', {min: x[100], max: x[200]});""");
            // uPlot applies a new scale a moment later: read it back in a second call.
            Object zoomed =
                    browser.js(
                            """
                    var c = window.streamcastReport.charts[0], x = c.main.data[0];
                    return [c.score.scales.x.min === x[100], c.score.scales.x.max === x[200]];""");
            assertEquals(List.of(true, true), zoomed);

            assertEquals(List.of(), browser.severeConsoleEntries());
            browser.js(
                    "window.scrollTo(0, 0); window.streamcastReport.charts[0].main.setScale('x', "
                            + "{min: window.streamcastReport.charts[0].main.data[0][0], max: window.streamcastReport.charts[0]"
                            + ".main.data[0][window.streamcastReport.charts[0].main.data[0].length - 1]});");
            browser.screenshot(HeadlessChromium.screenshotDir().resolve("report.png"), 1400, 1600);
        }
    }

    @Test
    void aDriftEventIsMarkedOnEveryChartInItsSpanAndListedInTheModelsSection() throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            RealOutputFixture.unpack(dir);
            List<SeriesTrace.Point> points =
                    RunOutputs.read(dir).series().values().iterator().next().points();
            long mid = points.get(points.size() / 2).ts();
            java.nio.file.Files.writeString(
                    dir.resolve("models.jsonl"),
                    "{\"drift\":{\"ts\":\""
                            + java.time.Instant.ofEpochMilli(mid)
                            + "\",\"recentLoss\":1.7,\"validationLoss\":0.3,\"statistic\":5.4,"
                            + "\"threshold\":5,\"samplesSeen\":100},\"round\":{\"promoted\":false}}\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Path report =
                    HtmlReport.write(RunOutputs.read(dir), dir, HtmlReport.DEFAULT_MAX_POINTS);
            browser.open(report.toUri().toString());
            new WebDriverWait(browser.driver(), Duration.ofSeconds(20))
                    .until(
                            d ->
                                    browser.js(
                                                    "return window.streamcastReport && window.streamcastReport.series;")
                                            != null);
            Object marks =
                    browser.js(
                            """
                    return window.streamcastReport.charts.map(function (c) {
                      return c.marks.drifts.length;
                    });""");
            // Drifts are global; a series' charts mark those within its readings.
            List<Long> expected =
                    RunOutputs.read(dir).series().values().stream()
                            .map(SeriesTrace::points)
                            .map(p -> p.get(0).ts() <= mid && mid <= p.get(p.size() - 1).ts())
                            .map(in -> in ? 1L : 0L)
                            .toList();
            assertEquals(1L, expected.get(0));
            assertEquals(expected, marks);
            assertEquals(
                    1, browser.driver().findElements(By.cssSelector("#models tr.drift")).size());
            assertEquals(List.of(), browser.severeConsoleEntries());
        }
    }
}

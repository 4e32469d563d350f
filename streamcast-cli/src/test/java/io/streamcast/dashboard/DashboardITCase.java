package io.streamcast.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.KafkaTestClients;
import io.streamcast.local.KafkaExtension;
import io.streamcast.report.HeadlessChromium;
import io.streamcast.report.RealOutputFixture;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page against a real (in-process) broker: real job output (the report's fixture) is
 * produced to the output topics in a committed transaction, and one more series in an aborted one;
 * the page shows the committed series with their data and never the aborted one. Also: closing the
 * dashboard leaves no thread behind. The browser part is skipped without Chromium and leaves
 * target/screenshots/dashboard.png.
 */
class DashboardITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "dash";
    private static final String ABORTED = "aborted-series";

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir static Path fixture;
    private static StreamcastConfig config;
    private static Dashboard dashboard;

    @BeforeAll
    static void startBrokerDashboardAndProduce() throws Exception {
        config = KafkaTestClients.jobConfig(KAFKA.bootstrapServers(), PREFIX, Map.of());
        KafkaTestClients.createTopics(KAFKA.broker(), PREFIX, 1);
        dashboard =
                Dashboard.start(config.kafka(), new Dashboard.Settings("127.0.0.1", 0, 600, 100));

        RealOutputFixture.unpack(fixture);
        Properties p = KafkaIo.producerProperties(KAFKA.bootstrapServers());
        p.put("transactional.id", "dashboard-test");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (String stream : RealOutputFixture.FILES) {
                String topic = PREFIX + "-" + stream;
                for (String line : RealOutputFixture.lines(fixture, stream)) {
                    JsonNode r = JSON.readTree(line);
                    String key = r.has("series") ? r.get("series").asText() : "model";
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    key.getBytes(StandardCharsets.UTF_8),
                                    line.getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.commitTransaction();

            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                String score =
                        "{\"series\":\""
                                + ABORTED
                                + "\",\"ts\":\"2020-01-01T00:00:0"
                                + i
                                + "Z\",\"actual\":1,"
                                + "\"expected\":1,\"lower\":0,\"upper\":2,\"residual\":0,\"score\":0}";
                producer.send(
                        new ProducerRecord<>(
                                PREFIX + "-scores",
                                ABORTED.getBytes(StandardCharsets.UTF_8),
                                score.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            producer.abortTransaction();
        }
        await(
                () -> {
                    JsonNode state = dashboard.store().state(null);
                    return state.get("models").size() == 6
                            && RealOutputFixture.SERIES.stream()
                                    .allMatch(
                                            s -> {
                                                JsonNode data =
                                                        dashboard.store().state(s).get("data");
                                                return data.get("t").size() == 600
                                                        && data.get("readings").asLong() == 800;
                                            });
                },
                "the committed output in the store");
    }

    @AfterAll
    static void stop() throws Exception {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    @Test
    void servesTheCommittedSeriesOnlyAsJson() throws Exception {
        URI api = dashboard.url().resolve("api/state?series=speed_7578");
        JsonNode state;
        try (InputStream in = api.toURL().openStream()) {
            state = JSON.readTree(in);
        }
        List<String> names = new ArrayList<>();
        state.get("series").forEach(s -> names.add(s.get("name").asText()));
        assertEquals(RealOutputFixture.SERIES, names, "no " + ABORTED + ": read_committed");
        assertEquals("speed_7578", state.get("selected").asText());
        JsonNode data = state.get("data");
        assertEquals(600, data.get("t").size());
        assertEquals(800, data.get("readings").asLong());
        assertTrue(data.get("ahead").get("t").size() == 1, "the newest forecast's step ahead");
        assertEquals(6, state.get("models").size());
        assertTrue(state.get("alerts").size() > 0);
        assertEquals(0, state.get("stats").get("unreadable").asLong());
    }

    @Test
    void closingTheDashboardEndsItsThreads() throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        Dashboard second =
                Dashboard.start(config.kafka(), new Dashboard.Settings("127.0.0.1", 0, 10, 10));
        await(() -> second.store().seriesCount() == 3, "the second dashboard to read");
        List<String> started = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t)) {
                started.add(t.getName());
            }
        }
        assertTrue(
                started.stream().anyMatch(n -> n.startsWith("streamcast-dashboard")),
                started.toString());
        second.close();
        List<String> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t)
                    && t.isAlive()
                    && !t.getName().startsWith("kafka-")
                    // the in-process broker's own request executors, started by the first fetch
                    // that waits
                    && !t.getName().startsWith("executor-")
                    && !t.getName().startsWith("ForkJoinPool")) {
                left.add(t.getName() + (t.isDaemon() ? " (daemon)" : ""));
            }
        }
        assertEquals(List.of(), left);
    }

    @Test
    void pageShowsTheSeriesWithTheirChartsModelsAndAlerts() {
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.open(dashboard.url().toString());
            WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
            wait.until(
                    d ->
                            Boolean.TRUE.equals(
                                    browser.js(
                                            "var l = window.streamcastLive; return l && l.charts"
                                                    + " && l.charts.main.data[0].length > 0;")));

            Select picker = new Select(browser.driver().findElement(By.id("series-picker")));
            List<String> options =
                    picker.getOptions().stream().map(o -> o.getAttribute("value")).toList();
            assertEquals(RealOutputFixture.SERIES, options);

            picker.selectByValue("art_increase_spike_density");
            wait.until(
                    d ->
                            Boolean.TRUE.equals(
                                    browser.js(
                                            "var l = window.streamcastLive; return l.charts && l.state.selected"
                                                    + " === 'art_increase_spike_density' && l.charts.main.data[0].length > 0;")));
            assertEquals(
                    "art_increase_spike_density",
                    browser.driver().findElement(By.id("series-name")).getText());
            // 600 readings plus the step ahead; every reading has its actual value.
            Object columns =
                    browser.js(
                            "var u = window.streamcastLive.charts.main; return [u.data[0].length,"
                                    + " u.data[1].filter(function (v) { return v != null; }).length,"
                                    + " u.data[5].filter(function (v) { return v != null; }).length];");
            assertEquals(List.of(601L, 600L, 2L), columns);
            List<Long> ink = browser.canvasInk();
            assertEquals(2, ink.size(), ink.toString());
            assertTrue(ink.stream().allMatch(n -> n > 5_000), "charts drew little: " + ink);
            assertEquals(
                    6, browser.driver().findElements(By.cssSelector("#models tbody tr")).size());
            assertTrue(
                    browser.driver().findElements(By.cssSelector("#alerts tbody tr")).size() > 5);
            assertTrue(
                    browser.driver()
                            .findElement(By.id("status"))
                            .getText()
                            .contains("committed records read"));
            assertEquals(List.of(), browser.severeConsoleEntries());
            browser.screenshot(
                    HeadlessChromium.screenshotDir().resolve("dashboard.png"), 1400, 1200);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}

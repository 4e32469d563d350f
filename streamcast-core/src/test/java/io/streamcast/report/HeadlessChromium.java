package io.streamcast.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The system's headless Chromium driven by Selenium, for the browser tests of the report and the
 * live page. Uses Debian's /usr/bin/chromium and /usr/bin/chromedriver (never Selenium Manager,
 * which would download a browser); without them, {@link #start()} skips the calling test, saying
 * how to install them.
 */
public final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /**
     * A browser with a 1400 x 1000 window; skips the test (JUnit assumption) when Chromium is not
     * installed.
     */
    public static HeadlessChromium start() {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser test skipped: no "
                        + CHROMIUM
                        + " and "
                        + CHROMEDRIVER
                        + "; install them with"
                        + " `apt-get install -y chromium chromium-driver` (Debian/Ubuntu)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1400,1000",
                "--hide-scrollbars",
                "--force-device-scale-factor=1");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return new HeadlessChromium(driver);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /**
     * Runs {@code script} (a function body; {@code arguments} available) in the page and returns
     * its result.
     */
    public Object js(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    /**
     * Severe entries of the browser console (JavaScript errors, failed loads) since the last call.
     */
    public List<String> severeConsoleEntries() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    /**
     * The number of non-blank pixels of each canvas on the page: a chart that drew its data has
     * thousands, one with axes and grid only far fewer.
     */
    @SuppressWarnings("unchecked")
    public List<Long> canvasInk() {
        return (List<Long>)
                js(
                        """
                return Array.from(document.querySelectorAll('canvas')).map(function (c) {
                  var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0;
                  for (var i = 3; i < d.length; i += 4) { if (d[i] !== 0) n++; }
                  return n;
                });""");
    }

    /**
     * Sets the window to {@code width} by the page's height (at most {@code maxHeight}) and saves a
     * PNG.
     */
    public void screenshot(Path file, int width, int maxHeight) {
        Number height = (Number) js("return document.documentElement.scrollHeight;");
        driver.manage()
                .window()
                .setSize(new Dimension(width, Math.min(maxHeight, height.intValue())));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the browser tests leave their screenshots: target/screenshots/. */
    public static Path screenshotDir() {
        return Path.of(System.getProperty("basedir", ""), "target", "screenshots").toAbsolutePath();
    }

    @Override
    public void close() {
        driver.quit();
    }
}

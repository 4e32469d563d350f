package io.streamcast.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The scripts and stylesheets the report and the live page inline: uPlot from its WebJar
 * (org.webjars.npm:uplot, on the class path) and Streamcast's own chart code and page style, so
 * that a page needs no network when viewed.
 */
public final class WebAssets {
    private static final String UPLOT = "META-INF/resources/webjars/uplot/";

    private WebAssets() {}

    /** uPlot's minified script (the browser build that defines the global {@code uPlot}). */
    public static String uplotScript() {
        return script(UPLOT + uplotVersion() + "/dist/uPlot.iife.min.js");
    }

    public static String uplotStyle() {
        return resource(UPLOT + uplotVersion() + "/dist/uPlot.min.css");
    }

    /** The WebJar's version, from its Maven metadata, so that upgrading it is a pom change only. */
    public static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    /**
     * Streamcast's charts on top of uPlot (one series: values, forecast band, score, alerts, model
     * versions).
     */
    public static String chartsScript() {
        return script("io/streamcast/report/charts.js");
    }

    /** The style both pages share. */
    public static String pageStyle() {
        return resource("io/streamcast/report/page.css");
    }

    /**
     * Replaces each {@code {{NAME}}} once, in one pass (inlined scripts may contain braces of their
     * own).
     */
    public static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + (1 << 16));
        int at = 0;
        while (true) {
            int open = template.indexOf("{{", at);
            if (open < 0) {
                break;
            }
            int close = template.indexOf("}}", open);
            String value = close < 0 ? null : values.get(template.substring(open + 2, close));
            if (value == null) {
                out.append(template, at, open + 2);
                at = open + 2;
                continue;
            }
            out.append(template, at, open).append(value);
            at = close + 2;
        }
        return out.append(template, at, template.length()).toString();
    }

    /** A class-path text resource. */
    public static String resource(String name) {
        try (InputStream in = open(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A script to inline in a {@code <script>} element, which must not contain its end tag. */
    private static String script(String name) {
        String text = resource(name);
        if (text.toLowerCase(java.util.Locale.ROOT).contains("</script")) {
            throw new IllegalStateException(name + " cannot be inlined: it contains </script");
        }
        return text;
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " is not on the class path");
        }
        return in;
    }
}

package io.streamcast.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamcast.config.StreamcastConfig.KafkaConfig;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.io.KafkaIo;
import io.streamcast.report.WebAssets;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The live page: follows the job's output topics (forecasts, scores, alerts, models;
 * read_committed) into a bounded {@link LiveStore} and serves a page on {@code http://BIND:PORT/}
 * that polls {@code api/state} once a second and draws the chosen series (readings, forecasts with
 * their bands, the forecast ahead, anomaly score, alerts, model versions). {@link #close()} stops
 * the server and the reader; no thread of it outlives that.
 *
 * <pre>{@code
 * try (Dashboard d = Dashboard.start(config.kafka(), Dashboard.Settings.DEFAULTS.withPort(0))) {
 *     System.out.println("live page: " + d.url());
 * }
 * }</pre>
 */
public final class Dashboard implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Most threads serving requests, started as needed and ended when idle. The JDK's server reads
     * a request's headers on a handler thread, so each client that trickles its request in holds
     * one until the read timeout below: the pool is large enough that many such clients leave the
     * page answering.
     */
    private static final int HANDLER_THREADS = 64;

    static {
        // The JDK's server waits forever for a request or for the client to read the response
        // unless these are set (seconds; read once, when its first server starts). A user's own
        // -D setting wins.
        setIfAbsent("sun.net.httpserver.maxReqTime", "5");
        setIfAbsent("sun.net.httpserver.maxRspTime", "10");
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /**
     * Where to listen ({@code port} 0: any free port) and how much to keep: the last {@code
     * pointsPerSeries} readings of at most {@code maxSeries} series.
     */
    public record Settings(String bind, int port, int pointsPerSeries, int maxSeries) {
        public static final Settings DEFAULTS = new Settings("127.0.0.1", 8090, 600, 2000);

        public Settings {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("dashboard port must be 0..65535, got " + port);
            }
            if (pointsPerSeries < 2) {
                throw new IllegalArgumentException(
                        "dashboard points per series must be at least 2, got " + pointsPerSeries);
            }
            if (maxSeries < 1) {
                throw new IllegalArgumentException(
                        "dashboard series must be at least 1, got " + maxSeries);
            }
        }

        public Settings withPort(int newPort) {
            return new Settings(bind, newPort, pointsPerSeries, maxSeries);
        }
    }

    private final LiveStore store;
    private final OutputFollower follower;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final byte[] page;
    private final HostCheck hosts;

    private Dashboard(
            LiveStore store,
            OutputFollower follower,
            HttpServer server,
            ExecutorService handlers,
            byte[] page,
            HostCheck hosts) {
        this.hosts = hosts;
        this.store = store;
        this.follower = follower;
        this.server = server;
        this.handlers = handlers;
        this.page = page;
    }

    /** Starts following {@code kafka}'s output topics and serving the page. */
    public static Dashboard start(KafkaConfig kafka, Settings settings) throws IOException {
        LiveStore store =
                new LiveStore(
                        settings.pointsPerSeries(),
                        settings.maxSeries(),
                        System::currentTimeMillis);
        Map<String, Stream> streams = new HashMap<>();
        for (Stream s : LiveStore.STREAMS) {
            streams.put(kafka.topic(s), s);
        }
        byte[] page = page().getBytes(StandardCharsets.UTF_8);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 0);
        } catch (IOException e) {
            throw new IOException(
                    "cannot serve the dashboard on "
                            + settings.bind()
                            + ":"
                            + settings.port()
                            + ": "
                            + e.getMessage()
                            + " (choose another port with --port, or 0 for any free one)",
                    e);
        }
        ThreadPoolExecutor handlers =
                new ThreadPoolExecutor(
                        HANDLER_THREADS,
                        HANDLER_THREADS,
                        30,
                        TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(),
                        r -> {
                            Thread t = new Thread(r, "streamcast-dashboard-http");
                            t.setDaemon(true);
                            return t;
                        });
        handlers.allowCoreThreadTimeOut(true);
        OutputFollower follower =
                new OutputFollower(KafkaIo.clientProperties(kafka), streams, store);
        Dashboard d =
                new Dashboard(
                        store, follower, server, handlers, page, HostCheck.of(settings.bind()));
        server.createContext("/", d::handle);
        server.setExecutor(handlers);
        server.start();
        follower.start();
        return d;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8090/}. */
    public URI url() {
        InetSocketAddress a = server.getAddress();
        String host =
                a.getAddress().isAnyLocalAddress() ? "localhost" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** The store behind the page. */
    public LiveStore store() {
        return store;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!hosts.allows(exchange.getRequestHeaders().getFirst("Host"))) {
                // A page from another site that rebinds its DNS name to this address arrives
                // with that name in Host: answering it would hand it /api/state.
                send(
                        exchange,
                        421,
                        "text/plain",
                        "unknown host name".getBytes(StandardCharsets.UTF_8));
            } else if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "text/plain", "GET only".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/") || path.equals("/index.html")) {
                send(exchange, 200, "text/html; charset=utf-8", page);
            } else if (path.equals("/api/state")) {
                String series = query(exchange.getRequestURI().getRawQuery(), "series");
                send(
                        exchange,
                        200,
                        "application/json",
                        JSON.writeValueAsBytes(store.state(series)));
            } else {
                send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body)
            throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        // The page is one self-contained file: its scripts and styles are inline, its data from
        // this origin.
        headers.set(
                "Content-Security-Policy",
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
                        + " connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static String query(String raw, String name) {
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key =
                    URLDecoder.decode(
                            eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0
                        ? ""
                        : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String page() {
        return WebAssets.fill(
                WebAssets.resource("io/streamcast/dashboard/dashboard.html"),
                Map.of(
                        "UPLOT_CSS", WebAssets.uplotStyle(),
                        "PAGE_CSS", WebAssets.pageStyle(),
                        "UPLOT_JS", WebAssets.uplotScript(),
                        "CHARTS_JS", WebAssets.chartsScript()));
    }

    /** Stops serving and reading; returns when the reader thread has ended. */
    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        try {
            follower.close();
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.streamcast.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.KafkaTestClients;
import io.streamcast.io.OutputEncoder;
import io.streamcast.local.KafkaExtension;
import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.model.alert.Severity;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code notify} against a real Alertmanager (Debian's {@code prometheus-alertmanager}, started on
 * loopback without clustering; skipped when it is not installed) and a local webhook receiver: an
 * alert opened on the alerts topic fires in Alertmanager and reaches the webhook once; the notifier
 * is stopped and started again (same group) and recalls the open alert without sending it again,
 * the alert's resolve is committed, and it resolves in Alertmanager (which notifies its own
 * receiver of the firing and the resolve) and reaches the webhook once, with no change delivered
 * twice across the restart.
 */
class NotifyITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "notify";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    @TempDir static Path dir;

    private static HttpServer receiver;
    private static final List<String> webhook = Collections.synchronizedList(new ArrayList<>());
    private static final List<JsonNode> alertmanagerNotices =
            Collections.synchronizedList(new ArrayList<>());
    private static Process alertmanager;
    private static URI alertmanagerUrl;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startAlertmanagerAndReceiver() throws Exception {
        String binary = alertmanagerBinary();
        assumeTrue(
                binary != null,
                "prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager;"
                        + " .ci/run installs it)");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
                "/hook",
                ex -> {
                    try (InputStream in = ex.getRequestBody()) {
                        webhook.add(JSON.readTree(in).get("text").asText());
                    }
                    ex.sendResponseHeaders(200, -1);
                    ex.close();
                });
        receiver.createContext(
                "/am",
                ex -> {
                    try (InputStream in = ex.getRequestBody()) {
                        alertmanagerNotices.add(JSON.readTree(in));
                    }
                    ex.sendResponseHeaders(200, -1);
                    ex.close();
                });
        receiver.start();

        int port = freePort();
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(
                config,
                """
                route:
                  receiver: streamcast-test
                  group_by: ['alertId']
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: streamcast-test
                    webhook_configs:
                      - url: http://127.0.0.1:%d/am
                        send_resolved: true
                """
                        .formatted(receiver.getAddress().getPort()));
        Path storage = Files.createDirectories(dir.resolve("data"));
        alertmanager =
                new ProcessBuilder(
                                binary,
                                "--config.file=" + config,
                                "--storage.path=" + storage,
                                "--web.listen-address=127.0.0.1:" + port,
                                "--cluster.listen-address=")
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("alertmanager.log").toFile())
                        .start();
        alertmanagerUrl = URI.create("http://127.0.0.1:" + port);
        await(
                () -> {
                    try {
                        return get("/-/ready").statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                },
                "Alertmanager ready (log: " + dir.resolve("alertmanager.log") + ")");
        KafkaTestClients.createTopics(KAFKA.broker(), PREFIX, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly();
            }
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void anAlertFiresAndResolvesOnceAcrossARestartOfNotify() throws Exception {
        StreamcastConfig config =
                KafkaTestClients.jobConfig(
                        KAFKA.bootstrapServers(),
                        PREFIX,
                        Map.of(
                                "notify.alertmanager-url", alertmanagerUrl.toString(),
                                "notify.webhook-url",
                                        "http://127.0.0.1:"
                                                + receiver.getAddress().getPort()
                                                + "/hook",
                                "notify.start-from", "earliest",
                                "notify.retry-initial", "100ms",
                                "notify.repeat-interval", "1s"));
        long opened = Instant.now().minusSeconds(120).toEpochMilli();
        AlertEvent open = alert(AlertStatus.OPEN, opened, opened);
        String id = open.alertId();

        produceCommitted(config, open);
        Running first = Running.start(config);
        await(() -> webhook.size() == 1, "the opened alert at the webhook");
        await(() -> firing(id).size() == 1, "the alert firing in Alertmanager");
        JsonNode firing = firing(id).get(0);
        assertEquals("pump-7", firing.at("/labels/series").asText());
        assertEquals("warning", firing.at("/labels/severity").asText());
        assertEquals(Instant.ofEpochMilli(opened), Instant.parse(firing.get("startsAt").asText()));
        assertTrue(firing.at("/annotations/description").asText().contains("sigma"));
        await(() -> notices("firing") == 1, "Alertmanager's own notification of the firing");
        first.stop();

        Running second = Running.start(config);
        await(
                () -> second.notifier.openAlerts() == 1,
                "the restarted notifier recalling the open alert (to re-post it)");
        long resolved = Instant.now().minusSeconds(5).toEpochMilli();
        produceCommitted(config, alert(AlertStatus.RESOLVE, opened, resolved));
        await(() -> webhook.size() == 2, "the resolve at the webhook");
        await(() -> firing(id).isEmpty(), "the alert resolved in Alertmanager");
        await(() -> notices("resolved") == 1, "Alertmanager's own notification of the resolve");
        // Time for a duplicate to show: the restarted notifier's repeats, a re-read of the open.
        Thread.sleep(3000);
        second.stop();

        assertEquals(2, webhook.size(), webhook.toString());
        assertTrue(webhook.get(0).startsWith("[FIRING] warning anomaly on pump-7"), webhook.get(0));
        assertTrue(webhook.get(1).startsWith("[RESOLVED] pump-7 back to normal"), webhook.get(1));
        assertEquals(1, notices("firing"), alertmanagerNotices.toString());
        assertEquals(1, notices("resolved"), alertmanagerNotices.toString());
        assertTrue(firing(id).isEmpty());
        assertEquals(1, first.notifier.delivered());
        assertEquals(1, second.notifier.delivered(), "the restart went on after the open");
        assertEquals(0, second.notifier.openAlerts());
    }

    /** A notifier running on its own thread, as the command runs it. */
    private record Running(AlertNotifier notifier, Thread thread, List<Throwable> failure) {
        static Running start(StreamcastConfig config) {
            AlertNotifier n =
                    AlertNotifier.forConfig(
                            config, line -> System.out.println(Instant.now() + " " + line));
            List<Throwable> failure = Collections.synchronizedList(new ArrayList<>());
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    n.run();
                                } catch (Throwable e) {
                                    failure.add(e);
                                }
                            },
                            "notify-test");
            t.start();
            return new Running(n, t, failure);
        }

        void stop() throws Exception {
            System.out.println(Instant.now() + " stopping the notifier");
            notifier.close();
            thread.join(10_000);
            assertTrue(!thread.isAlive(), "the notifier ended");
            assertTrue(failure.isEmpty(), failure.toString());
        }
    }

    private static AlertEvent alert(AlertStatus state, long opened, long ts) {
        return new AlertEvent(
                "pump-7",
                "pump-7-" + opened,
                state,
                ts,
                state == AlertStatus.RESOLVE ? 0.02 : 0.97,
                Severity.WARNING,
                42.5,
                20.0,
                18.0,
                22.0,
                opened,
                ts - opened,
                "reading 42.5 is 11.2 sigma above the forecast 20.0",
                "residual",
                4.3);
    }

    /** Writes {@code a} to the alerts topic in a committed transaction, as the job does. */
    private static void produceCommitted(StreamcastConfig config, AlertEvent a) {
        Properties p = KafkaIo.producerProperties(KAFKA.bootstrapServers());
        p.put("transactional.id", "notify-test-" + a.state());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(
                    new ProducerRecord<>(
                            config.kafka().alertsTopic(),
                            a.series().getBytes(StandardCharsets.UTF_8),
                            OutputEncoder.alert(a).json()));
            producer.commitTransaction();
        }
    }

    /** Alertmanager's active alerts with label alertId = {@code id}. */
    private static List<JsonNode> firing(String id) {
        try {
            HttpResponse<String> r = get("/api/v2/alerts");
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode a : JSON.readTree(r.body())) {
                if (id.equals(a.at("/labels/alertId").asText())) {
                    out.add(a);
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Alertmanager's notifications to its receiver with {@code status} ("firing", "resolved"). */
    private static long notices(String status) {
        synchronized (alertmanagerNotices) {
            return alertmanagerNotices.stream()
                    .filter(n -> status.equals(n.get("status").asText()))
                    .count();
        }
    }

    private static HttpResponse<String> get(String path) throws IOException {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(alertmanagerUrl + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String alertmanagerBinary() {
        for (String name : List.of("prometheus-alertmanager", "alertmanager")) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                File f = new File(d, name);
                if (f.canExecute()) {
                    return f.getPath();
                }
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out waiting for " + what + "; webhook got " + webhook);
            }
            Thread.sleep(100);
        }
    }
}

package io.streamcast.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The live page's HTTP side without a broker (its reader retries in the background): clients that
 * trickle a request in or never read do not freeze it, it answers only to its own and loopback host
 * names, and it sends the usual security headers.
 */
class DashboardHttpTest {
    private static Dashboard dashboard;
    private static URI url;

    @BeforeAll
    static void start() throws Exception {
        var kafka = ConfigLoader.load(null, List.of("kafka.bootstrap-servers=127.0.0.1:1")).kafka();
        dashboard = Dashboard.start(kafka, new Dashboard.Settings("127.0.0.1", 0, 600, 100));
        url = dashboard.url();
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    /** A raw HTTP/1.1 GET with the given Host header; returns the status line and headers. */
    private static String get(String path, String host) throws IOException {
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            // Below the server's 5 s request timeout: a page that waited for the slow clients to
            // be dropped fails here.
            s.setSoTimeout(4000);
            OutputStream out = s.getOutputStream();
            out.write(
                    ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void slowClientsHoldingConnectionsDoNotFreezeThePage() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket(url.getHost(), url.getPort());
                s.getOutputStream().write('G');
                s.getOutputStream().flush();
                slow.add(s);
            }
            Thread.sleep(200);
            String response = get("/api/state", "127.0.0.1:" + url.getPort());
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void answersOnlyToItsOwnAndLoopbackHostNames() throws Exception {
        assertTrue(get("/api/state", "localhost:" + url.getPort()).startsWith("HTTP/1.1 200"));
        assertTrue(get("/api/state", "127.0.0.1").startsWith("HTTP/1.1 200"));
        String rebound = get("/api/state", "attacker.example:" + url.getPort());
        assertTrue(rebound.startsWith("HTTP/1.1 421"), rebound);
        assertTrue(get("/", "attacker.example").startsWith("HTTP/1.1 421"));
    }

    @Test
    void sendsSecurityHeaders() throws Exception {
        String page = get("/", "localhost").toLowerCase();
        assertTrue(page.startsWith("http/1.1 200"), page);
        for (String header :
                List.of(
                        "x-content-type-options: nosniff",
                        "x-frame-options: deny",
                        "content-security-policy: default-src 'none'",
                        "referrer-policy: no-referrer")) {
            assertTrue(page.contains(header), header);
        }
    }

    @Test
    void hostCheckOfAWildcardBindAcceptsAnyName() {
        assertTrue(HostCheck.of("0.0.0.0").allows("my-server.lan:8090"));
        HostCheck named = HostCheck.of("10.1.2.3");
        assertTrue(named.allows("10.1.2.3:8090"));
        assertTrue(named.allows("[::1]:8090"));
        assertEquals(false, named.allows("other:8090"));
        assertEquals(false, named.allows(null));
    }
}

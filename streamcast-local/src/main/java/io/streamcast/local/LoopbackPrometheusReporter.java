package io.streamcast.local;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;

/**
 * Flink's Prometheus reporter (the same metric names and labels as on a cluster, so the Grafana
 * dashboard of docker/ reads it), serving {@code /metrics} on the loopback address only: Flink's
 * own {@code PrometheusReporter} listens on every interface, and a local run opens nothing beyond
 * loopback unless asked to.
 *
 * <p>Flink keeps the reporter's metric registry package-private, so it is read by reflection;
 * {@code RunStatusITCase} (streamcast-cli) scrapes it and fails if a Flink upgrade renames it.
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
    private final int port;
    private HTTPServer server;

    LoopbackPrometheusReporter(int port) {
        this.port = port;
    }

    @Override
    public void open(MetricConfig config) {
        super.open(config);
        try {
            server =
                    new HTTPServer(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                            registry(),
                            true);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot serve Prometheus metrics on 127.0.0.1:" + port, e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        super.close();
    }

    private CollectorRegistry registry() {
        try {
            Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
            f.setAccessible(true);
            return (CollectorRegistry) f.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "this Flink's Prometheus reporter has no metric registry field 'registry'", e);
        }
    }
}

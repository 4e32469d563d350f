package io.streamcast.local;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Creates {@link LoopbackPrometheusReporter}s for a local run: {@code
 * metrics.reporter.NAME.factory.class} names this class (found through the service file), {@code
 * metrics.reporter.NAME.port} the port on 127.0.0.1.
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {
    /** Its class name, for {@code metrics.reporter.NAME.factory.class}. */
    public static final String NAME = "io.streamcast.local.LoopbackPrometheusReporterFactory";

    @Override
    public LoopbackPrometheusReporter createMetricReporter(Properties properties) {
        String port = properties.getProperty("port");
        if (port == null) {
            throw new IllegalArgumentException("metrics.reporter.*.port is not set");
        }
        return new LoopbackPrometheusReporter(Integer.parseInt(port.trim()));
    }
}

package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.dashboard.Dashboard;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code dashboard [--port N] [--bind ADDRESS] [--points N] [--max-series N]}: the live page over
 * the configured Kafka's output topics, served until Ctrl-C.
 */
final class DashboardCommand {
    private DashboardCommand() {}

    static int run(StreamcastConfig config, Options options, PrintStream out) throws Exception {
        Dashboard.Settings d = Dashboard.Settings.DEFAULTS;
        Dashboard.Settings settings =
                new Dashboard.Settings(
                        options.has("bind") ? options.get("bind") : d.bind(),
                        number(options, "port", d.port()),
                        number(options, "points", d.pointsPerSeries()),
                        number(options, "max-series", d.maxSeries()));
        Dashboard dashboard = Dashboard.start(config.kafka(), settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    dashboard.close();
                                    stopped.countDown();
                                },
                                "streamcast-dashboard-stop"));
        out.printf(
                "Live page: %s (reading %s, %s, %s, %s from %s; Ctrl-C stops)%n",
                dashboard.url(),
                config.kafka().forecastsTopic(),
                config.kafka().scoresTopic(),
                config.kafka().alertsTopic(),
                config.kafka().modelsTopic(),
                config.kafka().bootstrapServers());
        stopped.await();
        return 0;
    }

    /** A whole-number option, or {@code fallback} when absent. */
    static int number(Options options, String name, int fallback) {
        if (!options.has(name)) {
            return fallback;
        }
        try {
            return Integer.parseInt(options.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + " '" + options.get(name) + "' is not a whole number");
        }
    }
}

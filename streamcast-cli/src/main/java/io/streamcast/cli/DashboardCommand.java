package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.dashboard.Dashboard;
import io.streamcast.dashboard.LiveStore;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dashboard [--port N] [--bind ADDRESS] [--points N] [--max-series N]}: the live page over
 * the configured Kafka's output topics, served until Ctrl-C.
 */
@Command(
        name = "dashboard",
        header = "the live page over the configured Kafka's output topics",
        description = {
            "The live page over the configured Kafka's output topics (read_committed), on"
                    + " http://127.0.0.1:PORT/; the demo starts one unless --no-dashboard."
        })
final class DashboardCommand extends Subcommand {
    @Option(
            names = "--port",
            paramLabel = "N",
            converter = OptionTypes.AtLeast0.class,
            description = "port (0: any free port)")
    int port = Dashboard.Settings.DEFAULTS.port();

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "address to listen on")
    String bind = Dashboard.Settings.DEFAULTS.bind();

    @Option(
            names = "--points",
            paramLabel = "N",
            converter = OptionTypes.AtLeast1.class,
            description = "points kept per series")
    int points = Dashboard.Settings.DEFAULTS.pointsPerSeries();

    @Option(
            names = "--max-series",
            paramLabel = "N",
            converter = OptionTypes.AtLeast1.class,
            description = "series shown at most")
    int maxSeries = Dashboard.Settings.DEFAULTS.maxSeries();

    @Override
    protected int run() throws Exception {
        StreamcastConfig config = common.config();
        // As run and generate do: an unreachable broker is one line at the start, not a page
        // whose subtitle shows a timeout.
        KafkaCheck.reachable(config.kafka());
        Dashboard.Settings settings = new Dashboard.Settings(bind, port, points, maxSeries);
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
                "Live page: %s (reading %s from %s; Ctrl-C stops)%n",
                dashboard.url(),
                String.join(", ", LiveStore.STREAMS.stream().map(config.kafka()::topic).toList()),
                config.kafka().bootstrapServers());
        stopped.await();
        return 0;
    }
}

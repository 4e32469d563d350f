package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.config.StreamcastConfig.NotifyConfig;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.UserError;
import io.streamcast.notify.AlertNotifier;
import io.streamcast.notify.Destination;
import io.streamcast.notify.HttpDestination;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code notify}: forwards the configured alerts topic to Alertmanager and/or a webhook ({@code
 * notify.*}) until Ctrl-C; the work is {@link AlertNotifier}'s.
 */
final class NotifyCommand {
    private NotifyCommand() {}

    static int run(StreamcastConfig config, PrintStream out) throws Exception {
        NotifyConfig n = config.notifications();
        List<Destination> destinations = new ArrayList<>();
        HttpDestination alertmanager = null;
        if (n.alertmanagerUrl() != null) {
            alertmanager = HttpDestination.alertmanager(n.alertmanagerUrl(), n.timeout());
            destinations.add(alertmanager);
        }
        if (n.webhookUrl() != null) {
            destinations.add(HttpDestination.webhook(n.webhookUrl(), n.timeout()));
        }
        if (destinations.isEmpty()) {
            throw new UserError(
                    "notify has nowhere to send alerts: set notify.alertmanager-url and/or"
                            + " notify.webhook-url (e.g. --set notify.alertmanager-url=http://localhost:9093)");
        }
        KafkaCheck.reachable(config.kafka());
        AlertNotifier notifier =
                new AlertNotifier(
                        config.kafka(),
                        KafkaIo.clientProperties(config.kafka()),
                        n,
                        destinations,
                        alertmanager,
                        Clock.systemUTC(),
                        line -> out.println(Instant.now() + " " + line));
        Thread stopper =
                new Thread(
                        () -> {
                            try {
                                notifier.close();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            out.println(
                                    "notify stopped after "
                                            + notifier.delivered()
                                            + " alert changes; the next start goes on after the"
                                            + " last one delivered");
                        },
                        "streamcast-notify-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        out.printf(
                "Forwarding alerts from %s (group %s) to %s; Ctrl-C stops%n",
                config.kafka().alertsTopic(),
                n.groupId(),
                String.join(" and ", destinations.stream().map(Destination::name).toList()));
        try {
            notifier.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running.
            }
        }
        return 0;
    }
}

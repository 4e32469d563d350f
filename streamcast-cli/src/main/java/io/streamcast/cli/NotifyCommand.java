package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.notify.AlertNotifier;
import java.time.Instant;
import picocli.CommandLine.Command;

/**
 * {@code notify}: forwards the configured alerts topic to Alertmanager and/or a webhook ({@code
 * notify.*}) until Ctrl-C; the work is {@link AlertNotifier}'s.
 */
@Command(
        name = "notify",
        header = "forwards the alerts topic to Alertmanager and/or a Slack-compatible webhook",
        description = {
            "Forwards the configured alerts topic (read_committed) to Prometheus Alertmanager"
                    + " (notify.alertmanager-url) and/or a Slack-compatible webhook"
                    + " (notify.webhook-url), retrying until delivered; a restart goes on after the"
                    + " last alert delivered (notify.group-id)."
        })
final class NotifyCommand extends Subcommand {
    @Override
    protected int run() throws Exception {
        StreamcastConfig config = common.config();
        AlertNotifier notifier =
                AlertNotifier.forConfig(config, line -> out.println(Instant.now() + " " + line));
        KafkaCheck.reachable(config.kafka());
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
                config.notifications().groupId(),
                notifier.destinations());
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

package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.notify.AlertNotifier;
import java.io.PrintStream;
import java.time.Instant;

/**
 * {@code notify}: forwards the configured alerts topic to Alertmanager and/or a webhook ({@code
 * notify.*}) until Ctrl-C; the work is {@link AlertNotifier}'s.
 */
final class NotifyCommand {
    private NotifyCommand() {}

    static int run(StreamcastConfig config, PrintStream out) throws Exception {
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

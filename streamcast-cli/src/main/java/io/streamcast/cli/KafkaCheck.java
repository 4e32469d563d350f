package io.streamcast.cli;

import io.streamcast.config.StreamcastConfig.KafkaConfig;
import io.streamcast.io.KafkaIo;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Checks, before a command starts a job or a producer, that the configured Kafka answers: a Kafka
 * client retries an unreachable broker forever (a job restarts, a producer waits for metadata),
 * which looks like a hang. Fails with a one-line {@link Failure} naming the servers and the key to
 * check.
 */
final class KafkaCheck {
    /**
     * Long enough for a broker that is up but slow to answer, short enough that a wrong address
     * shows soon.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private KafkaCheck() {}

    static void reachable(KafkaConfig kafka) {
        reachable(kafka, TIMEOUT);
    }

    /**
     * Fails with a one-line {@link Failure} unless every one of {@code topics} exists: a client
     * would otherwise wait for the missing topic's metadata (a producer for a minute) and then
     * report a timeout.
     */
    static void topicsExist(KafkaConfig kafka, java.util.Collection<String> topics) {
        Properties props = KafkaIo.clientProperties(kafka);
        int ms = (int) TIMEOUT.toMillis();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        java.util.Set<String> names;
        try (Admin admin = Admin.create(props)) {
            names = admin.listTopics().names().get(ms + 2000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new Failure(
                    "cannot list the topics on "
                            + kafka.bootstrapServers()
                            + ": "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.toString()),
                    e);
        }
        for (String topic : topics) {
            if (!names.contains(topic)) {
                throw new Failure(
                        "topic "
                                + topic
                                + " does not exist on "
                                + kafka.bootstrapServers()
                                + "; `streamcast topics --config FILE` creates the job's topics"
                                + " (or check kafka.topics.*)",
                        null);
            }
        }
    }

    static void reachable(KafkaConfig kafka, Duration timeout) {
        Properties props = KafkaIo.clientProperties(kafka);
        int ms = (int) timeout.toMillis();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        String why;
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms))
                    .clusterId()
                    .get(ms + 2000L, TimeUnit.MILLISECONDS);
            return;
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            // A refused or unresolvable address shows as the client's timeout waiting for a node.
            why =
                    c instanceof org.apache.kafka.common.errors.TimeoutException
                            ? "no broker answered in " + timeout.toSeconds() + " s"
                            : c.getClass().getSimpleName() + ": " + c.getMessage();
        } catch (TimeoutException e) {
            why = "no broker answered in " + timeout.toSeconds() + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        } catch (org.apache.kafka.common.KafkaException e) {
            why = e.getMessage();
        }
        throw new Failure(
                "cannot reach Kafka at "
                        + kafka.bootstrapServers()
                        + " ("
                        + why
                        + "): check kafka.bootstrap-servers (and kafka.properties.* for security settings)",
                null);
    }
}

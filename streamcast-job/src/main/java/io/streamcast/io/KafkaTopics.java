package io.streamcast.io;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.config.StreamcastConfig.KafkaConfig;
import io.streamcast.event.OutputRecord.Stream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The job's topics on the configured Kafka: creates those that are missing (events and outputs with
 * {@code max(2, job.parallelism)} partitions, the models topic compacted with one partition,
 * replication at the broker's default) and checks those that exist, without changing them.
 * Idempotent: a second call creates nothing.
 *
 * <p>Output topics are created with {@code message.timestamp.type=LogAppendTime}: the job stamps an
 * output with its reading's event time, and Kafka's time retention judges records by their stamp,
 * so the output of a replay or of simulated readings (months old) would be deleted at the broker's
 * next retention check.
 */
public final class KafkaTopics {
    /**
     * Every output record of the models topic has the same key, so one partition holds them all.
     */
    static final int MODELS_PARTITIONS = 1;

    static final String LOG_APPEND_TIME = "LogAppendTime";
    private static final long TIMEOUT_SECONDS = 60;

    /**
     * What happened to one topic; {@code problem} is true when an existing topic does not suit the
     * job.
     */
    public record Outcome(
            String topic, String role, boolean created, boolean problem, String detail) {
        @Override
        public String toString() {
            return String.format("%-13s %-28s %s", role, topic, detail);
        }
    }

    private KafkaTopics() {}

    /** Partitions of a new events or output topic: one per source/sink subtask, at least two. */
    public static int partitions(StreamcastConfig config) {
        return Math.max(2, config.job().parallelism());
    }

    /**
     * Creates the missing topics and checks the existing ones. Throws {@link KafkaException} when
     * the broker cannot be reached or refuses (e.g. no rights to create topics) within a minute.
     */
    public static List<Outcome> ensure(StreamcastConfig config) {
        KafkaConfig kafka = config.kafka();
        int partitions = partitions(config);
        Properties props = KafkaIo.clientProperties(kafka);
        // An unreachable broker fails the command after a minute instead of retrying forever.
        props.putIfAbsent("default.api.timeout.ms", "30000");
        props.putIfAbsent("request.timeout.ms", "15000");
        try (Admin admin = Admin.create(props)) {
            Set<String> existing =
                    admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<Outcome> outcomes = new ArrayList<>();
            for (Map.Entry<String, String> e : kafka.topics().entrySet()) {
                String role = e.getKey();
                String topic = e.getValue();
                boolean models = role.equals(Stream.MODELS.displayName());
                if (existing.contains(topic)) {
                    outcomes.add(check(admin, role, topic, models, config.job().parallelism()));
                    continue;
                }
                NewTopic create =
                        new NewTopic(
                                topic,
                                Optional.of(models ? MODELS_PARTITIONS : partitions),
                                Optional.empty());
                if (!role.equals("events")) {
                    Map<String, String> configs = new LinkedHashMap<>();
                    configs.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, LOG_APPEND_TIME);
                    if (models) {
                        configs.put(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT);
                    }
                    create.configs(configs);
                }
                try {
                    admin.createTopics(List.of(create))
                            .all()
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    outcomes.add(
                            new Outcome(
                                    topic,
                                    role,
                                    true,
                                    false,
                                    "created: "
                                            + create.numPartitions()
                                            + " partition(s)"
                                            + (create.configs() == null
                                                    ? ""
                                                    : ", "
                                                            + create.configs().entrySet().stream()
                                                                    .map(
                                                                            c ->
                                                                                    c.getKey()
                                                                                            + "="
                                                                                            + c
                                                                                                    .getValue())
                                                                    .collect(
                                                                            Collectors.joining(
                                                                                    ", ")))));
                } catch (ExecutionException ex) {
                    if (ex.getCause()
                            instanceof org.apache.kafka.common.errors.TopicExistsException) {
                        // Created by someone else between the listing and now.
                        outcomes.add(check(admin, role, topic, models, config.job().parallelism()));
                    } else {
                        throw failure("creating topic " + topic, ex);
                    }
                }
            }
            return outcomes;
        } catch (ExecutionException e) {
            throw failure("listing topics", e);
        } catch (TimeoutException e) {
            throw new KafkaException(
                    "no answer from "
                            + kafka.bootstrapServers()
                            + " within "
                            + TIMEOUT_SECONDS
                            + " s (check kafka.bootstrap-servers and kafka.properties)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted", e);
        }
    }

    private static Outcome check(
            Admin admin, String role, String topic, boolean models, int parallelism)
            throws ExecutionException, InterruptedException, TimeoutException {
        TopicDescription description =
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .get(topic);
        int has = description.partitions().size();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config =
                admin.describeConfigs(List.of(resource))
                        .all()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .get(resource);
        var policyEntry = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        String policy = policyEntry == null ? "delete" : policyEntry.value();
        var typeEntry = config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
        String detail =
                "exists: "
                        + has
                        + " partition(s), cleanup.policy="
                        + policy
                        + (typeEntry == null
                                ? ""
                                : ", message.timestamp.type=" + typeEntry.value());
        if (models && !policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            return new Outcome(
                    topic,
                    role,
                    false,
                    true,
                    detail
                            + "; NOT COMPACTED: every model version has the"
                            + " same key, and compaction keeps only the newest instead of days of full parameter sets;"
                            + " fix: kafka-configs.sh --bootstrap-server ... --alter"
                            + " --entity-type topics --entity-name "
                            + topic
                            + " --add-config cleanup.policy=compact");
        }
        if (!models && has < parallelism) {
            detail += " (fewer than job.parallelism: some source or sink subtasks will idle)";
        }
        return new Outcome(topic, role, false, false, detail);
    }

    private static KafkaException failure(String what, ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new KafkaException(
                what + " failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                cause);
    }
}

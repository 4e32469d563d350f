package io.streamcast.notify;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.config.StreamcastConfig.KafkaConfig;
import io.streamcast.config.StreamcastConfig.NotifyConfig;
import io.streamcast.config.StreamcastConfig.NotifyStart;
import io.streamcast.io.KafkaIo;
import io.streamcast.io.OutputDecoder;
import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.notify.Destination.DeliveryException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Forwards the alerts topic to people: reads it {@code read_committed} (only alerts of committed
 * job output), hands each change to a {@link Forwarder}, and commits the record's offset to the
 * {@code notify.group-id} group only once it is delivered, so a restarted notifier goes on after
 * the last delivered alert: none is lost, none is sent again after a clean stop.
 *
 * <p>Implementation notes: partitions are assigned, not subscribed, so that retrying a delivery for
 * longer than {@code max.poll.interval.ms} cannot cost the partitions to a rebalance and turn the
 * commit into a duplicate; the group only stores offsets, so run one notifier per group. A crash
 * between a delivery and its commit sends that one change again on restart (Alertmanager takes the
 * same labels as the same alert; a webhook shows it twice). Alertmanager resolves a firing alert
 * that is not posted again within its {@code resolve_timeout}, so the alerts seen open are posted
 * again every {@code notify.repeat-interval}; after a restart that set is rebuilt from the changes
 * before the committed offsets, read again without being sent.
 */
public final class AlertNotifier implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Forwarder forwarder;
    private final Destination repeatTo;
    private final String destinationNames;
    private final Duration repeatInterval;
    private final Clock clock;
    private final Consumer<String> log;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Map<String, AlertEvent> open = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long delivered;

    /**
     * @param client the Kafka client properties (bootstrap servers, security settings)
     * @param repeatTo the destination open alerts are re-posted to (Alertmanager), or null
     */
    public AlertNotifier(
            KafkaConfig kafka,
            Properties client,
            NotifyConfig notify,
            List<Destination> destinations,
            Destination repeatTo,
            Clock clock,
            Consumer<String> log) {
        Properties p = KafkaIo.committedConsumerProperties(client);
        p.put("group.id", notify.groupId());
        p.put(
                "auto.offset.reset",
                notify.startFrom() == NotifyStart.EARLIEST ? "earliest" : "latest");
        p.putIfAbsent("client.id", "streamcast-notify");
        this.consumer = new KafkaConsumer<>(p);
        this.topic = kafka.alertsTopic();
        this.clock = clock;
        this.log = log;
        this.forwarder =
                new Forwarder(
                        destinations,
                        new Backoff(notify.retryInitial(), notify.retryMax()),
                        clock,
                        this::sleep,
                        log);
        this.destinationNames =
                String.join(" and ", destinations.stream().map(Destination::name).toList());
        this.repeatTo = repeatTo;
        this.repeatInterval = notify.repeatInterval();
    }

    /**
     * The notifier the configuration describes: Alertmanager and/or the webhook of {@code
     * notify.*}, on the configured Kafka's alerts topic.
     *
     * @throws IllegalArgumentException when neither URL is set
     */
    public static AlertNotifier forConfig(StreamcastConfig config, Consumer<String> log) {
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
            throw new IllegalArgumentException(
                    "notify has nowhere to send alerts: set notify.alertmanager-url and/or"
                            + " notify.webhook-url (e.g. --set"
                            + " notify.alertmanager-url=http://localhost:9093)");
        }
        return new AlertNotifier(
                config.kafka(),
                KafkaIo.clientProperties(config.kafka()),
                n,
                destinations,
                alertmanager,
                Clock.systemUTC(),
                log);
    }

    /** Where alerts go, for a message: e.g. "Alertmanager at localhost:9093 and webhook at …". */
    public String destinations() {
        return destinationNames;
    }

    /**
     * Reads and forwards until {@link #close}; throws when the alerts topic does not exist or a
     * destination refuses an alert for good (that alert's offset is not committed).
     */
    public void run() throws DeliveryException {
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException(
                        "the alerts topic '"
                                + topic
                                + "' does not exist: check kafka.topics.alerts, or create it with"
                                + " `streamcast topics`");
            }
            List<TopicPartition> assigned = new ArrayList<>();
            for (PartitionInfo pi : partitions) {
                assigned.add(new TopicPartition(pi.topic(), pi.partition()));
            }
            consumer.assign(assigned);
            recallOpenAlerts(assigned);
            long nextRepeat = clock.millis() + repeatInterval.toMillis();
            while (stop.getCount() > 0) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(500));
                } catch (WakeupException e) {
                    break;
                }
                for (TopicPartition tp : records.partitions()) {
                    for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                        if (!forward(r)) {
                            return;
                        }
                        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(r.offset() + 1)));
                    }
                }
                if (repeatTo != null && clock.millis() >= nextRepeat) {
                    repeatOpen();
                    nextRepeat = clock.millis() + repeatInterval.toMillis();
                }
            }
        } catch (WakeupException stopped) {
            // close() during a commit or a metadata request.
        } finally {
            consumer.close(Duration.ofSeconds(5));
            ended.countDown();
        }
    }

    /**
     * Rebuilds the set of open alerts from the changes delivered before this start (each assigned
     * partition from its beginning up to the group's committed offset), without sending anything,
     * so that a restarted notifier re-posts the alerts still open. Gives up after 30 s (they are
     * then re-posted from their next update on).
     */
    private void recallOpenAlerts(List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed =
                consumer.committed(new java.util.HashSet<>(partitions), Duration.ofSeconds(30));
        Map<TopicPartition, Long> until = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            if (c != null && c.offset() > 0) {
                until.put(tp, c.offset());
            }
        }
        if (repeatTo == null || until.isEmpty()) {
            return;
        }
        List<TopicPartition> others = new ArrayList<>(partitions);
        others.removeAll(until.keySet());
        consumer.pause(others);
        consumer.seekToBeginning(until.keySet());
        long started = System.nanoTime();
        long deadline = started + Duration.ofSeconds(30).toNanos();
        while (stop.getCount() > 0 && System.nanoTime() < deadline) {
            boolean behind = false;
            for (Map.Entry<TopicPartition, Long> e : until.entrySet()) {
                behind |= consumer.position(e.getKey()) < e.getValue();
            }
            if (!behind) {
                break;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                Long end = until.get(new TopicPartition(r.topic(), r.partition()));
                if (end != null && r.offset() < end && r.value() != null) {
                    try {
                        track(OutputDecoder.alertEvent(r.value()));
                    } catch (IllegalArgumentException unreadable) {
                        // Skipped when it was first read.
                    }
                }
            }
        }
        for (Map.Entry<TopicPartition, Long> e : until.entrySet()) {
            consumer.seek(e.getKey(), e.getValue());
        }
        consumer.resume(others);
        if (!open.isEmpty()) {
            log.accept(
                    open.size()
                            + " alerts still open from before this start (read again in "
                            + Duration.ofNanos(System.nanoTime() - started).toMillis()
                            + " ms); re-posting them");
        }
    }

    private void track(AlertEvent a) {
        if (a.state() == AlertStatus.RESOLVE) {
            open.remove(a.alertId());
        } else {
            open.put(a.alertId(), a);
        }
    }

    /** Forwards one record; false when stopped before it was delivered. */
    private boolean forward(ConsumerRecord<byte[], byte[]> r) throws DeliveryException {
        AlertEvent a;
        try {
            a = OutputDecoder.alertEvent(r.value() == null ? new byte[0] : r.value());
        } catch (IllegalArgumentException e) {
            log.accept(
                    "skipped an unreadable alert at "
                            + r.topic()
                            + "-"
                            + r.partition()
                            + " offset "
                            + r.offset()
                            + ": "
                            + e.getMessage());
            return true;
        }
        if (!forwarder.deliver(a)) {
            return false;
        }
        delivered++;
        track(a);
        log.accept(
                "forwarded "
                        + a.state().name().toLowerCase(java.util.Locale.ROOT)
                        + " of alert "
                        + a.alertId());
        return true;
    }

    /** One attempt per open alert; a failure waits for the next interval. */
    private void repeatOpen() {
        for (AlertEvent a : open.values()) {
            try {
                repeatTo.send(a, clock.instant());
            } catch (DeliveryException e) {
                log.accept("could not re-post open alert " + a.alertId() + ": " + e.getMessage());
            }
        }
    }

    /** Alerts open as far as this notifier knows (re-posted to Alertmanager). */
    public int openAlerts() {
        return open.size();
    }

    /** Alert changes delivered so far. */
    public long delivered() {
        return delivered;
    }

    private boolean sleep(Duration d) {
        try {
            return !stop.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops reading after the change being delivered (one being retried is abandoned, uncommitted)
     * and waits up to 10 s for {@link #run} to end.
     */
    @Override
    public void close() throws InterruptedException {
        // No consumer.wakeup(): it could cut a commit after a delivery short, and the change would
        // be sent again on restart. A poll returns within 500 ms.
        stop.countDown();
        ended.await(10, TimeUnit.SECONDS);
    }
}

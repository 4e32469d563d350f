package io.streamcast.io;

import io.streamcast.config.ConfigException;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.config.StreamcastConfig.KafkaConfig;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.ParsedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the job's Kafka source (parsing in the reader, so watermarks are per partition) and its
 * transactional sinks, which route each {@link OutputRecord} to its stream's topic. Client
 * properties from {@code kafka.properties} (security, tuning) pass through to both.
 */
public final class KafkaIo {
    /**
     * Kafka brokers cap transactions at 15 minutes by default; the connector's default of 1 hour is
     * refused.
     */
    public static final String TRANSACTION_TIMEOUT_MS = "600000";

    private KafkaIo() {}

    /** Reads the events topic from the group's committed offsets (earliest when there are none). */
    public static KafkaSource<ParsedEvent> source(StreamcastConfig config) {
        return sourceBuilder(config)
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .build();
    }

    /** A bounded source over [fromMillis, toMillis) of the events topic, for backfills. */
    public static KafkaSource<ParsedEvent> boundedSource(
            StreamcastConfig config, long fromMillis, long toMillis) {
        return sourceBuilder(config)
                .setStartingOffsets(OffsetsInitializer.timestamp(fromMillis))
                .setBounded(OffsetsInitializer.timestamp(toMillis))
                .build();
    }

    private static KafkaSourceBuilder<ParsedEvent> sourceBuilder(StreamcastConfig config) {
        KafkaConfig kafka = config.kafka();
        return KafkaSource.<ParsedEvent>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(kafka.eventsTopic())
                .setGroupId(kafka.groupId())
                .setProperties(withFetchBatching(clientProperties(kafka)))
                .setProperty("isolation.level", "read_committed")
                .setDeserializer(
                        new Deserializer(
                                new EventParser(
                                        config.window().features(),
                                        config.time(),
                                        Clock.systemUTC())));
    }

    /**
     * The job's two transactional sinks. The per-reading one keeps the transactional-id prefix of
     * earlier versions, so that a restored job still finds (and aborts) the transactions they left
     * open; the other has its own, which does not begin with the first (aborting lingering
     * transactions may match ids by prefix).
     */
    public static OutputSinks sinks(StreamcastConfig config) {
        String job = config.job().name();
        String forecasts = config.kafka().forecastsTopic();
        return new OutputSinks(
                sink(config, job + "-" + forecasts), sink(config, job + "-others-" + forecasts));
    }

    static KafkaSink<OutputRecord> sink(StreamcastConfig config, String transactionalIdPrefix) {
        KafkaConfig kafka = config.kafka();
        boolean exactlyOnce = config.job().exactlyOnce();
        Properties props = clientProperties(kafka);
        props.putIfAbsent("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        batchProduces(props);
        return KafkaSink.<OutputRecord>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(props)
                .setRecordSerializer(new Router(kafka, Clock.systemUTC(), maxRequestSize(props)))
                .setDeliveryGuarantee(
                        exactlyOnce
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .build();
    }

    /**
     * The producer's {@code max.request.size}: from {@code kafka.properties}, else Kafka's default.
     */
    static int maxRequestSize(Properties producer) {
        Object v = producer.get("max.request.size");
        if (v == null) {
            return Router.DEFAULT_MAX_REQUEST_SIZE;
        }
        try {
            int bytes = Integer.parseInt(v.toString().trim());
            if (bytes >= Router.MIN_MAX_REQUEST_SIZE) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(
                "kafka.properties.max.request.size",
                v,
                "must be a number of bytes, at least "
                        + Router.MIN_MAX_REQUEST_SIZE
                        + " (room for a dead letter)");
    }

    /**
     * The pass-through client properties (security settings and tuning) from {@code
     * kafka.properties}.
     */
    public static Properties clientProperties(KafkaConfig kafka) {
        Properties props = new Properties();
        props.putAll(kafka.properties());
        props.put("bootstrap.servers", kafka.bootstrapServers());
        return props;
    }

    /**
     * A byte-array producer for the configured Kafka, client properties passed through
     * (simulators).
     */
    public static Properties producerProperties(KafkaConfig kafka) {
        return byteProducer(clientProperties(kafka));
    }

    /** A byte-array producer for a plain broker (the demo, tests). */
    public static Properties producerProperties(String bootstrapServers) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        return byteProducer(props);
    }

    private static Properties byteProducer(Properties props) {
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        return batchProduces(props);
    }

    /**
     * Producer defaults (each overridable through {@code kafka.properties}): records are small and
     * many, so batches are allowed 20 ms and 256 KB to fill. Fewer, larger produce requests cut the
     * broker's CPU per record by about a third in {@code bench} (docs/performance.md), for at most
     * 20 ms of added latency.
     */
    private static Properties batchProduces(Properties props) {
        props.putIfAbsent("linger.ms", "20");
        props.putIfAbsent("batch.size", "262144");
        return props;
    }

    /**
     * Consumer defaults (overridable): a fetch returns once 64 KB are there or 20 ms have passed,
     * instead of as soon as one record is, so that a busy topic is read in fewer, larger fetches.
     */
    private static Properties withFetchBatching(Properties props) {
        props.putIfAbsent("fetch.min.bytes", "65536");
        props.putIfAbsent("fetch.max.wait.ms", "20");
        return props;
    }

    /**
     * A byte-array consumer of committed records only (read_committed), with {@code client}'s
     * bootstrap servers and security settings, no auto-commit and no topic auto-creation: how the
     * commands that read the job's topics on a user's Kafka (dashboard, notify, generate) read.
     * Offsets, group and client id are the caller's.
     */
    public static Properties committedConsumerProperties(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put("isolation.level", "read_committed");
        props.put("enable.auto.commit", "false");
        props.put("allow.auto.create.topics", "false");
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return props;
    }

    /**
     * A byte-array consumer in a fresh group named {@code groupPrefix-<uuid>} that reads from the
     * start and sees committed records only: how a reader of exactly-once output must read (the
     * demo, bench, tests).
     */
    public static Properties committedReaderProperties(
            String bootstrapServers, String groupPrefix) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", groupPrefix + "-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return withFetchBatching(props);
    }

    /** Parses records as they are read; parse failures become dead letters, never exceptions. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<ParsedEvent> {
        private final EventParser parser;

        Deserializer(EventParser parser) {
            this.parser = parser;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedEvent> out) {
            out.collect(
                    parser.parse(
                            record.key(),
                            record.value(),
                            record.topic(),
                            record.partition(),
                            record.offset()));
        }

        @Override
        public TypeInformation<ParsedEvent> getProducedType() {
            return TypeInformation.of(ParsedEvent.class);
        }
    }

    /**
     * Sends each output record to its stream's topic, keyed by series id, stamped so that a broker
     * with default settings accepts it; a record too large to send becomes a dead letter instead.
     *
     * <p>Implementation notes: the Kafka sink fails its task on any failed send, and a restored
     * task sends the same record again: a record the broker refuses for its content would
     * crash-loop the job. Two content rules apply to every record: the timestamp (Kafka 4 refuses
     * records stamped more than {@code log.message.timestamp.after.max.ms}, one hour by default,
     * ahead of the broker's clock, and the producer refuses negative ones) and the size ({@code
     * max.request.size} in the producer, {@code message.max.bytes} in the broker). So the stamp is
     * the record's event time capped at this clock's now (and at 0 from below): the event time
     * itself stays in the JSON. And a record whose key and value exceed the producer's {@code
     * max.request.size} less {@link #RECORD_OVERHEAD} is replaced by an {@code OUTPUT_TOO_LARGE}
     * dead letter that keeps the start of its bytes. A broker or topic whose size limit is below
     * the producer's must be matched by setting {@code max.request.size} in {@code
     * kafka.properties}.
     */
    static final class Router implements KafkaRecordSerializationSchema<OutputRecord> {
        /**
         * Bytes a record adds to its key and value in a batch of its own: batch header, lengths,
         * attributes.
         */
        static final int RECORD_OVERHEAD = 256;

        /**
         * The smallest {@code max.request.size} accepted: a dead letter (a raw prefix of up to
         * 1,024 characters of up to 4 bytes each, a message and a source) must fit, or an oversized
         * record could not be replaced.
         */
        static final int MIN_MAX_REQUEST_SIZE = 16 * 1024;

        /** The Kafka producer's default {@code max.request.size}. */
        static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

        private static final Logger LOG = LoggerFactory.getLogger(Router.class);

        private final KafkaConfig kafka;
        private final Clock clock;
        private final int maxRecordBytes;
        private transient Counter oversized;

        Router(KafkaConfig kafka, Clock clock, int maxRequestSize) {
            if (maxRequestSize < MIN_MAX_REQUEST_SIZE) {
                throw new IllegalArgumentException(
                        "maxRequestSize must be at least "
                                + MIN_MAX_REQUEST_SIZE
                                + " bytes, got "
                                + maxRequestSize);
            }
            this.kafka = kafka;
            this.clock = clock;
            this.maxRecordBytes = maxRequestSize - RECORD_OVERHEAD;
        }

        @Override
        public void open(
                SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            oversized = context.getMetricGroup().counter("oversizedRecords");
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                OutputRecord r, KafkaSinkContext context, Long timestamp) {
            byte[] key = r.key().getBytes(StandardCharsets.UTF_8);
            if (key.length + r.json().length > maxRecordBytes) {
                return serialize(tooLarge(r, key.length), context, timestamp);
            }
            return new ProducerRecord<>(
                    kafka.topic(r.stream()), null, stamp(timestamp), key, r.json());
        }

        /**
         * The event time capped at now: never ahead of this clock (nor negative); null stays null
         * (send time).
         */
        Long stamp(Long eventTime) {
            if (eventTime == null) {
                return null;
            }
            return Math.max(0, Math.min(eventTime, clock.millis()));
        }

        private OutputRecord tooLarge(OutputRecord r, int keyBytes) {
            String topic = kafka.topic(r.stream());
            String message =
                    r.stream().name().toLowerCase(Locale.ROOT)
                            + " record of "
                            + (keyBytes + r.json().length)
                            + " bytes (key '"
                            + r.key()
                            + "') exceeds the "
                            + maxRecordBytes
                            + " bytes that max.request.size allows a record";
            if (oversized != null) {
                oversized.inc();
            }
            LOG.warn("Not sent to {}, written to the dead letters instead: {}", topic, message);
            return OutputEncoder.deadLetter(
                    new DeadLetter(
                            DeadLetter.Reason.OUTPUT_TOO_LARGE,
                            message,
                            EventParser.rawPrefix(r.json()),
                            topic,
                            -1,
                            -1));
        }
    }
}

package io.streamcast.bench;

import io.streamcast.io.KafkaIo;
import io.streamcast.io.OutputDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The bench's reader of the forecasts topic: reads every forecast as written (read_uncommitted),
 * counts them, and for a 1-in-64 sample of series measures event → forecast latency twice: when the
 * forecast was written, and when it became visible to read_committed consumers, i.e. when the
 * topic's last stable offset (what {@code endOffsets} returns under read_committed) passed it.
 *
 * <p>Implementation notes: the committed latency is not measured with a second, read_committed
 * consumer: under exactly-once it would receive a whole checkpoint's forecasts in one burst when
 * the transaction commits, and that burst competes with the job for the same cores, so it would
 * make the very tail it measures. Watching the last stable offset costs one small request per poll
 * instead.
 */
final class LatencyProbe extends Thread {
    /** A series' reading at a time: whose forecast's latency is measured. */
    record Reading(String series, long ts) {}

    private static final long POLL_MS = 20;

    private final Properties written;
    private final Properties committed;
    private final String topic;
    private final Map<Reading, Long> sentAt;
    private final long measureFrom;

    /** Guards the latency lists, which the reader thread fills and the bench reads. */
    private final Object lock = new Object();

    private final List<Long> writtenLatencies = new ArrayList<>();

    /** When each of {@link #writtenLatencies} was received (nanoTime), for the per-second view. */
    private final List<Long> receivedAt = new ArrayList<>();

    /** When the event of each of {@link #writtenLatencies} was sent (nanoTime), for steps. */
    private final List<Long> sentTimes = new ArrayList<>();

    private final List<Long> committedLatencies = new ArrayList<>();

    /** Sampled forecasts not yet committed, per partition in offset order: {offset, sent nanos}. */
    private final Map<Integer, ArrayDeque<long[]>> uncommitted = new HashMap<>();

    private volatile boolean stop;
    private volatile long total;
    private volatile long committedOffsets;
    private volatile boolean allCommitted;

    /** Forecasts written from the end of the warm-up until {@link #stopCounting}. */
    private volatile long measuredCount;

    private volatile boolean counting = true;

    LatencyProbe(String servers, String topic, Map<Reading, Long> sentAt, long measureFrom) {
        super("bench-forecast-reader");
        this.written = KafkaIo.committedReaderProperties(servers, "bench-written");
        written.put("isolation.level", "read_uncommitted");
        written.put("max.poll.records", "5000");
        this.committed = KafkaIo.committedReaderProperties(servers, "bench-committed");
        this.topic = topic;
        this.sentAt = sentAt;
        this.measureFrom = measureFrom;
        setDaemon(true);
    }

    @Override
    public void run() {
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(written);
                KafkaConsumer<byte[], byte[]> stable = new KafkaConsumer<>(committed)) {
            List<TopicPartition> partitions = new ArrayList<>();
            stable.partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            while (!stop) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(POLL_MS))) {
                    read(r);
                }
                watchCommits(stable, reader, partitions);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void read(ConsumerRecord<byte[], byte[]> r) throws Exception {
        long received = System.nanoTime();
        total++;
        if (counting && received >= measureFrom) {
            measuredCount++;
        }
        Long sent = sampledSendTime(r);
        if (sent != null && sent >= measureFrom) {
            synchronized (lock) {
                writtenLatencies.add(received - sent);
                receivedAt.add(received);
                sentTimes.add(sent);
            }
            uncommitted
                    .computeIfAbsent(r.partition(), p -> new ArrayDeque<>())
                    .add(new long[] {r.offset(), sent});
        }
    }

    /** Samples whose offsets the last stable offset has passed are committed now. */
    private void watchCommits(
            KafkaConsumer<byte[], byte[]> stable,
            KafkaConsumer<byte[], byte[]> reader,
            List<TopicPartition> partitions) {
        Map<TopicPartition, Long> lso = stable.endOffsets(partitions);
        long now = System.nanoTime();
        long sum = 0;
        boolean caughtUp = true;
        for (TopicPartition tp : partitions) {
            long stableOffset = lso.get(tp);
            sum += stableOffset;
            ArrayDeque<long[]> waiting = uncommitted.get(tp.partition());
            while (waiting != null && !waiting.isEmpty() && waiting.peek()[0] < stableOffset) {
                long[] sample = waiting.poll();
                synchronized (lock) {
                    committedLatencies.add(now - sample[1]);
                }
            }
            // Everything is committed once the stable offset reached what the reader has read to
            // (markers too).
            caughtUp &=
                    stableOffset >= reader.position(tp) && (waiting == null || waiting.isEmpty());
        }
        committedOffsets = sum;
        allCommitted = caughtUp;
    }

    /**
     * The send time of a sampled event's forecast (null if the event was not sampled), forgotten
     * once read.
     */
    private Long sampledSendTime(ConsumerRecord<byte[], byte[]> r) throws Exception {
        String series = new String(r.key(), StandardCharsets.UTF_8);
        if (!sampled(series)) {
            return null;
        }
        return sentAt.remove(new Reading(series, OutputDecoder.forecast(r.value()).ts()));
    }

    /**
     * Whether the bench measures the latency of this series' forecasts: 1 in 64, chosen by the id's
     * hash.
     */
    static boolean sampled(String series) {
        return (series.hashCode() & 63) == 0;
    }

    /** Forecasts read so far. */
    long total() {
        return total;
    }

    /**
     * Offsets below the read_committed end of the topic, summed over partitions: the forecasts
     * committed so far, plus one transaction marker per partition and commit.
     */
    long committedOffsets() {
        return committedOffsets;
    }

    /** Whether every forecast read so far is also committed. */
    boolean allCommitted() {
        return allCommitted;
    }

    /** Forecasts written since the warm-up ended; counts no more after this call. */
    long stopCounting() {
        counting = false;
        return measuredCount;
    }

    void finish() throws InterruptedException {
        stop = true;
        join(5000);
    }

    long[] writtenLatencies() {
        synchronized (lock) {
            return writtenLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    /** The written latencies (sorted) of the sampled events sent in [from, to), read so far. */
    long[] writtenLatenciesSentBetween(long from, long to) {
        synchronized (lock) {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < writtenLatencies.size(); i++) {
                long sent = sentTimes.get(i);
                if (sent >= from && sent < to) {
                    out.add(writtenLatencies.get(i));
                }
            }
            return out.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    long[] committedLatencies() {
        synchronized (lock) {
            return committedLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    /**
     * The written latencies second by second (by when the forecast was received): where in time the
     * tail comes from, e.g. every checkpoint or every training round.
     */
    List<SecondOfLatency> bySecond(
            List<Long> checkpointsAt, List<Long> roundsAt, List<long[]> compiledAt) {
        TreeMap<Long, List<Long>> seconds = new TreeMap<>();
        synchronized (lock) {
            for (int i = 0; i < writtenLatencies.size(); i++) {
                long second = (receivedAt.get(i) - measureFrom) / 1_000_000_000L;
                seconds.computeIfAbsent(second, s -> new ArrayList<>())
                        .add(writtenLatencies.get(i));
            }
        }
        List<SecondOfLatency> out = new ArrayList<>();
        seconds.forEach(
                (second, values) -> {
                    long max = values.stream().mapToLong(Long::longValue).max().orElse(0);
                    long from = measureFrom + second * 1_000_000_000L;
                    long to = from + 1_000_000_000L;
                    out.add(
                            new SecondOfLatency(
                                    second,
                                    values.size(),
                                    max / 1e6,
                                    within(checkpointsAt, from, to),
                                    within(roundsAt, from, to),
                                    compiledBy(compiledAt, to) - compiledBy(compiledAt, from)));
                });
        return out;
    }

    /**
     * From samples of {nanoTime, the JIT's cumulative compile milliseconds} in time order, the
     * cumulative value of the newest sample taken at or before {@code t} (0 if none).
     */
    static long compiledBy(List<long[]> samples, long t) {
        long ms = 0;
        for (long[] sample : samples) {
            if (sample[0] > t) {
                break;
            }
            ms = sample[1];
        }
        return ms;
    }

    private static long within(List<Long> times, long from, long to) {
        return times.stream().filter(t -> t >= from && t < to).count();
    }

    /**
     * The written latencies of forecasts received in one second of the measured interval, how many
     * checkpoints completed and training rounds ended in it, and how many milliseconds the JIT
     * compilers spent compiling in it (as the bench's 100 ms polls saw them).
     */
    record SecondOfLatency(
            long second, int samples, double maxMs, long checkpoints, long rounds, long jitMs) {}
}

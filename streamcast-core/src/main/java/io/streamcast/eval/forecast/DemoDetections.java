package io.streamcast.eval.forecast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's detection accounting: the anomalous readings the simulator injected and the alerts the
 * job opened, matched per series within {@code windowMillis}. Readings and alerts may be recorded
 * from different threads; the counts are read once both have stopped.
 */
public final class DemoDetections {
    private final long windowMillis;
    private final Map<String, Set<Long>> injected = new ConcurrentHashMap<>();
    private final List<Opened> opened = Collections.synchronizedList(new ArrayList<>());

    private record Opened(String series, long ts) {}

    /** How many injected anomalies an alert opened for, of how many. */
    public record Caught(long caught, long of) {}

    /**
     * Anomalous readings less than {@code windowMillis} apart are one anomaly, and an alert that
     * opens up to {@code windowMillis} after one catches it.
     */
    public DemoDetections(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** The simulator injected an anomalous reading of {@code series} at {@code ts}. */
    public void injected(String series, long ts) {
        injected.computeIfAbsent(series, s -> ConcurrentHashMap.newKeySet()).add(ts);
    }

    /** The job opened an alert on {@code series} at {@code ts}. */
    public void opened(String series, long ts) {
        opened.add(new Opened(series, ts));
    }

    public long anomalousReadings() {
        return injected.values().stream().mapToLong(Set::size).sum();
    }

    public int alertsOpened() {
        return opened.size();
    }

    /**
     * Injected anomalies (a series' anomalous readings, those less than the window apart counted as
     * one) and how many of them an alert opened for, from their first reading to the window after
     * their last.
     */
    public Caught caught() {
        long all = 0;
        long caught = 0;
        for (var e : injected.entrySet()) {
            List<Long> opens = opensOf(e.getKey());
            List<Long> times = e.getValue().stream().sorted().toList();
            int i = 0;
            while (i < times.size()) {
                long first = times.get(i);
                long last = first;
                while (i + 1 < times.size() && times.get(i + 1) - last < windowMillis) {
                    last = times.get(++i);
                }
                i++;
                all++;
                long to = last + windowMillis;
                if (opens.stream().anyMatch(t -> t >= first && t <= to)) {
                    caught++;
                }
            }
        }
        return new Caught(caught, all);
    }

    /** Opened alerts that start within the window after an injected reading of their series. */
    public long alertsNearInjected() {
        synchronized (opened) {
            return opened.stream()
                    .filter(
                            o ->
                                    injected.getOrDefault(o.series(), Set.of()).stream()
                                            .anyMatch(
                                                    t -> o.ts() >= t && o.ts() - t <= windowMillis))
                    .count();
        }
    }

    private List<Long> opensOf(String series) {
        synchronized (opened) {
            return opened.stream().filter(o -> o.series().equals(series)).map(Opened::ts).toList();
        }
    }
}

package io.streamcast.cli;

import io.streamcast.cli.JobMetrics.Snapshot;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a local {@code run} prints while it runs, from the job's metrics ({@link JobMetrics}): a
 * status line every {@code every} (unless quiet), one line per model promotion, a warning when most
 * of an interval's input was dead-lettered (naming the reason and its usual cause), and the totals
 * for the closing line. Counters restart at 0 when the job restarts from a checkpoint; the totals
 * here keep counting across that.
 */
final class RunReporter {
    /** Dead letters in an interval at or above this share of its input draw a warning. */
    static final double WARN_SHARE = 0.5;

    /** Fewer readings in an interval than this draw no warning (a stray bad record is normal). */
    static final long WARN_MIN_EVENTS = 20;

    private final PrintStream out;
    private final long everyMillis;
    private final boolean quiet;
    private final long startedAt;
    private final Totals totals = new Totals();

    private Snapshot previous;
    private Totals atLastLine = new Totals();
    private long lastLineAt;
    private long version = -1;

    RunReporter(PrintStream out, Duration every, boolean quiet, long startedAt) {
        this.out = out;
        this.everyMillis = every.toMillis();
        this.quiet = quiet;
        this.startedAt = startedAt;
        this.lastLineAt = startedAt;
    }

    /** Takes the numbers read at {@code now} (epoch ms); prints what is due. */
    synchronized void accept(Snapshot s, long now) {
        totals.add(previous, s);
        previous = s;
        if (s.modelVersion() > version) {
            if (version >= 0) {
                out.println(prefix(now) + promotion(s));
            }
            version = s.modelVersion();
        }
        if (now - lastLineAt >= everyMillis) {
            Totals interval = totals.minus(atLastLine);
            String warning = warning(interval);
            if (!quiet) {
                out.println(
                        prefix(now) + statusLine(totals, s, interval, (now - lastLineAt) / 1000.0));
            }
            if (warning != null) {
                out.println(prefix(now) + warning);
            }
            atLastLine = totals.copy();
            lastLineAt = now;
        }
    }

    /** "N events in, N forecasts out, N dead letters (...), model vN" since the start. */
    synchronized String totals() {
        return String.format(
                        "%,d events in, %,d forecasts out, %s",
                        totals.eventsIn, totals.forecastsOut, deadLetters(totals.deadLetters))
                + (version >= 0 ? ", serving model v" + version : "");
    }

    synchronized String elapsed(long now) {
        return duration(now - startedAt);
    }

    private String prefix(long now) {
        return "[run " + duration(now - startedAt) + "] ";
    }

    /**
     * One status line: the run's totals, the interval's input rate, and the job's serving model,
     * consumer lag and newest checkpoint from {@code s}.
     */
    static String statusLine(Totals totals, Snapshot s, Totals interval, double seconds) {
        StringBuilder line = new StringBuilder();
        line.append(
                String.format(
                        "%,d events in (%,.0f/s), %,d forecasts out, %s",
                        totals.eventsIn,
                        seconds > 0 ? interval.eventsIn / seconds : 0.0,
                        totals.forecastsOut,
                        deadLetters(totals.deadLetters)));
        if (s.modelVersion() >= 0) {
            line.append(", model v").append(s.modelVersion());
        }
        if (s.pendingRecords() >= 0) {
            line.append(String.format(", lag %,d", s.pendingRecords()));
        }
        line.append(
                s.checkpoint() == null
                        ? ", no checkpoint yet"
                        : ", last checkpoint #" + s.checkpoint().id());
        return line.toString();
    }

    static String promotion(Snapshot s) {
        return "model v"
                + s.modelVersion()
                + " promoted"
                + (Double.isNaN(s.trainingLoss())
                        ? ""
                        : String.format(" (training loss %.4g)", s.trainingLoss()));
    }

    /**
     * A warning when at least {@link #WARN_SHARE} of the interval's readings were dead-lettered,
     * naming the most common reason and what usually causes it; null otherwise.
     */
    static String warning(Totals interval) {
        long dead = interval.deadLetters.values().stream().mapToLong(Long::longValue).sum();
        if (interval.eventsIn < WARN_MIN_EVENTS || dead < WARN_SHARE * interval.eventsIn) {
            return null;
        }
        Map.Entry<String, Long> top =
                interval.deadLetters.entrySet().stream()
                        .max(Map.Entry.comparingByValue())
                        .orElseThrow();
        return String.format(
                "WARNING: %,d of the last %,d readings were dead-lettered, %,d of them %s%s",
                dead, interval.eventsIn, top.getValue(), top.getKey(), cause(top.getKey()));
    }

    private static String cause(String reason) {
        return switch (reason) {
            case "LATE" ->
                    ": older than their series' newest reading (readings sent again, a second"
                            + " generate with the same --start, or a file newest first);"
                            + " `tail dead-letters` shows them";
            case "DUPLICATE" ->
                    ": a time their series already had (the same readings sent twice);"
                            + " `tail dead-letters` shows them";
            case "FUTURE_TIMESTAMP" ->
                    ": ahead of this machine's clock by more than time.max-ahead (a sensor"
                            + " clock or a time zone off?)";
            case "MALFORMED_JSON", "MISSING_FIELD", "INVALID_VALUE", "INVALID_TIMESTAMP" ->
                    ": not the event format (README, Event format); `tail dead-letters` shows"
                            + " them";
            case "INVALID_FEATURE" ->
                    ": features other than window.features; `tail dead-letters` shows them";
            default -> "; `tail dead-letters` shows them";
        };
    }

    static String deadLetters(Map<String, Long> byReason) {
        long total = byReason.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return "0 dead letters";
        }
        List<String> parts = new ArrayList<>();
        byReason.forEach((r, n) -> parts.add(r + " " + String.format("%,d", n)));
        return String.format("%,d dead letters (%s)", total, String.join(", ", parts));
    }

    static String duration(long millis) {
        long s = millis / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format("%02d", (s / 60) % 60) + "m";
    }

    /** Counts that keep growing when the job's own counters restart at 0. */
    static final class Totals {
        long eventsIn;
        long forecastsOut;
        final Map<String, Long> deadLetters = new TreeMap<>();

        void add(Snapshot before, Snapshot now) {
            eventsIn += grown(before == null ? 0 : before.eventsIn(), now.eventsIn());
            forecastsOut += grown(before == null ? 0 : before.forecastsOut(), now.forecastsOut());
            now.deadLetters()
                    .forEach(
                            (reason, n) -> {
                                long was =
                                        before == null
                                                ? 0
                                                : before.deadLetters().getOrDefault(reason, 0L);
                                long more = grown(was, n);
                                if (more > 0) {
                                    deadLetters.merge(reason, more, Long::sum);
                                }
                            });
        }

        /** A counter that went down has restarted: all of it is new. */
        private static long grown(long before, long now) {
            return now >= before ? now - before : now;
        }

        Totals minus(Totals earlier) {
            Totals d = new Totals();
            d.eventsIn = eventsIn - earlier.eventsIn;
            d.forecastsOut = forecastsOut - earlier.forecastsOut;
            deadLetters.forEach(
                    (r, n) -> {
                        long more = n - earlier.deadLetters.getOrDefault(r, 0L);
                        if (more > 0) {
                            d.deadLetters.put(r, more);
                        }
                    });
            return d;
        }

        Totals copy() {
            return minus(new Totals());
        }
    }
}

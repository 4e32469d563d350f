package io.streamcast.simulate;

import io.streamcast.io.OutputEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A deterministic sensor fleet: each series has its own level, a daily cycle, a slow trend and
 * noise, and occasionally an injected anomaly (a spike or a level shift). {@link #nextRound()}
 * yields one reading per series at the next simulated timestamp; the same seed always yields the
 * same readings.
 */
public final class SensorSimulator {
    /** Simulated sampling interval: 15 minutes, so a day is 96 steps. */
    public static final long STEP_MILLIS = 15 * 60 * 1000L;

    /**
     * Where {@code demo}, {@code generate} and {@code bench} start the simulated clock,
     * 2026-01-01T00:00:00Z, unless the run would then end after the wall clock ({@link
     * #startEndingBy}).
     */
    public static final long DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private static final int DAY_STEPS = 96;

    private final int series;

    /**
     * Series names, made once: formatting one per reading took half of a load generator's time in
     * the bench.
     */
    private final String[] names;

    private final double anomalyRate;
    private final Random random;
    private final double[] level;
    private final double[] amplitude;
    private final double[] phase;
    private final double[] shift;
    private final int[] shiftLeft;
    private long ts;
    private long step;

    public SensorSimulator(int series, long startMillis, double anomalyRate, long seed) {
        this.series = series;
        this.anomalyRate = anomalyRate;
        this.random = new Random(seed);
        this.level = new double[series];
        this.amplitude = new double[series];
        this.phase = new double[series];
        this.shift = new double[series];
        this.shiftLeft = new int[series];
        this.names = new String[series];
        for (int i = 0; i < series; i++) {
            names[i] = seriesName(i);
            level[i] = 20 + random.nextInt(180);
            amplitude[i] = level[i] * (0.1 + 0.2 * random.nextDouble());
            phase[i] = random.nextDouble() * 2 * Math.PI;
        }
        this.ts = startMillis;
    }

    /**
     * The time of the last of {@code readings} readings of {@code series} series from {@code
     * startMillis} (one reading per series per step); {@code Long.MAX_VALUE} when out of range.
     */
    public static long endOf(long startMillis, long readings, int series) {
        long steps = (Math.max(1, readings) + series - 1) / series;
        try {
            return Math.addExact(startMillis, Math.multiplyExact(steps - 1, STEP_MILLIS));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Where to start the simulated clock so that {@code readings} readings of {@code series} series
     * (one reading per series per step) end no later than {@code notAfterMillis}: {@link
     * #DEFAULT_START} when they fit, else the latest step boundary that fits ({@code
     * Long.MIN_VALUE} when even that is out of range).
     *
     * <p>A simulator must never run ahead of the wall clock: Kafka refuses records stamped more
     * than an hour ahead of the broker's clock (its default {@code
     * log.message.timestamp.after.max.ms}), and the job dead-letters readings further ahead than
     * {@code time.max-ahead}. Each step is {@link #STEP_MILLIS} of simulated time, so a fast run
     * covers months in seconds: starting it early enough keeps every reading in the past.
     */
    public static long startEndingBy(long readings, int series, long notAfterMillis) {
        if (readings < 1 || series < 1) {
            throw new IllegalArgumentException(
                    "readings and series must be positive, got " + readings + " and " + series);
        }
        long steps = (readings + series - 1) / series;
        long span;
        try {
            span = Math.multiplyExact(steps - 1, STEP_MILLIS);
        } catch (ArithmeticException e) {
            return Long.MIN_VALUE;
        }
        if (DEFAULT_START <= notAfterMillis - span) {
            return DEFAULT_START;
        }
        return Math.floorDiv(notAfterMillis - span, STEP_MILLIS) * STEP_MILLIS;
    }

    /**
     * One simulated reading; {@code anomaly} marks injected ones so that demos and tests can check
     * detection.
     */
    public record Reading(String series, long ts, double value, boolean anomaly) {
        /** The event JSON of docs/design.md §2. */
        public byte[] toJson() {
            return ("{\"series\":\""
                            + series
                            + "\",\"ts\":\""
                            + OutputEncoder.iso(ts)
                            + "\",\"value\":"
                            + Math.round(value * 1000) / 1000.0
                            + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    public static String seriesName(int i) {
        return String.format("sensor-%04d", i);
    }

    public List<Reading> nextRound() {
        List<Reading> out = new ArrayList<>(series);
        double day = 2 * Math.PI * step / DAY_STEPS;
        for (int i = 0; i < series; i++) {
            double v =
                    level[i] * (1 + 0.0005 * step / DAY_STEPS)
                            + amplitude[i] * Math.sin(day + phase[i])
                            + 0.3 * amplitude[i] * Math.sin(2 * day + 2 * phase[i])
                            + 0.03 * amplitude[i] * random.nextGaussian();
            boolean anomaly = false;
            if (shiftLeft[i] > 0) {
                shiftLeft[i]--;
                v += shift[i];
                anomaly = true;
            } else if (random.nextDouble() < anomalyRate) {
                anomaly = true;
                double size =
                        amplitude[i]
                                * (2 + 2 * random.nextDouble())
                                * (random.nextBoolean() ? 1 : -1);
                if (random.nextBoolean()) {
                    v += size; // a one-reading spike
                } else {
                    shift[i] = size; // a level shift for a few hours
                    shiftLeft[i] = 8 + random.nextInt(16);
                    v += size;
                }
            }
            out.add(new Reading(names[i], ts, v, anomaly));
        }
        ts += STEP_MILLIS;
        step++;
        return out;
    }
}

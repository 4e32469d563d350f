package io.streamcast.eval.forecast;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * A seeded synthetic series with a known optimum: a deterministic pattern (a daily sine, or a
 * weekly pattern of weekday and weekend levels with a daily cycle), optionally shifted in level or
 * with its noise scaled from some reading on, plus independent Gaussian noise. The best possible
 * one-step forecast is the pattern itself ({@link #optimum}), so its mean absolute error is the
 * noise's, {@code sigma * sqrt(2 / pi)} ({@link #noiseFloor}). Readings start at 2026-01-01T00:00Z
 * (a Thursday), evenly spaced.
 *
 * <pre>{@code
 * SyntheticSeries s = SyntheticSeries.dailySine("sine", 3000, 5, 0.8, 26).withLevelShift(1500, 10);
 * }</pre>
 */
public final class SyntheticSeries {
    /** The first reading's time. */
    public static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private static final double MINUTES_PER_DAY = 1440;
    private static final double HALF_MEAN_ABS = Math.sqrt(2 / Math.PI);

    private final String name;
    private final long[] ts;
    private final double[] optimum;
    private final double[] noise;
    private final double[] sigma;

    private SyntheticSeries(
            String name, long[] ts, double[] optimum, double[] noise, double[] sigma) {
        this.name = name;
        this.ts = ts;
        this.optimum = optimum;
        this.noise = noise;
        this.sigma = sigma;
    }

    /**
     * {@code rows} readings {@code stepMinutes} apart of {@code 50 + 10 sin(2 pi t / 1 day)} plus
     * noise of standard deviation {@code sigma}, drawn from {@code seed}.
     */
    public static SyntheticSeries dailySine(
            String name, int rows, int stepMinutes, double sigma, long seed) {
        return of(
                name,
                rows,
                stepMinutes,
                sigma,
                seed,
                minutes -> 50 + 10 * Math.sin(2 * Math.PI * minutes / MINUTES_PER_DAY));
    }

    /**
     * Hourly readings of a weekly pattern: level 50 on weekdays and 35 on Saturdays and Sundays
     * (UTC), plus a daily cycle of amplitude 8 (6 at weekends) peaking at 15:00, plus noise.
     */
    public static SyntheticSeries weekly(String name, int rows, double sigma, long seed) {
        return of(
                name,
                rows,
                60,
                sigma,
                seed,
                minutes -> {
                    long day = (long) Math.floor(minutes / MINUTES_PER_DAY);
                    // Day 0 is a Thursday: days 2 and 3 of each week are the weekend.
                    boolean weekend = Math.floorMod(day, 7) == 2 || Math.floorMod(day, 7) == 3;
                    double hour = (minutes % MINUTES_PER_DAY) / 60;
                    double cycle = Math.cos(2 * Math.PI * (hour - 15) / 24);
                    return weekend ? 35 + 6 * cycle : 50 + 8 * cycle;
                });
    }

    private interface Pattern {
        double at(double minutes);
    }

    private static SyntheticSeries of(
            String name, int rows, int stepMinutes, double sigma, long seed, Pattern pattern) {
        Random rng = new Random(seed);
        long[] ts = new long[rows];
        double[] optimum = new double[rows];
        double[] noise = new double[rows];
        double[] sigmas = new double[rows];
        for (int i = 0; i < rows; i++) {
            ts[i] = START + i * stepMinutes * 60_000L;
            optimum[i] = pattern.at((double) i * stepMinutes);
            noise[i] = sigma * rng.nextGaussian();
            sigmas[i] = sigma;
        }
        return new SyntheticSeries(name, ts, optimum, noise, sigmas);
    }

    /** This series with {@code delta} added to every reading from index {@code at} on. */
    public SyntheticSeries withLevelShift(int at, double delta) {
        double[] shifted = optimum.clone();
        for (int i = at; i < shifted.length; i++) {
            shifted[i] += delta;
        }
        return new SyntheticSeries(name, ts, shifted, noise, sigma);
    }

    /** This series with its noise multiplied by {@code factor} from index {@code at} on. */
    public SyntheticSeries withVarianceChange(int at, double factor) {
        double[] scaledNoise = noise.clone();
        double[] scaledSigma = sigma.clone();
        for (int i = at; i < scaledNoise.length; i++) {
            scaledNoise[i] *= factor;
            scaledSigma[i] *= factor;
        }
        return new SyntheticSeries(name, ts, optimum, scaledNoise, scaledSigma);
    }

    public String name() {
        return name;
    }

    public int size() {
        return ts.length;
    }

    /** Reading {@code i}'s time, epoch milliseconds. */
    public long ts(int i) {
        return ts[i];
    }

    /** Reading {@code i}, as the job reads it (a float). */
    public float value(int i) {
        return (float) (optimum[i] + noise[i]);
    }

    /** The best one-step forecast of reading {@code i}: the noiseless pattern. */
    public double optimum(int i) {
        return optimum[i];
    }

    /** The noise's standard deviation at reading {@code i}. */
    public double sigma(int i) {
        return sigma[i];
    }

    /**
     * The expected absolute error of the optimum over readings {@code from} (inclusive) to {@code
     * to} (exclusive): the mean of {@code sigma * sqrt(2 / pi)}.
     */
    public double noiseFloor(int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += sigma[i] * HALF_MEAN_ABS;
        }
        return sum / (to - from);
    }

    /**
     * Writes the series as a CSV history file ({@code timestamp,value}, values to 4 decimals), as
     * {@code backfill --input} reads it.
     */
    public void writeCsv(Path file) throws IOException {
        DateTimeFormatter format =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("timestamp,value\n");
            for (int i = 0; i < ts.length; i++) {
                w.write(format.format(Instant.ofEpochMilli(ts[i])));
                w.write(String.format(Locale.ROOT, ",%.4f\n", optimum[i] + noise[i]));
            }
        }
    }
}

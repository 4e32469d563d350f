package io.streamcast.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.Score;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The forecasting path end to end ({@link SeriesReplay}, default configuration) on synthetic series
 * whose best one-step forecast is known ({@link SyntheticSeries}): served one-step MAE against the
 * noise floor after a stated number of readings, 90% interval coverage after a level shift and
 * after the noise doubles, and a drift round soon after the shift. Each bound was measured first
 * (docs/evaluation.md, "Synthetic series", has the numbers) and is stated with its margin; a case
 * that does not reach 15% of the floor asserts what it reaches.
 */
@Tag("slow")
class SyntheticForecastTest {
    static final StreamcastConfig CONFIG = ConfigLoader.load(null, List.of());
    static final double SIGMA = 0.8;
    static final long SEED = 26;

    /** What a replay served: per reading, its one-step score (null for the first). */
    record Replayed(SyntheticSeries series, Score[] scores, SeriesReplay.Reading[] readings) {
        /** Served one-step MAE over readings [from, to) over the noise floor there. */
        double maeOverFloor(int from, int to) {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += Math.abs(scores[i].actual() - scores[i].expected());
            }
            return sum / (to - from) / series.noiseFloor(from, to);
        }

        /** Repeat-last's one-step MAE over readings [from, to) over the noise floor there. */
        double repeatLastOverFloor(int from, int to) {
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += Math.abs(series.value(i) - series.value(i - 1));
            }
            return sum / (to - from) / series.noiseFloor(from, to);
        }

        /** Share of readings [from, to) inside the interval forecast for them. */
        double coverage(int from, int to) {
            int in = 0;
            for (int i = from; i < to; i++) {
                Score s = scores[i];
                in += s.lower() <= s.actual() && s.actual() <= s.upper() ? 1 : 0;
            }
            return (double) in / (to - from);
        }

        /** The first reading at or after {@code from} at which a drift check started a round. */
        int firstDriftRound(int from) {
            for (int i = from; i < readings.length; i++) {
                if (readings[i].drift() != null && readings[i].round() != null) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Prints a measured number (the docs' table is copied from these lines). */
    static void report(String series, String what, double value) {
        System.out.printf(java.util.Locale.ROOT, "synthetic %s: %s %.3f%n", series, what, value);
    }

    static Replayed replay(SyntheticSeries series, SeriesReplay.Mode mode) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        SeriesReplay replay = new SeriesReplay(CONFIG, series.name(), mode, null);
        Score[] scores = new Score[series.size()];
        SeriesReplay.Reading[] readings = new SeriesReplay.Reading[series.size()];
        for (int i = 0; i < series.size(); i++) {
            readings[i] = replay.offer(series.ts(i), series.value(i));
            scores[i] = readings[i].result().score();
        }
        report(
                series.name(),
                "replay CPU seconds",
                (threads.getCurrentThreadCpuTime() - cpu) / 1e9);
        return new Replayed(series, scores, readings);
    }

    @Test
    void fiveMinuteSineIsWithinFifteenPercentOfTheNoiseFloorAfter2500Readings() {
        Replayed r =
                replay(
                        SyntheticSeries.dailySine("sine-5min", 3000, 5, SIGMA, SEED),
                        SeriesReplay.Mode.SYNCHRONOUS);
        // Measured 1.110 (1.094 where the training windows were sampled for another series name).
        double ratio = r.maeOverFloor(2500, 3000);
        report("sine-5min", "MAE/floor 2500-3000", ratio);
        assertTrue(ratio <= 1.15, "served MAE / noise floor " + ratio);
    }

    @Test
    void hourlySineIsWithinFifteenPercentOfTheNoiseFloorAfter750Readings() {
        Replayed r =
                replay(
                        SyntheticSeries.dailySine("sine-hourly", 1500, 60, SIGMA, SEED),
                        SeriesReplay.Mode.SYNCHRONOUS);
        // Measured 1.046.
        double ratio = r.maeOverFloor(750, 1500);
        report("sine-hourly", "MAE/floor 750-1500", ratio);
        assertTrue(ratio <= 1.15, "served MAE / noise floor " + ratio);
    }

    /**
     * Not within 15% of the floor in 3,000 readings (1.158 over readings 1,500-3,000; 1.19 over the
     * last 1,000 of the Python generator's 5,000): what it reaches is asserted, and that it beats
     * repeat-last (1.410 of the floor here).
     */
    @Test
    void oneMinuteSineIsWithin25PercentOfTheNoiseFloorAfter1500Readings() {
        Replayed r =
                replay(
                        SyntheticSeries.dailySine("sine-1min", 3000, 1, SIGMA, SEED),
                        SeriesReplay.Mode.SYNCHRONOUS);
        // Measured 1.158; repeat-last 1.410.
        double ratio = r.maeOverFloor(1500, 3000);
        report("sine-1min", "MAE/floor 1500-3000", ratio);
        report("sine-1min", "repeat-last/floor 1500-3000", r.repeatLastOverFloor(1500, 3000));
        assertTrue(ratio <= 1.25, "served MAE / noise floor " + ratio);
        assertTrue(
                ratio < 0.9 * r.repeatLastOverFloor(1500, 3000),
                "served " + ratio + " against repeat-last " + r.repeatLastOverFloor(1500, 3000));
    }

    /**
     * Not within 15% of the floor in 3,000 hourly readings (18 weeks): measured 1.215 over readings
     * 2,500-3,000 (1.134 where the training windows were sampled for another series name); what it
     * reaches is asserted.
     */
    @Test
    void weeklyPatternIsWithin30PercentOfTheNoiseFloorAfter2500Readings() {
        Replayed r =
                replay(
                        SyntheticSeries.weekly("weekly-hourly", 3000, SIGMA, SEED),
                        SeriesReplay.Mode.SYNCHRONOUS);
        double ratio = r.maeOverFloor(2500, 3000);
        report("weekly-hourly", "MAE/floor 2500-3000", ratio);
        assertTrue(ratio <= 1.30, "served MAE / noise floor " + ratio);
    }

    /**
     * A level shift of +10 (12.5 sigma, the sine's amplitude) at reading 2,000 of the 5-minute
     * sine, with drift checks as a live run makes them: a drift event starts a round within 256
     * readings (two drift checks at the default sample rate; measured 117, the first check after
     * the shift), and the 90% intervals cover 88-92% of the 500 readings after it (measured 89.4%).
     */
    @Test
    void levelShiftStartsADriftRoundAndIntervalsKeepTheirCoverage() {
        int shift = 2000;
        Replayed r =
                replay(
                        SyntheticSeries.dailySine("shift", 2500, 5, SIGMA, SEED)
                                .withLevelShift(shift, 10),
                        SeriesReplay.Mode.DRIFT_CHECKED);
        int drift = r.firstDriftRound(shift);
        report("shift", "drift round, readings after the shift", drift - shift);
        assertTrue(drift >= 0 && drift - shift <= 256, "drift round at reading " + drift);
        assertNotNull(r.readings()[drift].round());
        double coverage = r.coverage(shift, shift + 500);
        report("shift", "coverage 2000-2500", coverage);
        report("shift", "MAE/floor 2000-2500", r.maeOverFloor(shift, shift + 500));
        assertEquals(0.90, coverage, 0.02, "coverage after the shift");
    }

    /**
     * The noise doubles at reading 1,000 of the 5-minute sine: the 90% intervals cover 88-92% of
     * the 500 readings after it (measured 90.4%).
     */
    @Test
    void intervalsKeepTheirCoverageWhenTheNoiseDoubles() {
        int change = 1000;
        Replayed r =
                replay(
                        SyntheticSeries.dailySine("var", 1500, 5, SIGMA, SEED)
                                .withVarianceChange(change, 2),
                        SeriesReplay.Mode.DRIFT_CHECKED);
        double coverage = r.coverage(change, change + 500);
        report("var", "coverage 1000-1500", coverage);
        report("var", "MAE/floor 1000-1500", r.maeOverFloor(change, change + 500));
        assertEquals(0.90, coverage, 0.02, "coverage after the noise doubled");
    }
}

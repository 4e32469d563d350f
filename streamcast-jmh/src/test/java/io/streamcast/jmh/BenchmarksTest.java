package io.streamcast.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.event.OutputRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Each benchmark's setup and one call of each benchmark method, outside JMH: the build never runs
 * the benchmarks, so this is what keeps them working as the model code changes. Nothing is timed.
 */
class BenchmarksTest {
    private static final Blackhole BLACKHOLE =
            new Blackhole(
                    "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @Test
    void scorerScoresAReadingOfTheFirstSeries() {
        ScorerBenchmark b = new ScorerBenchmark();
        b.setUp();
        assertNotNull(b.score());
    }

    @Test
    void inferenceStepsAndRebuildsABatch() {
        InferenceBenchmark b = new InferenceBenchmark();
        b.hidden = 8;
        b.cell = "lstm";
        b.setUp();
        assertEquals(InferenceBenchmark.BATCH, b.step().length, "horizon 1: one output per series");
        assertEquals(InferenceBenchmark.BATCH, b.rebuildWindow().length);
    }

    @Test
    void combinerTakesAReadingAfterTheWarmUpInSetup() {
        // Horizon 1 only: the setup feeds two days of readings to 10,000 series, about 20 s at 24.
        CombinerBenchmark b = new CombinerBenchmark();
        b.horizon = 1;
        b.setUp();
        b.reading(BLACKHOLE);
    }

    @Test
    void encoderWritesForecastAndScoreRecords() {
        OutputEncoderBenchmark b = new OutputEncoderBenchmark();
        OutputEncoderBenchmark.Forecasts forecasts = new OutputEncoderBenchmark.Forecasts();
        forecasts.horizon = 24;
        forecasts.setUp();
        OutputEncoderBenchmark.Scores scores = new OutputEncoderBenchmark.Scores();
        scores.setUp();
        OutputRecord forecast = b.forecast(forecasts);
        OutputRecord score = b.score(scores);
        assertTrue(
                new String(forecast.json(), StandardCharsets.UTF_8).contains("\"step\":24"),
                "24 steps");
        assertTrue(
                new String(score.json(), StandardCharsets.UTF_8)
                        .contains("\"channel\":\"sustained\""));
        assertEquals(1, forecasts.next, "the next call takes the next record");
    }
}

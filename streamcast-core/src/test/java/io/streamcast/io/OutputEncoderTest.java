package io.streamcast.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamcast.event.Forecast;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.Score;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The forecast and score JSON of docs/design.md §2, field by field, and the timestamp format. */
class OutputEncoderTest {
    private static final long MARCH_1 = 1772323200000L; // 2026-03-01T00:00:00Z

    @Test
    void aForecastIsWrittenAsTheDataContractSays() {
        OutputRecord r =
                OutputEncoder.forecast(
                        new Forecast(
                                "pump-7",
                                MARCH_1 + 5,
                                3,
                                "lstm",
                                false,
                                new long[] {MARCH_1 + 60_000, MARCH_1 + 120_000},
                                new double[] {1.5, 2.25},
                                new double[] {1.0, 1.5},
                                new double[] {2.0, 3.0000000000000004},
                                null,
                                null));
        assertEquals(OutputRecord.Stream.FORECASTS, r.stream());
        assertEquals("pump-7", r.key());
        assertEquals(
                "{\"series\":\"pump-7\",\"ts\":\"2026-03-01T00:00:00.005Z\",\"model\":{\"version\":3,"
                        + "\"cell\":\"lstm\"},\"coldStart\":false,\"forecast\":["
                        + "{\"step\":1,\"ts\":\"2026-03-01T00:01:00Z\",\"mean\":1.5,\"lower\":1.0,\"upper\":2.0},"
                        + "{\"step\":2,\"ts\":\"2026-03-01T00:02:00Z\",\"mean\":2.25,\"lower\":1.5,"
                        + "\"upper\":3.0000000000000004}]}",
                new String(r.json(), StandardCharsets.UTF_8));
    }

    @Test
    void aForecastSaysPerStepWhatWasServedAndWhatTheNetworkSaid() {
        OutputRecord r =
                OutputEncoder.forecast(
                        new Forecast(
                                "s",
                                MARCH_1,
                                1,
                                "lstm",
                                false,
                                new long[] {MARCH_1 + 60_000},
                                new double[] {1.5},
                                new double[] {1.0},
                                new double[] {2.0},
                                new String[] {"blend"},
                                new double[] {1.75}));
        assertEquals(
                "{\"series\":\"s\",\"ts\":\"2026-03-01T00:00:00Z\",\"model\":{\"version\":1,"
                        + "\"cell\":\"lstm\"},\"coldStart\":false,\"forecast\":["
                        + "{\"step\":1,\"ts\":\"2026-03-01T00:01:00Z\",\"mean\":1.5,\"lower\":1.0,\"upper\":2.0,"
                        + "\"source\":\"blend\",\"network\":1.75}]}",
                new String(r.json(), StandardCharsets.UTF_8));
    }

    @Test
    void aScoreIsWrittenAsTheDataContractSays() {
        OutputRecord r =
                OutputEncoder.score(
                        new Score(
                                "a\"b", MARCH_1, 10.0, 9.5, 9.0, 10.0, 0.5, 0.99965, 4.25, "change",
                                3));
        assertEquals(OutputRecord.Stream.SCORES, r.stream());
        assertEquals(
                "{\"series\":\"a\\\"b\",\"ts\":\"2026-03-01T00:00:00Z\",\"actual\":10.0,\"expected\":9.5,"
                        + "\"lower\":9.0,\"upper\":10.0,\"residual\":0.5,\"score\":0.99965,\"surprise\":4.25,"
                        + "\"channel\":\"change\",\"modelVersion\":3}",
                new String(r.json(), StandardCharsets.UTF_8));
    }

    @Test
    void recordsWrittenInTurnAreEachAWholeDocument() {
        Forecast f =
                new Forecast(
                        "s",
                        MARCH_1,
                        1,
                        "gru",
                        true,
                        new long[] {MARCH_1 + 1000},
                        new double[] {0.1},
                        new double[] {-0.2},
                        new double[] {0.4},
                        null,
                        null);
        Score s = new Score("s", MARCH_1, 1.0, 2.0, 0.0, 3.0, -1.0, 0.5, 3.0, "sustained", -1);
        String forecast = new String(OutputEncoder.forecast(f).json(), StandardCharsets.UTF_8);
        String score = new String(OutputEncoder.score(s).json(), StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    forecast, new String(OutputEncoder.forecast(f).json(), StandardCharsets.UTF_8));
            assertEquals(score, new String(OutputEncoder.score(s).json(), StandardCharsets.UTF_8));
        }
        assertEquals('{', forecast.charAt(0));
        assertEquals('}', score.charAt(score.length() - 1));
    }

    @Test
    void timestampsAreWhatInstantPrints() {
        SplittableRandom random = new SplittableRandom(7);
        long[] edges = {
            0,
            -1,
            1,
            999,
            1000,
            -86_400_000L,
            -62167219200000L,
            -62167219200001L,
            253402300799999L,
            253402300800000L,
            Long.MAX_VALUE / 4,
            Long.MIN_VALUE / 4
        };
        for (long ms : edges) {
            assertEquals(Instant.ofEpochMilli(ms).toString(), OutputEncoder.iso(ms), "at " + ms);
        }
        for (int i = 0; i < 100_000; i++) {
            long ms = random.nextLong(-80_000_000_000_000L, 300_000_000_000_000L);
            if (i % 2 == 0) {
                ms -= Math.floorMod(ms, 1000); // whole seconds print without a fraction
            }
            assertEquals(Instant.ofEpochMilli(ms).toString(), OutputEncoder.iso(ms), "at " + ms);
        }
    }
}

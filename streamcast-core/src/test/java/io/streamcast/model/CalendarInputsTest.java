package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CalendarInputsTest {
    private static final long HOUR = 3_600_000L;

    private static float[] at(String instant, long stepMillis) {
        float[] out = new float[CalendarInputs.COLUMNS];
        CalendarInputs.write(Instant.parse(instant).toEpochMilli(), stepMillis, out, 0);
        return out;
    }

    @Test
    void mondayMidnightIsTheStartOfBothCycles() {
        assertArrayEquals(new float[] {0, 1, 0, 1}, at("2026-12-07T00:00:00Z", HOUR), 1e-6f);
    }

    @Test
    void sixInTheEveningOnThursdayIsThreeQuartersOfTheDayAndHalfTheWeekLater() {
        float[] v = at("2026-12-10T18:00:00Z", HOUR);
        assertEquals(-1, v[0], 1e-6);
        assertEquals(0, v[1], 1e-6);
        double week = 2 * Math.PI * (3.75 / 7);
        assertEquals(Math.sin(week), v[2], 1e-6);
        assertEquals(Math.cos(week), v[3], 1e-6);
    }

    @Test
    void aPairIsZeroWhenTheSeriesIsReadFewerThanFourTimesPerCycle() {
        float[] daily = at("2026-12-10T18:00:00Z", 24 * HOUR);
        assertEquals(0, daily[0]);
        assertEquals(0, daily[1]);
        assertEquals(Math.sin(2 * Math.PI * (3.75 / 7)), daily[2], 1e-6);
        assertArrayEquals(new float[4], at("2026-12-10T18:00:00Z", 7 * 24 * HOUR));
        assertArrayEquals(new float[4], at("2026-12-10T18:00:00Z", 0), "no interval known yet");
        assertEquals(-1, at("2026-12-10T18:00:00Z", 6 * HOUR)[0], 1e-6, "four a day is enough");
    }
}

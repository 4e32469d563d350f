package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamcast.event.ForecastInput;
import io.streamcast.model.SeriesHistory.Insertion;
import org.junit.jupiter.api.Test;

/** Which forecaster inputs carry their whole window, and that the others carry the same step. */
class SeriesWindowsTest {
    static final int WINDOW = 6;

    static SeriesWindows windows(boolean windowsAlways) {
        return new SeriesWindows(
                WINDOW,
                1,
                1,
                CalendarInputs.COLUMNS,
                0,
                60_000,
                86_400_000L,
                1000,
                false,
                0,
                windowsAlways);
    }

    @Test
    void theWindowGoesWithAnInputOnlyWhileFillingOrOutOfOrderUnlessAlways() {
        SeriesWindows lean = windows(false);
        SeriesWindows always = windows(true);
        SeriesHistory a = lean.newHistory();
        SeriesHistory b = always.newHistory();
        for (int t = 0; t < 12; t++) {
            long ts = t * 10_000L + (t == 9 ? -15_000 : 0); // reading 9 arrives out of order
            float[] value = {(float) Math.sin(t)};
            Insertion inserted = lean.offer(a, ts, value);
            always.offer(b, ts, value);
            boolean reordered = inserted == Insertion.REORDERED;
            ForecastInput in = lean.input(a, "s", reordered, 0);
            ForecastInput full = always.input(b, "s", reordered, 0);
            assertEquals(full.windowLength(), in.windowLength());
            assertArrayEquals(full.step(), in.step(), "the step is the same either way");
            int width = 1 + CalendarInputs.COLUMNS;
            assertEquals(full.windowLength() * width, full.window().length);
            boolean needed = t < WINDOW - 1 || t == 9;
            assertEquals(
                    needed ? full.window().length : 0,
                    in.window().length,
                    "reading " + t + (needed ? " may need its window" : " steps a current state"));
        }
    }
}

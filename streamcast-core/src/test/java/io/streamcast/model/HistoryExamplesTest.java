package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryExamplesTest {
    private static final int WINDOW = 4;
    private static final int HORIZON = 1;

    private static HistoryExamples examples(int maxRows) {
        return new HistoryExamples(WINDOW, HORIZON, 1, 50, 0, Long.MAX_VALUE, maxRows);
    }

    private static void offer(HistoryExamples h, String series, int readings) {
        for (int t = 0; t < readings; t++) {
            h.offer(series, t * 1000L, new float[] {(float) Math.sin(t / 3.0)});
        }
    }

    @Test
    void everyCompleteWindowOfEachSeriesBecomesAnExample() {
        HistoryExamples h = examples(0);
        offer(h, "a", 20);
        offer(h, "b", 10);
        assertEquals(2, h.series());
        assertEquals(30, h.rows());
        // A window plus its horizon is 5 readings: the 5th reading completes the first example.
        assertEquals((20 - 4) + (10 - 4), h.examples());
        assertEquals(0, h.rejected());
    }

    @Test
    void lateAndDuplicateReadingsAreCountedAndSkipped() {
        HistoryExamples h = examples(0);
        offer(h, "a", 8);
        h.offer("a", 7000L, new float[] {9}); // duplicate
        h.offer("a", 1000L, new float[] {9}); // far too late for out-of-orderness 0
        assertEquals(2, h.rejected());
        assertEquals(4, h.examples());
    }

    @Test
    void maxRowsUsesOnlyTheFirstReadingsOfEachSeries() {
        HistoryExamples h = examples(10);
        offer(h, "a", 30);
        assertEquals(10, h.rows());
        assertEquals(6, h.examples());
    }

    @Test
    void splitHoldsBackTheNewestFractionPerSeriesWithAHorizonGapBeforeIt() {
        HistoryExamples h = examples(0);
        offer(h, "a", 20); // 16 examples
        List<List<float[][]>> split = h.split(0.25);
        assertEquals(
                16 - 4 - HORIZON,
                split.get(0).size(),
                "the gap keeps training targets out of validation");
        assertEquals(4, split.get(1).size());

        HistoryExamples all = examples(0);
        offer(all, "a", 20);
        List<List<float[][]>> none = all.split(0);
        assertEquals(16, none.get(0).size(), "nothing held back, no gap");
        assertEquals(0, none.get(1).size());
        // The newest validation example is the last one built.
        List<List<float[][]>> again = h.split(0.25);
        assertSame(split.get(1).get(3), again.get(1).get(3));
    }
}

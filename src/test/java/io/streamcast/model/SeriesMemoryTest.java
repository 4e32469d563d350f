package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesMemoryTest {
    @Test
    void selectionFindsWhatSortingWouldPutAtEachRank() {
        Random r = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(80);
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                // Few distinct values too, so that ties are exercised.
                a[i] = trial % 2 == 0 ? (float) r.nextGaussian() : r.nextInt(4);
            }
            float[] sorted = a.clone();
            Arrays.sort(sorted);
            for (int k = 0; k < n; k++) {
                assertEquals(sorted[k], SeriesMemory.select(a.clone(), k), "n=" + n + " k=" + k);
            }
        }
    }
}

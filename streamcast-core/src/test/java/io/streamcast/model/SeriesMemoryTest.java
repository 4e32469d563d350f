package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    @Test
    void valueAtRankIsWhatSortingWouldPutThereAndLeavesTheValuesAlone() {
        Random r = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + r.nextInt(120);
            int from = r.nextInt(5);
            float[] a = new float[from + n + 3];
            for (int i = 0; i < a.length; i++) {
                a[i] =
                        trial % 3 == 0
                                ? r.nextInt(4)
                                : trial % 3 == 1 ? (float) Math.abs(r.nextGaussian()) : i;
            }
            float[] before = a.clone();
            float[] sorted = Arrays.copyOfRange(a, from, from + n);
            Arrays.sort(sorted);
            for (int k = 0; k < n; k++) {
                assertEquals(
                        sorted[k], SeriesMemory.valueAtRank(a, from, n, k), "n=" + n + " k=" + k);
            }
            assertArrayEquals(before, a);
        }
    }
}

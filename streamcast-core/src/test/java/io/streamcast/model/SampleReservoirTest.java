package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bounded, seeded, uniform sample that comes out oldest first. */
class SampleReservoirTest {
    static List<Integer> fill(long seed, int capacity, int offers) {
        SampleReservoir<Integer> r = new SampleReservoir<>(capacity, seed);
        for (int i = 0; i < offers; i++) {
            r.offer(i);
        }
        assertEquals(capacity, r.size(), "bounded");
        assertEquals(offers - capacity, r.dropped(), "every offer beyond capacity drops one item");
        return r.items();
    }

    @Test
    void keepsABoundedSeededSampleInArrivalOrder() {
        List<Integer> kept = fill(1, 100, 100_000);
        assertEquals(kept, fill(1, 100, 100_000), "same seed, same sample");
        assertTrue(!kept.equals(fill(2, 100, 100_000)), "another seed, another sample");
        for (int i = 1; i < kept.size(); i++) {
            assertTrue(kept.get(i - 1) < kept.get(i), "oldest first");
        }
    }

    @Test
    void everyOfferIsEquallyLikelyToBeKept() {
        // Over many seeds, each tenth of the stream holds about a tenth of the kept items.
        int[] perTenth = new int[10];
        int seeds = 400;
        for (int seed = 0; seed < seeds; seed++) {
            for (int item : fill(seed, 50, 10_000)) {
                perTenth[item / 1000]++;
            }
        }
        double expected = seeds * 50 / 10.0; // 2000; a binomial standard deviation of about 42
        for (int tenth = 0; tenth < 10; tenth++) {
            assertEquals(expected, perTenth[tenth], 250, "tenth " + tenth);
        }
    }

    @Test
    void takingItemsOutMakesRoomAndKeepsTheOrder() {
        SampleReservoir<Integer> r = new SampleReservoir<>(3, 7);
        for (int i = 0; i < 3; i++) {
            assertTrue(r.offer(i), "room for the first three");
        }
        assertEquals(0, r.poll());
        assertTrue(r.offer(3), "room again");
        List<Integer> out = new ArrayList<>();
        while (!r.isEmpty()) {
            out.add(r.poll());
        }
        assertEquals(List.of(1, 2, 3), out);
        assertEquals(0, r.dropped());
    }
}

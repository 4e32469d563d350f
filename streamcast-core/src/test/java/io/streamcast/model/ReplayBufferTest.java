package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReplayBufferTest {
    @Test
    void keepsTheNewestCapacityExamplesOldestFirst() {
        ReplayBuffer buffer = new ReplayBuffer(3);
        assertEquals(0, buffer.size());
        for (int i = 0; i < 5; i++) {
            buffer.add(new float[] {i}, new float[] {10 + i});
            assertEquals(Math.min(i + 1, 3), buffer.size());
        }
        assertEquals(3, buffer.capacity());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(new float[] {2 + i}, buffer.input(i), "index 0 is the oldest held");
            assertArrayEquals(
                    new float[] {12 + i}, buffer.target(i), "targets stay with their inputs");
        }
    }
}

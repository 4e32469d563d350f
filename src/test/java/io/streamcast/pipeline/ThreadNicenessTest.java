package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ThreadNicenessTest {

    @Test
    void aThreadLowersOnlyItsOwnPriority() throws Exception {
        OptionalInt before = ThreadNiceness.currentNiceness();
        assumeTrue(before.isPresent(), "this system does not expose per-thread nice values");
        assumeTrue(before.getAsInt() < 17, "already running at a lower priority than the test asks for");
        int target = before.getAsInt() + 2;

        CompletableFuture<int[]> lowered = new CompletableFuture<>();
        Thread background = new Thread(() -> {
            boolean ok = ThreadNiceness.lowerCurrentThread(target);
            lowered.complete(new int[] {ok ? 1 : 0, ThreadNiceness.currentNiceness().orElse(-100)});
        });
        background.start();
        int[] result = lowered.get();

        assertEquals(1, result[0], "lowerCurrentThread reported failure");
        assertEquals(target, result[1], "the background thread's nice value");
        assertEquals(before, ThreadNiceness.currentNiceness(), "the calling thread must keep its priority");
    }

    @Test
    void zeroLeavesThePriorityAlone() {
        OptionalInt before = ThreadNiceness.currentNiceness();
        assertTrue(ThreadNiceness.lowerCurrentThread(0));
        assertEquals(before, ThreadNiceness.currentNiceness());
    }
}

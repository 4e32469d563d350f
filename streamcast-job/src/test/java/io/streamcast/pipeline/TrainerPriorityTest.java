package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The trainer's thread goes idle as a round starts, back to normal when raised from another thread,
 * and idle again; no other thread of the process ends up at idle priority.
 */
class TrainerPriorityTest {
    static boolean reversible() throws InterruptedException {
        return TrainerPriority.ifReversible() != null;
    }

    @Test
    void aRoundStartsIdleIsRaisedFromAnotherThreadAndTheNextStartsIdleAgain() throws Exception {
        TrainerPriority priority = TrainerPriority.ifReversible();
        assumeTrue(priority != null, "this process can move threads to idle priority and back");
        AtomicReference<Path> stat = new AtomicReference<>();
        CountDownLatch idle = new CountDownLatch(1);
        CountDownLatch raised = new CountDownLatch(1);
        CountDownLatch idleAgain = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread trainer =
                new Thread(
                        () -> {
                            try {
                                stat.set(
                                        Path.of("/proc/self/task")
                                                .resolve(
                                                        Path.of("/proc/thread-self")
                                                                .toRealPath()
                                                                .getFileName())
                                                .resolve("stat"));
                                priority.idleForRound();
                                idle.countDown();
                                raised.await();
                                priority.idleForRound();
                                idleAgain.countDown();
                                done.await();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        trainer.start();
        idle.await();
        assertEquals(
                TrainerPriority.SCHED_IDLE,
                TrainerPriority.policy(stat.get()),
                "idle as the round starts");
        priority.raise();
        assertEquals(
                TrainerPriority.SCHED_OTHER,
                TrainerPriority.policy(stat.get()),
                "raised by another thread");
        raised.countDown();
        idleAgain.await();
        assertEquals(
                TrainerPriority.SCHED_IDLE,
                TrainerPriority.policy(stat.get()),
                "idle again at the next round");
        done.countDown();
        trainer.join();
        // A joined Java thread's native thread can outlive join() by a moment.
        for (int i = 0; i < 10_000 && Files.exists(stat.get()); i++) {
            Thread.sleep(1);
        }
        // No other thread inherited the idle class: e.g. the JDK's process reaper, had an idle
        // thread started chrt.
        for (Map.Entry<String, Integer> thread : threadPolicies()) {
            assertEquals(TrainerPriority.SCHED_OTHER, thread.getValue(), thread.getKey());
        }
    }

    /**
     * Name and scheduling policy of each live thread of this process (Linux cuts names to 15
     * characters).
     */
    static List<Map.Entry<String, Integer>> threadPolicies() throws IOException {
        List<Map.Entry<String, Integer>> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    out.add(
                            Map.entry(
                                    Files.readString(task.resolve("comm")).strip(),
                                    TrainerPriority.policy(task.resolve("stat"))));
                } catch (IOException ended) {
                    // the thread ended while being read
                }
            }
        }
        return out;
    }
}

package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trainer's CPU budget, on an injected clock and CPU-time source: it charges CPU time, not wall
 * time; it refills at its share; idle time saves up at most one burst; its pacer sleeps exactly
 * until the credit is back; and it tells a starved round from a paced one.
 */
class CpuBudgetTest {
    static final long MS = 1_000_000L;

    /** A clock and a thread's CPU time that the test moves. */
    static final class Clock {
        long now;
        long cpu;

        /** The trainer works {@code ms} flat out: both move. */
        void work(long ms) {
            now += ms * MS;
            cpu += ms * MS;
        }

        /** The trainer waits {@code ms}: only the clock moves. */
        void idle(long ms) {
            now += ms * MS;
        }
    }

    static CpuBudget budget(Clock c, double share, long burstMs) {
        return new CpuBudget(share, burstMs * MS, () -> c.now, () -> c.cpu);
    }

    @Test
    void startsWithAFullBurstSoThatAYoungModelTrainsAtOnce() {
        Clock c = new Clock();
        CpuBudget b = budget(c, 0.2, 250);
        assertTrue(b.allows());
        c.work(250);
        // 250 ms of burst plus 0.2 × 250 ms earned while working: still in credit.
        assertTrue(b.allows());
        c.work(100);
        // 50 left, 20 earned and 100 spent: 30 ms of CPU short, which takes 150 ms at 0.2 of a
        // core.
        assertEquals(150 * MS, b.waitNanos());
        assertFalse(b.allows());
        c.idle(149);
        assertFalse(b.allows());
        c.idle(1);
        assertTrue(b.allows());
    }

    @Test
    void chargesCpuTimeNotWallTime() {
        Clock c = new Clock();
        CpuBudget b = budget(c, 0.25, 0);
        // A trainer preempted for a second got 100 ms of CPU in it: it earned 250 ms of credit.
        c.now += 1000 * MS;
        c.cpu += 100 * MS;
        assertTrue(b.allows());
        c.work(200);
        // Credit cannot be saved beyond the burst (0 here): 250 − 100 was capped to 0, then
        // 200 − 50 spent.
        assertEquals(600 * MS, b.waitNanos());
    }

    @Test
    void idleTimeSavesUpAtMostOneBurst() {
        Clock c = new Clock();
        CpuBudget b = budget(c, 0.1, 100);
        c.idle(3_600_000);
        assertTrue(b.allows(), "an hour idle: a full burst, no more");
        c.work(100);
        // Full burst spent, 10 ms earned while working: in credit.
        assertTrue(b.allows());
        c.work(20);
        // −8 ms: 80 ms at a tenth of a core.
        assertEquals(80 * MS, b.waitNanos());
    }

    @Test
    void thePacerSleepsUntilTheCreditIsBackSoThatWorkAveragesTheShare() {
        Clock c = new Clock();
        CpuBudget b = budget(c, 0.2, 0);
        List<Long> sleeps = new ArrayList<>();
        Pacer pacer =
                b.pacer(
                        nanos -> {
                            sleeps.add(nanos);
                            c.now += nanos;
                        });
        long start = c.now;
        for (int step = 0; step < 10; step++) {
            c.work(40);
            pacer.after(40 * MS);
        }
        // Each 40 ms step earns 8 and leaves 32 ms to make up: 160 ms of rest.
        assertEquals(10, sleeps.size());
        sleeps.forEach(s -> assertEquals(160 * MS, s));
        assertEquals(0.2, (double) c.cpu / (c.now - start), 1e-12);
    }

    @Test
    void thePacerDoesNotSleepWhileInCredit() {
        Clock c = new Clock();
        CpuBudget b = budget(c, 0.5, 1000);
        List<Long> sleeps = new ArrayList<>();
        Pacer pacer = b.pacer(sleeps::add);
        c.work(100);
        pacer.after(100 * MS);
        assertEquals(List.of(), sleeps);
    }

    @Test
    void aRoundIsStarvedWhenItGetsLessThanHalfItsShareForAWhile() {
        Clock c = new Clock();
        CpuBudget b = budget(c, 0.2, 0);
        b.roundStarted();
        c.now += 1000 * MS;
        c.cpu += 10 * MS;
        assertFalse(b.starved(2000 * MS), "not yet long enough to tell");
        c.now += 1000 * MS;
        assertTrue(b.starved(2000 * MS), "10 ms of CPU in 2 s: under half of 400 ms");
        b.roundStarted();
        c.now += 2000 * MS;
        c.cpu += 300 * MS;
        assertFalse(
                b.starved(2000 * MS), "300 of the 400 ms its share allowed: paced, not starved");
    }

    @Test
    void refusesAShareOutsideZeroToOne() {
        Clock c = new Clock();
        assertThrows(IllegalArgumentException.class, () -> budget(c, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> budget(c, 1.5, 10));
    }

    @Test
    void workTakenNoteOfAsUnchargedCostsNoCredit() {
        Clock c = new Clock();
        CpuBudget b = budget(c, 0.25, 100);
        c.work(400); // at idle priority: a full core for 400 ms, on time nothing else wanted
        b.uncharged();
        assertTrue(b.allows(), "idle work is not charged");
        c.work(200); // then at normal priority: charged
        assertEquals((long) ((200 - 100 - 0.25 * 200) / 0.25 * MS), b.waitNanos());
    }
}

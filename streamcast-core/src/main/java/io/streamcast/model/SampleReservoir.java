package io.streamcast.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A bounded, seeded uniform sample of the items offered while a consumer is busy: at most {@code
 * capacity} items are kept, and once it is full each further item replaces a random kept one with
 * the probability that keeps the sample uniform (reservoir sampling, Vitter's algorithm R). Items
 * come out oldest first. Memory is bounded whatever the offer rate; the same seed and offers give
 * the same sample. Not thread-safe.
 *
 * <p>Implementation notes: uniformity is over the items offered since the reservoir last had room.
 * Items taken out while it is full (the consumer caught up for a while) leave the rest as the new
 * population: the survivors then weigh as much as newer items, a slight lean towards the past
 * accepted for the simplicity of one counter.
 */
public final class SampleReservoir<T> {
    private record Entry<T>(long order, T item) {}

    private final int capacity;
    private final List<Entry<T>> kept;
    private SplitMix64 rng;
    private long order;

    /**
     * Items the kept ones stand for: offered since the reservoir last had room, plus those it held
     * then.
     */
    private long population;

    private long offered;
    private long dropped;

    public SampleReservoir(int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException(
                    "reservoir capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.kept = new ArrayList<>(Math.min(capacity, 1024));
        this.rng = new SplitMix64(seed);
    }

    /** Offers one item; returns false if it (or, in its place, an older kept item) was dropped. */
    public boolean offer(T item) {
        offered++;
        population++;
        if (kept.size() < capacity) {
            kept.add(new Entry<>(order++, item));
            return true;
        }
        dropped++;
        long slot = Math.floorMod(rng.nextLong(), population);
        if (slot < capacity) {
            kept.set((int) slot, new Entry<>(order++, item));
        }
        return false;
    }

    /** Removes and returns the oldest kept item, or null if there is none. */
    public T poll() {
        if (kept.isEmpty()) {
            return null;
        }
        int oldest = 0;
        for (int i = 1; i < kept.size(); i++) {
            if (kept.get(i).order() < kept.get(oldest).order()) {
                oldest = i;
            }
        }
        T item = kept.get(oldest).item();
        // Order among the rest does not matter for sampling: move the last entry into the gap.
        Entry<T> last = kept.remove(kept.size() - 1);
        if (oldest < kept.size()) {
            kept.set(oldest, last);
        }
        population = kept.size();
        return item;
    }

    /** The kept items, oldest first (not removed). */
    public List<T> items() {
        List<Entry<T>> sorted = new ArrayList<>(kept);
        sorted.sort(Comparator.comparingLong(Entry::order));
        List<T> out = new ArrayList<>(sorted.size());
        sorted.forEach(e -> out.add(e.item()));
        return out;
    }

    public boolean isEmpty() {
        return kept.isEmpty();
    }

    public int size() {
        return kept.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Items offered so far. */
    public long offered() {
        return offered;
    }

    /** Items dropped so far: offered minus those still kept or taken out. */
    public long dropped() {
        return dropped;
    }

    /**
     * Restarts the random sequence, e.g. after a restore, from a seed derived from the restored
     * state.
     */
    public void reseed(long seed) {
        rng = new SplitMix64(seed);
    }
}

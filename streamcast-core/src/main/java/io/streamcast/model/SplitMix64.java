package io.streamcast.model;

/**
 * A tiny seeded random generator whose whole state is one long, so a trainer can checkpoint it and
 * resume the very same sequence (java.util.Random's state cannot be read back). Algorithm:
 * SplitMix64 (Steele, Lea, Flood 2014).
 */
public final class SplitMix64 {
    private long state;

    public SplitMix64(long state) {
        this.state = state;
    }

    public long state() {
        return state;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    /**
     * A stable hash of (text, number) mapped to [0, 1): deterministic sampling independent of
     * arrival order.
     */
    public static double unitHash(String text, long number) {
        long z = text.hashCode() * 0x9E3779B97F4A7C15L + number;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}

package io.streamcast.model;

/**
 * A bounded first-in-first-out store of training examples (flat input and target arrays), oldest
 * overwritten first. Index 0 is the oldest example held, so "the newest k" is a contiguous tail:
 * that tail is the validation hold-out.
 */
public final class ReplayBuffer {
    private final int capacity;
    private final float[][] inputs;
    private final float[][] targets;
    private int start;
    private int size;

    public ReplayBuffer(int capacity) {
        this.capacity = capacity;
        this.inputs = new float[capacity][];
        this.targets = new float[capacity][];
    }

    public void add(float[] input, float[] target) {
        int slot = (start + size) % capacity;
        if (size == capacity) {
            start = (start + 1) % capacity;
        } else {
            size++;
        }
        inputs[slot] = input;
        targets[slot] = target;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** Input of the i-th oldest example. */
    public float[] input(int i) {
        return inputs[(start + i) % capacity];
    }

    public float[] target(int i) {
        return targets[(start + i) % capacity];
    }
}

package io.streamcast.model.anomaly;

/**
 * Per-series state of an {@link AnomalyScorer}: a Flink POJO (public no-arg constructor, public
 * fields of primitives and a {@code double[]}), mutated in place by
 * {@link AnomalyScorer#score(AnomalyState, double, double)}.
 *
 * <p>Size is {@code shortWindow} doubles plus three numbers, so millions of series stay cheap in
 * keyed state. Create one with {@link AnomalyScorer#initial()}, not with the no-arg constructor.
 */
public final class AnomalyState {

  /** Readings seen (including the warm-up). */
  public long count;

  /** Exponentially weighted mean of squared normalised residuals: the long-term reference. */
  public double longTermMeanSquare;

  /** Ring buffer of the last {@code shortWindow} squared normalised residuals. */
  public double[] recent;

  /** Slot of {@link #recent} the next reading goes to. */
  public int next;

  /** For Flink's POJO serializer. */
  public AnomalyState() {}

  AnomalyState(int shortWindow) {
    this.recent = new double[shortWindow];
  }

  /** A deep copy, for callers that want to keep a snapshot. */
  public AnomalyState copy() {
    AnomalyState c = new AnomalyState();
    c.count = count;
    c.longTermMeanSquare = longTermMeanSquare;
    c.recent = recent == null ? null : recent.clone();
    c.next = next;
    return c;
  }
}

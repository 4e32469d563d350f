package io.streamcast.model.anomaly;

/**
 * Settings of an {@link AnomalyScorer}; validated on construction, with a message naming the
 * offending field.
 *
 * @param shortWindow readings in the short-term average (the "is it unusual now" window)
 * @param longTermWindow memory of the long-term reference, in readings (the exponential average's
 *     rate is {@code 1 / longTermWindow})
 * @param effectiveDof degrees of freedom of the chi-square reference for the short-term mean
 *     square, at most {@code shortWindow}; {@code shortWindow} assumes independent residuals,
 *     smaller values assume correlated ones and make the score more conservative
 * @param warmup readings per series during which the score is 0 while the state learns; at least
 *     {@code shortWindow}
 * @param minVariance floor of the long-term mean square (normalised units), so a series that has
 *     been perfectly predicted so far does not divide by zero
 */
public record AnomalyScorerConfig(
    int shortWindow, int longTermWindow, double effectiveDof, int warmup, double minVariance)
    implements java.io.Serializable {

  /** Defaults: 10-reading short window, ~2,000-reading memory, 3 effective dof, 100-reading warm-up. */
  public static AnomalyScorerConfig defaults() {
    return new AnomalyScorerConfig(10, 2000, 3.0, 100, 1e-9);
  }

  public AnomalyScorerConfig {
    if (shortWindow < 1) {
      throw new IllegalArgumentException("AnomalyScorerConfig.shortWindow must be >= 1, got " + shortWindow);
    }
    if (longTermWindow < shortWindow) {
      throw new IllegalArgumentException("AnomalyScorerConfig.longTermWindow must be >= shortWindow ("
          + shortWindow + "), got " + longTermWindow);
    }
    if (!(effectiveDof > 0 && effectiveDof <= shortWindow)) {
      throw new IllegalArgumentException("AnomalyScorerConfig.effectiveDof must be in (0, shortWindow="
          + shortWindow + "], got " + effectiveDof);
    }
    if (warmup < shortWindow) {
      throw new IllegalArgumentException("AnomalyScorerConfig.warmup must be >= shortWindow ("
          + shortWindow + "), got " + warmup);
    }
    if (!(minVariance > 0) || Double.isInfinite(minVariance)) {
      throw new IllegalArgumentException("AnomalyScorerConfig.minVariance must be a finite number > 0, got " + minVariance);
    }
  }
}

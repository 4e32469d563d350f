package io.streamcast.model.anomaly;

/**
 * One reading as every {@link AnomalyChannel} sees it: the facts the {@link AnomalyScorer} shares
 * between its channels, already updated for this reading unless said otherwise.
 *
 * @param actual the observed value
 * @param residual {@code actual - expected}, finite
 * @param abs {@code |residual|}, clipped at {@link AnomalyScorer#MAX_ABS} so that float sums stay
 *     finite
 * @param forecaster the version of the model that made the forecast, or {@link
 *     AnomalyScorer#UNKNOWN_FORECASTER}
 * @param count readings of the series so far, this one included
 * @param lastValue the previous reading's value (meaningless when {@code count} is 1)
 * @param minStep the value's resolution: its smallest non-zero step so far, this one included (0:
 *     none yet)
 * @param rate the weight of this reading in every running mean: {@code max(1 / count, 1 /
 *     longTermWindow)}
 * @param scored past the warm-up: the channels' evidence counts
 * @param held a detection's hold is on (it was on before this reading)
 * @param constants the scorer's internal constants
 */
public record Reading(
        double actual,
        double residual,
        double abs,
        long forecaster,
        long count,
        double lastValue,
        double minStep,
        double rate,
        boolean scored,
        boolean held,
        ScorerConstants constants) {}

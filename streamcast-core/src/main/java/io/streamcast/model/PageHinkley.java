package io.streamcast.model;

/**
 * Page–Hinkley test for an upward shift in the mean of a stream of values: {@link #add} says when
 * the values have risen, on the whole, by more than {@code delta} above their expected mean for
 * long enough that the excess sums past {@code lambda}. The expected mean is the running mean of
 * the values since the last start, or a known one ({@code reference}). Plain Java, deterministic; a
 * mutable POJO so that it can live in checkpointed state.
 *
 * <p>Implementation notes (Page 1954; Hinkley 1971; as used for concept drift by Gama et al.,
 * 2013): with {@code μ_t} the expected mean, {@code m_t = Σ (x_i − μ_i − delta)} and {@code M_t =
 * min m_t}, an alarm is raised when {@code m_t − M_t > lambda}; the detector then starts over, so
 * that the next alarm needs fresh evidence. {@code delta} is the shift tolerated as noise, {@code
 * lambda} trades detection delay against false alarms. With the running mean, a shift is detected
 * only within the values seen since the start; with a known mean (Page's CUSUM) also a level that
 * was wrong from the first value on. The values' scale is the caller's: the trainer feeds loss
 * ratios (recent loss over validation loss, expected 1), so its settings mean "losses up by a
 * sustained tenth, the excess summing to five times the validation loss".
 */
public class PageHinkley {
    public double delta;
    public double lambda;

    /** The known mean of the values without a shift; NaN for their running mean. */
    public double reference = Double.NaN;

    /** Values seen since the last start. */
    public long count;

    public double mean;
    public double sum;
    public double min;

    /** The statistic after the last value added, before any start-over. */
    public double last;

    /** For Flink's POJO serializer. */
    public PageHinkley() {}

    public PageHinkley(double delta, double lambda) {
        if (!(delta >= 0) || !(lambda > 0)) {
            throw new IllegalArgumentException(
                    "delta must be >= 0 and lambda > 0: delta=" + delta + " lambda=" + lambda);
        }
        this.delta = delta;
        this.lambda = lambda;
    }

    /** Against a known mean {@code reference} instead of the running mean. */
    public PageHinkley(double delta, double lambda, double reference) {
        this(delta, lambda);
        if (!Double.isFinite(reference)) {
            throw new IllegalArgumentException("reference must be finite, was " + reference);
        }
        this.reference = reference;
    }

    /** Adds a value; true when it completes the evidence of an upward shift (and starts over). */
    public boolean add(double x) {
        if (!Double.isFinite(x)) {
            return false;
        }
        count++;
        mean += (x - mean) / count;
        sum += x - (Double.isNaN(reference) ? mean : reference) - delta;
        min = Math.min(min, sum);
        last = sum - min;
        if (last > lambda) {
            double fired = last;
            reset();
            last = fired;
            return true;
        }
        return false;
    }

    /** How far the cumulative excess is above its minimum (the statistic compared to lambda). */
    public double statistic() {
        return sum - min;
    }

    /** Forgets everything seen. */
    public void reset() {
        count = 0;
        mean = 0;
        sum = 0;
        min = 0;
        last = 0;
    }
}

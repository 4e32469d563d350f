package io.streamcast.model.anomaly;

/**
 * Natural logarithm of the standard normal upper tail, {@code ln P(Z > x)}, accurate far into the
 * tail where the probability itself underflows.
 *
 * <p>Implementation notes: the Chebyshev-fitted complementary error function of Numerical Recipes
 * (ch. 6.2, fractional error below 1.2e-7 everywhere) written in log form, so {@code ln erfc(z) =
 * ln t - z^2 + poly(t)} never underflows: {@code x = 40} gives about -804, where {@code exp} would
 * return 0.
 */
final class NormalTail {

    private static final double LN_HALF = Math.log(0.5);
    private static final double INV_SQRT2 = 1 / Math.sqrt(2);

    private NormalTail() {}

    /**
     * {@code ln P(Z > x)} for a standard normal Z; 0 for x = -infinity, -infinity for +infinity.
     */
    static double logUpper(double x) {
        if (x < 0) {
            return Math.log1p(-Math.exp(logUpper(-x)));
        }
        return LN_HALF + logErfc(x * INV_SQRT2);
    }

    /** The fit's coefficients, lowest power of {@code t} first. */
    private static final double[] ERFC_FIT = {
        -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
        0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277
    };

    /** {@code ln erfc(z)} for z >= 0. */
    static double logErfc(double z) {
        double t = 2 / (2 + z);
        double poly = ERFC_FIT[ERFC_FIT.length - 1];
        for (int i = ERFC_FIT.length - 2; i >= 0; i--) {
            poly = ERFC_FIT[i] + t * poly; // Horner, in the same order as the nested form
        }
        return Math.log(t) - z * z + poly;
    }
}

package io.streamcast.model.anomaly;

/**
 * The flat channel's reference: the share of a series' readings that stand at position {@code n} or
 * later of a run of equal values, learned from the series' own record in doubling bins (runs of at
 * least 2, 4, ..., 1024), so that a series whose repeats come in clusters (counts that sit at zero
 * all night) expects long runs, and one that never repeats does not.
 *
 * <p>Implementation notes. {@code shares[b]} is a running share of readings whose run was at least
 * {@code 2^(b+1)} long. Between bins the tail is interpolated log-linearly in the run length (exact
 * for independent repeats, whose tail is geometric); past the longest bin the record has reached,
 * it goes on falling at the rate of its last two bins, so a run longer than any in the record is
 * rare in proportion to how much longer it is, as in a peaks-over-threshold fit with an exponential
 * tail. The first bin is floored at {@code 1 / readings} (a series that never repeated has seen
 * fewer than one repeat in its record, not none).
 */
final class RunLengthTail {

    /** Bins: runs of at least 2, 4, ..., 2^BINS readings. */
    static final int BINS = 10;

    private RunLengthTail() {}

    /** Shares that independent repeats at rate {@code q} would give: a restored state's start. */
    static float[] geometric(double q) {
        float[] shares = new float[BINS];
        for (int b = 0; b < BINS; b++) {
            shares[b] = (float) Math.pow(q, (1 << (b + 1)) - 1);
        }
        return shares;
    }

    /** {@code ln P(run >= n)} for the current run of {@code n >= 2} equal readings. */
    static double logTail(float[] shares, double floor, int n) {
        // Points (length 2^b, ln share): b = 0 is every reading (share 1).
        int top = 0;
        double lnTop = 0;
        double lnPrev = 0;
        for (int b = 1; b <= BINS; b++) {
            double share = b == 1 ? Math.max(shares[0], floor) : shares[b - 1];
            if (!(share > 0)) {
                break;
            }
            double ln = Math.log(share);
            if (n < (1 << b)) {
                // n lies between 2^(b-1) and 2^b, both in the record: interpolate.
                double lo = 1 << (b - 1);
                return lnTop + (ln - lnTop) * (n - lo) / lo;
            }
            lnPrev = lnTop;
            lnTop = ln;
            top = b;
        }
        // Past the record's longest bin: fall on at the rate of the last two bins.
        double lengthTop = 1 << top;
        double slope = (lnTop - lnPrev) / (lengthTop / 2);
        return lnTop + slope * (n - lengthTop);
    }

    /** Folds one reading, standing at position {@code run} of its run, into the shares. */
    static void learn(float[] shares, int run, double rate) {
        for (int b = 0; b < BINS; b++) {
            int hit = run >= (2 << b) ? 1 : 0;
            shares[b] += (float) (rate * (hit - shares[b]));
        }
    }
}

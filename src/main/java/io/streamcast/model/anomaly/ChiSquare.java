package io.streamcast.model.anomaly;

/**
 * Chi-square distribution function for any positive degrees of freedom, via the regularised
 * lower incomplete gamma function.
 *
 * <p>Implementation notes: series expansion below {@code a + 1}, Lentz's continued fraction above
 * (Numerical Recipes, ch. 6.2), Lanczos log-gamma (g = 7, 9 terms); relative accuracy about
 * 1e-14, ample for a score.
 */
final class ChiSquare {

  private static final double EPS = 1e-15;
  private static final int MAX_ITERATIONS = 1000;
  private static final double[] LANCZOS = {
      0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
      -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
      1.5056327351493116e-7};

  private ChiSquare() {}

  /** P(X <= x) for X ~ chi-square(dof); 0 for x <= 0, 1 for x = +infinity. */
  static double cdf(double x, double dof) {
    if (!(x > 0)) {
      return 0.0;
    }
    if (Double.isInfinite(x)) {
      return 1.0;
    }
    return regularizedGammaP(dof / 2, x / 2);
  }

  static double regularizedGammaP(double a, double x) {
    double logPrefix = -x + a * Math.log(x) - logGamma(a);
    double p;
    if (x < a + 1) {
      double term = 1 / a;
      double sum = term;
      double ap = a;
      for (int n = 0; n < MAX_ITERATIONS && Math.abs(term) > Math.abs(sum) * EPS; n++) {
        ap += 1;
        term *= x / ap;
        sum += term;
      }
      p = sum * Math.exp(logPrefix);
    } else {
      double tiny = 1e-300;
      double b = x + 1 - a;
      double c = 1 / tiny;
      double d = 1 / b;
      double h = d;
      for (int i = 1; i <= MAX_ITERATIONS; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (Math.abs(d) < tiny) {
          d = tiny;
        }
        c = b + an / c;
        if (Math.abs(c) < tiny) {
          c = tiny;
        }
        d = 1 / d;
        double delta = d * c;
        h *= delta;
        if (Math.abs(delta - 1) < EPS) {
          break;
        }
      }
      p = 1 - Math.exp(logPrefix) * h;
    }
    return Math.min(1.0, Math.max(0.0, p));
  }

  static double logGamma(double z) {
    if (z < 0.5) {
      // Reflection keeps the Lanczos sum in its accurate range.
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
    }
    z -= 1;
    double x = LANCZOS[0];
    for (int i = 1; i < LANCZOS.length; i++) {
      x += LANCZOS[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
  }
}

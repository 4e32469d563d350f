package io.streamcast.model.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyScorerTest {

  private final AnomalyScorer scorer = new AnomalyScorer(AnomalyScorerConfig.defaults());

  @Test
  void warmUpGivesZeroEvenForHugeResiduals() {
    AnomalyState spiky = scorer.initial();
    AnomalyState calm = scorer.initial();
    Random rnd = new Random(1);
    for (int i = 0; i < scorer.config().warmup(); i++) {
      assertEquals(0.0, scorer.score(spiky, i % 7 == 0 ? 1e6 : rnd.nextGaussian(), 1.0), "reading " + i);
      assertEquals(0.0, scorer.score(calm, rnd.nextGaussian(), 1.0), "reading " + i);
    }
    // The warm-up only silences the score; the state has learned, so the first scored spike counts.
    assertTrue(scorer.score(calm, 1e6, 1.0) > 0.99, "first scored reading sees the spike");
  }

  @Test
  void stationaryGaussianResidualsRarelyExceed099() {
    Random rnd = new Random(42);
    AnomalyState state = scorer.initial();
    int steps = 50_000;
    int above = 0;
    for (int i = 0; i < steps; i++) {
      // The forecaster's scale is 2 here; the score must not care about the units.
      if (scorer.score(state, 2.0 * rnd.nextGaussian(), 2.0) > 0.99) {
        above++;
      }
    }
    assertTrue(above < steps / 100, above + " of " + steps + " steps above 0.99");
  }

  @Test
  void autocorrelatedStationaryResidualsStayBelowOnePercent() {
    Random rnd = new Random(7);
    AnomalyState state = scorer.initial();
    int steps = 50_000;
    int above = 0;
    double ar = 0;
    for (int i = 0; i < steps; i++) {
      ar = 0.5 * ar + Math.sqrt(0.75) * rnd.nextGaussian(); // AR(1), unit variance
      if (scorer.score(state, ar, 1.0) > 0.99) {
        above++;
      }
    }
    assertTrue(above < steps / 100, above + " of " + steps + " steps above 0.99");
  }

  @Test
  void suddenEightSigmaShiftScoresAbove099WithinFewSteps() {
    Random rnd = new Random(3);
    AnomalyState state = scorer.initial();
    for (int i = 0; i < 1000; i++) {
      scorer.score(state, rnd.nextGaussian(), 1.0);
    }
    double max = 0;
    for (int i = 0; i < 3; i++) {
      max = Math.max(max, scorer.score(state, 8 + rnd.nextGaussian(), 1.0));
    }
    assertTrue(max > 0.99, "max score over 3 shifted steps " + max);
  }

  @Test
  void scoresAlwaysWithinUnitIntervalAndNeverNaN() {
    Random rnd = new Random(11);
    AnomalyState state = scorer.initial();
    double[] odd = {0, -0.0, 1e-300, 1e300, -1e300, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE};
    for (int i = 0; i < 20_000; i++) {
      double residual = i % 13 == 0 ? odd[rnd.nextInt(odd.length)] : rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 4);
      double scale = i % 17 == 0 ? odd[rnd.nextInt(odd.length)] : 1 + rnd.nextDouble();
      double s = scorer.score(state, residual, scale);
      assertTrue(s >= 0 && s <= 1, "score " + s + " at step " + i);
      assertTrue(Double.isFinite(state.longTermMeanSquare), "long-term state finite at step " + i);
    }
  }

  @Test
  void zeroVarianceInputGivesNoNaN() {
    AnomalyState state = scorer.initial();
    for (int i = 0; i < 1000; i++) {
      assertEquals(0.0, scorer.score(state, 0.0, 0.0), "reading " + i);
    }
    double afterFlat = scorer.score(state, 1.0, 1.0);
    assertTrue(afterFlat > 0.99 && afterFlat <= 1.0, "first deviation after a flat history: " + afterFlat);
  }

  @Test
  void chiSquareMatchesKnownQuantiles() {
    assertEquals(0.95, ChiSquare.cdf(3.841458820694124, 1), 1e-12);
    assertEquals(0.99, ChiSquare.cdf(11.344866730144373, 3), 1e-12);
    assertEquals(0.5, ChiSquare.cdf(9.341817765591966, 10), 1e-12);
    assertEquals(1 - Math.exp(-2.5), ChiSquare.cdf(5.0, 2), 1e-14);
  }

  @Test
  void configValidationNamesTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AnomalyScorerConfig(10, 500, 11, 100, 1e-9));
    assertTrue(e.getMessage().contains("effectiveDof"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new AnomalyScorerConfig(10, 500, 3, 5, 1e-9));
    assertTrue(e.getMessage().contains("warmup"), e.getMessage());
  }
}

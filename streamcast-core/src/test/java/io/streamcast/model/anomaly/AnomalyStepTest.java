package io.streamcast.model.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamcast.event.Score;
import io.streamcast.model.alert.AlertConfig;
import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import io.streamcast.model.alert.AlertTrackerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyStepTest {

    private final AnomalyStep step =
            new AnomalyStep(AnomalyScorerConfig.defaults(), AlertConfig.defaults());

    /** Calm noise, then a misfit of 10 noise widths for 30 readings, then calm again. */
    private static double actual(Random rnd, int i) {
        return 50 + rnd.nextGaussian() + (i >= 2000 && i < 2030 ? 10 : 0);
    }

    @Test
    void oneAnomalyIsOneDetectionAndOneAlertThatOpensAndResolves() {
        AnomalyStep.SeriesState state = step.initial();
        Random rnd = new Random(11);
        List<AlertEvent> events = new ArrayList<>();
        int detections = 0;
        for (int i = 0; i < 2300; i++) {
            AnomalyStep.Outcome o =
                    step.next(state, "s", i * 60_000L, actual(rnd, i), 50, 48, 52, 3);
            if (o.score().score() >= AnomalyScorerConfig.defaults().threshold()) {
                detections++;
            }
            o.alert().ifPresent(events::add);
        }
        assertEquals(1, detections);
        assertEquals(AlertStatus.OPEN, events.get(0).state());
        assertEquals(AlertStatus.RESOLVE, events.get(events.size() - 1).state());
        assertEquals(1, events.stream().filter(e -> e.state() == AlertStatus.OPEN).count());
    }

    @Test
    void theJobsTwoHalvesGiveWhatTheWholeStepGives() {
        AnomalyStep scoring = AnomalyStep.scoringOnly(AnomalyScorerConfig.defaults());
        AnomalyStep alerting = AnomalyStep.alertingOnly(AlertConfig.defaults());
        ScorerMemory scorerState = scoring.initialScoring();
        AlertTrackerState alertState = alerting.initialAlerts();
        AnomalyStep.SeriesState whole = step.initial();
        Random a = new Random(12);
        Random b = new Random(12);
        for (int i = 0; i < 2300; i++) {
            Score s = scoring.score(scorerState, "s", i * 60_000L, actual(a, i), 50, 48, 52, 3);
            AnomalyStep.Outcome o = step.next(whole, "s", i * 60_000L, actual(b, i), 50, 48, 52, 3);
            assertEquals(o.score(), s);
            assertEquals(o.alert(), alerting.alert(alertState, s));
        }
    }

    @Test
    void theScoreRecordCarriesTheReadingAndTheVerdict() {
        AnomalyScorer scorer = new AnomalyScorer(AnomalyScorerConfig.defaults());
        ScorerMemory reference = scorer.initial();
        ScorerMemory state = step.initialScoring();
        Random rnd = new Random(13);
        for (int i = 0; i < 300; i++) {
            double x = 50 + rnd.nextGaussian();
            Verdict v = scorer.score(reference, x, 50.5, 7);
            Score s = step.score(state, "s", i, x, 50.5, 49, 52, 7);
            assertEquals(
                    new Score(
                            "s",
                            i,
                            x,
                            50.5,
                            49,
                            52,
                            x - 50.5,
                            v.score(),
                            v.surprise(),
                            v.channelName(),
                            7),
                    s);
        }
    }

    @Test
    void aScoringOnlyStepCannotAlert() {
        AnomalyStep scoring = AnomalyStep.scoringOnly(AnomalyScorerConfig.defaults());
        Score s = new Score("s", 0, 1, 1, 0, 2, 0, 0.5, 9, "sustained", 1);
        assertThrows(IllegalStateException.class, () -> scoring.alert(new AlertTrackerState(), s));
    }
}

package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.Score;
import io.streamcast.model.alert.AlertEvent;
import io.streamcast.model.alert.AlertStatus;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AlertOperatorTest {
    static final StreamcastConfig CONFIG = ConfigLoader.fromFlat(Map.of(
            "alerts.resolve-after", "2m", "time.series-ttl", "1h"));

    static KeyedOneInputStreamOperatorTestHarness<String, Score, AlertEvent> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertOperator(CONFIG.alerts(), CONFIG.time().seriesTtl())),
                Score::series, Types.STRING);
        h.open();
        return h;
    }

    static Score score(String series, long minute, double score, double actual) {
        return new Score(series, minute * 60_000, actual, 10, 9, 11, actual - 10, score);
    }

    @Test
    void aHighScoreOpensAnAlertThatResolvesOnceTheSeriesIsQuiet() throws Exception {
        try (var h = harness()) {
            h.processElement(score("a", 0, 0.2, 10), 0);
            h.processElement(score("a", 1, 0.999, 40), 0);
            h.processElement(score("a", 2, 0.9999, 45), 0);
            for (int m = 3; m < 8; m++) {
                h.processElement(score("a", m, 0.1, 10), 0);
            }
            List<AlertEvent> events = h.extractOutputValues();
            assertEquals(AlertStatus.OPEN, events.get(0).state());
            assertEquals(AlertStatus.RESOLVE, events.get(events.size() - 1).state());
            assertEquals(1, events.stream().map(AlertEvent::alertId).distinct().count(), "one id for its lifetime");
        }
    }

    @Test
    void stateOfAnIdleSeriesIsDroppedAfterTheTtl() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.processElement(score("a", 0, 0.999, 40), 0);
            h.processElement(score("b", 0, 0.1, 40), 0);
            assertEquals(2, h.numKeyedStateEntries(), "one tracker state per series");
            h.setProcessingTime(30 * 60_000);
            h.processElement(score("b", 1, 0.1, 40), 60_000);
            h.setProcessingTime(70 * 60_000);
            assertEquals(1, h.numKeyedStateEntries(), "a was idle for an hour, b only for 40 minutes");
            h.setProcessingTime(200 * 60_000);
            assertEquals(0, h.numKeyedStateEntries());
        }
    }
}

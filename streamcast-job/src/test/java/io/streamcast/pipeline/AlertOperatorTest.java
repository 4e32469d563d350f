package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamcast.config.ConfigLoader;
import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.Forecast;
import io.streamcast.event.ForecastResult;
import io.streamcast.event.OutputRecord;
import io.streamcast.event.OutputRecord.Stream;
import io.streamcast.event.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AlertOperatorTest {
    static final StreamcastConfig CONFIG =
            ConfigLoader.fromFlat(Map.of("alerts.resolve-after", "2m", "time.series-ttl", "1h"));

    static final ObjectMapper JSON = new ObjectMapper();

    static KeyedOneInputStreamOperatorTestHarness<String, ForecastResult, OutputRecord> harness()
            throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new AlertOperator(CONFIG.alerts(), CONFIG.time().seriesTtl())),
                        (ForecastResult r) -> r.forecast().series(),
                        Types.STRING);
        h.open();
        return h;
    }

    /** The forecaster's result for the reading at {@code minute}, scored as given. */
    static ForecastResult score(String series, long minute, double score, double actual) {
        return new ForecastResult(
                forecast(series, minute),
                new Score(
                        series,
                        minute * 60_000,
                        actual,
                        10,
                        9,
                        11,
                        actual - 10,
                        score,
                        8 * Math.expm1(score / (1 - score)),
                        "sustained",
                        1));
    }

    static Forecast forecast(String series, long minute) {
        return new Forecast(
                series,
                minute * 60_000,
                1,
                "lstm",
                false,
                new long[] {(minute + 1) * 60_000},
                new double[] {10},
                new double[] {9},
                new double[] {11},
                null,
                null);
    }

    static List<JsonNode> records(
            KeyedOneInputStreamOperatorTestHarness<?, ?, OutputRecord> h, Stream stream)
            throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (OutputRecord r : h.extractOutputValues()) {
            if (r.stream() == stream) {
                out.add(JSON.readTree(r.json()));
            }
        }
        return out;
    }

    @Test
    void everyReadingLeavesAsItsForecastAndItsScoreWhenItHasOne() throws Exception {
        try (var h = harness()) {
            h.processElement(new ForecastResult(forecast("a", 0), null), 0);
            h.processElement(score("a", 1, 0.1, 10), 0);
            h.processElement(score("b", 1, 0.15, 12), 0);
            List<OutputRecord> out = h.extractOutputValues();
            assertEquals(
                    List.of(
                            Stream.FORECASTS,
                            Stream.FORECASTS,
                            Stream.SCORES,
                            Stream.FORECASTS,
                            Stream.SCORES),
                    out.stream().map(OutputRecord::stream).toList(),
                    "in reading order, forecast before score");
            assertEquals(
                    List.of("a", "a", "a", "b", "b"), out.stream().map(OutputRecord::key).toList());
            JsonNode score = records(h, Stream.SCORES).get(1);
            assertEquals("b", score.get("series").asText());
            assertEquals(12, score.get("actual").asDouble());
            assertEquals(0.15, score.get("score").asDouble());
            assertEquals("sustained", score.get("channel").asText());
            assertEquals(
                    "1970-01-01T00:01:00Z", records(h, Stream.FORECASTS).get(2).get("ts").asText());
        }
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
            List<JsonNode> alerts = records(h, Stream.ALERTS);
            assertEquals("open", alerts.get(0).get("state").asText());
            assertEquals(
                    "sustained",
                    alerts.get(0).get("channel").asText(),
                    "the alert says which channel fired");
            assertTrue(
                    alerts.get(0)
                            .get("reason")
                            .asText()
                            .contains("channel sustained: tail probability"),
                    alerts.get(0).get("reason").asText());
            assertEquals("resolve", alerts.get(alerts.size() - 1).get("state").asText());
            assertEquals(
                    1,
                    alerts.stream().map(a -> a.get("alertId").asText()).distinct().count(),
                    "one id for its lifetime");
        }
    }

    @Test
    void stateOfAnIdleSeriesIsDroppedAfterTheTtl() throws Exception {
        try (var h = harness()) {
            h.setProcessingTime(0);
            h.processElement(score("a", 0, 0.999, 40), 0);
            h.processElement(score("b", 0, 0.1, 40), 0);
            assertEquals(
                    4, h.numKeyedStateEntries(), "per series: its tracker state and its activity");
            assertEquals(2, h.numProcessingTimeTimers(), "one pending idle check per series");
            h.setProcessingTime(30 * 60_000);
            h.processElement(score("b", 1, 0.1, 40), 60_000);
            h.setProcessingTime(70 * 60_000);
            assertEquals(
                    2, h.numKeyedStateEntries(), "a was idle for an hour, b only for 40 minutes");
            h.setProcessingTime(200 * 60_000);
            assertEquals(0, h.numKeyedStateEntries(), "no keyed state left behind");
            assertEquals(0, h.numProcessingTimeTimers(), "no timers left behind");
        }
    }
}

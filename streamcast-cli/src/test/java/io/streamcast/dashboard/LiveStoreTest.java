package io.streamcast.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcast.event.OutputRecord.Stream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live page's store stays within its bounds and reads output records tolerantly. */
class LiveStoreTest {
    private long now = 1_000_000;
    private final LiveStore store = new LiveStore(5, 3, () -> now);

    @Test
    void keepsTheLastPointsOfEachSeriesInTimeOrder() {
        for (int t = 1; t <= 12; t++) {
            accept(Stream.SCORES, score("a", t, t * 10.0));
        }
        JsonNode data = store.state("a").get("data");
        assertEquals(List.of(8.0, 9.0, 10.0, 11.0, 12.0), doubles(data.get("t")));
        assertEquals(List.of(80.0, 90.0, 100.0, 110.0, 120.0), doubles(data.get("actual")));
        assertEquals(5, store.points("a"));
    }

    @Test
    void dropsTheSeriesUpdatedLongestAgoBeyondTheLimit() {
        accept(Stream.SCORES, score("a", 1, 1));
        accept(Stream.SCORES, score("b", 1, 1));
        accept(Stream.SCORES, score("c", 1, 1));
        accept(Stream.SCORES, score("a", 2, 1)); // a is now newer than b
        accept(Stream.SCORES, score("d", 1, 1));
        JsonNode state = store.state(null);
        List<String> names = new ArrayList<>();
        state.get("series").forEach(s -> names.add(s.get("name").asText()));
        assertEquals(List.of("a", "c", "d"), names);
        assertEquals(1, state.get("stats").get("seriesDropped").asLong());
    }

    @Test
    void recentAlertsAreTheNewestByEventTimeWithTheTotalCounted() {
        // Arrival interleaves series: b's early alerts come after a's late ones.
        for (int i = 0; i < LiveStore.RECENT + 10; i++) {
            String series = i % 2 == 0 ? "a" : "b";
            long second = i % 2 == 0 ? 1000 + i : i;
            accept(
                    Stream.ALERTS,
                    "{\"series\":\""
                            + series
                            + "\",\"alertId\":\"id"
                            + i
                            + "\",\"state\":\"open\",\"ts\":\""
                            + iso(second)
                            + "\",\"score\":0.9,\"severity\":\"warning\",\"reason\":\"r\"}");
        }
        JsonNode state = store.state(null);
        JsonNode alerts = state.get("alerts");
        assertEquals(LiveStore.RECENT, alerts.size());
        assertEquals(LiveStore.RECENT + 10, state.get("alertEvents").asLong());
        List<String> times = new ArrayList<>();
        alerts.forEach(a -> times.add(a.get("ts").asText()));
        List<String> newestFirst = new ArrayList<>(times);
        newestFirst.sort(java.util.Comparator.reverseOrder());
        assertEquals(newestFirst, times);
        assertEquals(iso(1000 + LiveStore.RECENT + 8), times.get(0));
    }

    @Test
    void marksModelChangesAlertSpansAndTheForecastAhead() {
        accept(Stream.FORECASTS, forecast("a", 1, 0));
        accept(Stream.SCORES, score("a", 1, 5));
        accept(Stream.FORECASTS, forecast("a", 2, 3));
        accept(Stream.SCORES, score("a", 2, 6));
        accept(
                Stream.ALERTS,
                "{\"series\":\"a\",\"alertId\":\"x\",\"state\":\"open\",\"ts\":\""
                        + iso(2)
                        + "\",\"score\":0.99,\"severity\":\"warning\",\"reason\":\"high\",\"tailProbability\":1e-5}");
        accept(
                Stream.MODELS,
                "{\"version\":3,\"cell\":\"gru\",\"metrics\":{\"trainLoss\":0.5,\"validationLoss\":\"NaN\","
                        + "\"samplesSeen\":64},\"parameters\":\"AAAA\"}");
        now += 2500;

        JsonNode state = store.state("a");
        JsonNode data = state.get("data");
        assertEquals(List.of(List.of(2.0, 3.0)), pairs(data.get("versions")));
        assertTrue(data.get("alerts").get(0).get(1).isNull(), "still open");
        assertEquals(1, state.get("series").get(0).get("openAlerts").asInt());
        assertEquals(List.of(3.0), doubles(data.get("ahead").get("t")));
        assertEquals(3, state.get("models").get(0).get("version").asInt());
        assertTrue(state.get("models").get(0).get("validationLoss").isNull());
        assertFalse(state.get("models").get(0).has("parameters"));
        assertEquals(2500, state.get("stats").get("lastRecordAgeMs").asLong());

        accept(
                Stream.ALERTS,
                "{\"series\":\"a\",\"alertId\":\"x\",\"state\":\"resolve\",\"ts\":\""
                        + iso(3)
                        + "\"}");
        assertEquals(3.0, store.state("a").get("data").get("alerts").get(0).get(1).asDouble());
    }

    @Test
    void listsDriftEventsBesideModelVersionsAndMarksThemOnTheChart() {
        accept(Stream.FORECASTS, forecast("a", 1, 0));
        accept(Stream.SCORES, score("a", 1, 5));
        // As the job writes them: the drift event, then the version its round promoted.
        accept(
                Stream.MODELS,
                "{\"drift\":{\"ts\":\""
                        + iso(2)
                        + "\",\"recentLoss\":1.7333,\"validationLoss\":0.3168,\"statistic\":5.43,"
                        + "\"threshold\":5,\"samplesSeen\":4096},\"round\":{\"promoted\":true,\"version\":1}}");
        accept(
                Stream.MODELS,
                "{\"version\":1,\"cell\":\"lstm\",\"metrics\":{\"trainLoss\":0.2,\"validationLoss\":0.25,"
                        + "\"samplesSeen\":4100},\"parameters\":\"AAAA\"}");
        accept(Stream.FORECASTS, forecast("a", 3, 1));
        accept(Stream.SCORES, score("a", 3, 6));
        // From a build whose drift events had no time: listed, not marked.
        accept(
                Stream.MODELS,
                "{\"drift\":{\"recentLoss\":0.9,\"validationLoss\":0.25,\"statistic\":5.1,"
                        + "\"threshold\":5,\"samplesSeen\":5000},\"round\":{\"promoted\":false}}");

        JsonNode state = store.state("a");
        assertEquals(0, state.get("stats").get("unreadable").asLong());
        assertEquals(1, state.get("models").size(), "a drift event is not a model version");
        JsonNode drifts = state.get("drifts");
        assertEquals(2, drifts.size());
        JsonNode older = drifts.get(1);
        assertEquals(iso(2), older.get("ts").asText(), "newest first");
        assertEquals(1.7333, older.get("recentLoss").asDouble());
        assertEquals(0.3168, older.get("validationLoss").asDouble());
        assertEquals(5.43, older.get("statistic").asDouble());
        assertEquals(5, older.get("threshold").asDouble());
        assertEquals(4096, older.get("samplesSeen").asLong());
        assertTrue(older.get("promoted").asBoolean());
        assertEquals(1, older.get("version").asLong());
        JsonNode newer = drifts.get(0);
        assertTrue(newer.get("ts").isNull());
        assertFalse(newer.get("promoted").asBoolean());
        assertFalse(newer.has("version"));

        JsonNode data = state.get("data");
        assertEquals(List.of(List.of(2.0, 1.0)), pairs(data.get("drifts")));
        assertEquals(List.of(List.of(3.0, 1.0)), pairs(data.get("versions")));

        accept(Stream.MODELS, "{\"drift\":{\"ts\":\"soon\"},\"round\":{\"promoted\":false}}");
        assertEquals(1, store.state("a").get("stats").get("unreadable").asLong());
        assertEquals(2, store.state("a").get("drifts").size());
    }

    @Test
    void countsUnreadableRecordsAndGoesOn() {
        accept(Stream.SCORES, "not json");
        accept(Stream.SCORES, "{\"ts\":\"" + iso(1) + "\"}");
        accept(Stream.FORECASTS, "{\"series\":\"a\",\"ts\":\"soon\"}");
        accept(Stream.SCORES, score("a", 1, 1));
        JsonNode stats = store.state(null).get("stats");
        assertEquals(4, stats.get("records").asLong());
        assertEquals(3, stats.get("unreadable").asLong());
        assertEquals(1, store.points("a"));
    }

    @Test
    void aRecordWhoseTimeHasNoEpochMillisIsSkippedAndTheRestOfTheBatchShown() {
        LiveStore big = new LiveStore(100, 3, () -> now);
        for (int t = 1; t <= 20; t++) {
            big.accept(Stream.SCORES, bytes(score("a", t, t)));
            if (t == 5) {
                // A valid instant (year +1000000000) whose epoch milliseconds overflow a long.
                big.accept(
                        Stream.SCORES,
                        bytes(score("a", t, t).replace(iso(t), "+1000000000-01-01T00:00:00Z")));
                big.accept(
                        Stream.FORECASTS,
                        bytes(forecast("a", t, 0).replace(iso(t), "+1000000000-01-01T00:00:00Z")));
                // 2^64 + 1.7e12: an integer beyond a long.
                big.accept(
                        Stream.SCORES,
                        bytes(
                                score("a", t, t)
                                        .replace("\"" + iso(t) + "\"", "18446745773709551616")));
            }
        }
        assertEquals(20, big.points("a"));
        JsonNode stats = big.state("a").get("stats");
        assertEquals(23, stats.get("records").asLong());
        assertEquals(3, stats.get("unreadable").asLong());
        assertEquals(
                "skipped 3 records that could not be read: first a scores record: ts"
                        + " '+1000000000-01-01T00:00:00Z' is not a time (ISO-8601 or epoch"
                        + " milliseconds, within 285,000 years of 1970)",
                stats.get("unreadableNote").asText());
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private void accept(Stream stream, String json) {
        store.accept(stream, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String iso(long second) {
        return Instant.ofEpochSecond(second).toString();
    }

    private static String score(String series, long second, double actual) {
        return "{\"series\":\""
                + series
                + "\",\"ts\":\""
                + iso(second)
                + "\",\"actual\":"
                + actual
                + ",\"expected\":1,\"lower\":0,\"upper\":2,\"residual\":0,\"score\":0.2,\"channel\":\"level\"}";
    }

    private static String forecast(String series, long second, long version) {
        return "{\"series\":\""
                + series
                + "\",\"ts\":\""
                + iso(second)
                + "\",\"model\":{\"version\":"
                + version
                + ",\"cell\":\"lstm\"},\"coldStart\":false,\"forecast\":[{\"step\":1,\"ts\":\""
                + iso(second + 1)
                + "\",\"mean\":1,\"lower\":0,\"upper\":2}]}";
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asDouble()));
        return out;
    }

    private static List<List<Double>> pairs(JsonNode array) {
        List<List<Double>> out = new ArrayList<>();
        array.forEach(v -> out.add(doubles(v)));
        return out;
    }
}

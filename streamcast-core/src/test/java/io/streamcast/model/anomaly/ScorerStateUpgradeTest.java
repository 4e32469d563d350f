package io.streamcast.model.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scorer's state in its previous layout ({@link ScorerState}, as savepoints of main b5faadd
 * hold it) upgrades into {@link ScorerMemory} without a change in what follows. The fixture {@code
 * anomaly/layout1-replay.txt} was written by b5faadd's scorer: 1400 readings (a sine with noise, a
 * sustained misfit, a level change, a stuck run, a spike, two model swaps) with the verdict it gave
 * each, and its state at 30 points along the way (during holds, runs and settling too).
 */
class ScorerStateUpgradeTest {

    private final AnomalyScorer scorer = new AnomalyScorer(AnomalyScorerConfig.defaults());

    record Row(double actual, double expected, long model, Verdict verdict) {}

    private static final List<Row> ROWS = new ArrayList<>();
    private static final Map<Integer, ScorerState> STATES = new HashMap<>();

    static {
        try (InputStream in =
                ScorerStateUpgradeTest.class.getResourceAsStream("/anomaly/layout1-replay.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split(" ");
                if (f[0].equals("reading")) {
                    ROWS.add(
                            new Row(
                                    Double.parseDouble(f[2]),
                                    Double.parseDouble(f[3]),
                                    Long.parseLong(f[4]),
                                    new Verdict(
                                            Double.parseDouble(f[5]),
                                            Double.parseDouble(f[6]),
                                            Channel.valueOf(f[7]),
                                            Double.parseDouble(f[8]),
                                            Double.parseDouble(f[9]),
                                            Boolean.parseBoolean(f[10]))));
                } else if (f[0].equals("state")) {
                    STATES.put(Integer.parseInt(f[1]), layout1(f));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ScorerState layout1(String[] f) {
        Map<String, String> v = new HashMap<>();
        for (int i = 2; i < f.length; i++) {
            String[] kv = f[i].split("=", 2);
            v.put(kv[0], kv[1]);
        }
        ScorerState s = new ScorerState();
        s.count = Long.parseLong(v.get("count"));
        s.recent = floats(v.get("recent"));
        s.next = Integer.parseInt(v.get("next"));
        s.recentSum = Double.parseDouble(v.get("recentSum"));
        s.meanOfMeans = Double.parseDouble(v.get("meanOfMeans"));
        s.varOfMeans = Double.parseDouble(v.get("varOfMeans"));
        s.residualScale = Double.parseDouble(v.get("residualScale"));
        s.cusumUp = Double.parseDouble(v.get("cusumUp"));
        s.cusumDown = Double.parseDouble(v.get("cusumDown"));
        s.meanZ = Double.parseDouble(v.get("meanZ"));
        s.meanAbs = Double.parseDouble(v.get("meanAbs"));
        s.varAbs = Double.parseDouble(v.get("varAbs"));
        s.lastValue = Double.parseDouble(v.get("lastValue"));
        s.run = Integer.parseInt(v.get("run"));
        s.repeatRate = Double.parseDouble(v.get("repeatRate"));
        s.quiet = Integer.parseInt(v.get("quiet"));
        s.minStep = Double.parseDouble(v.get("minStep"));
        s.runShares = floats(v.get("runShares"));
        s.forecaster = Long.parseLong(v.get("forecaster"));
        s.swappedAt = Long.parseLong(v.get("swappedAt"));
        return s;
    }

    private static float[] floats(String csv) {
        String[] parts = csv.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }

    private void assertSameVerdicts(ScorerMemory s, int from) {
        for (int i = from; i < ROWS.size(); i++) {
            Row r = ROWS.get(i);
            assertEquals(
                    r.verdict(), scorer.score(s, r.actual(), r.expected(), r.model()), "#" + i);
        }
    }

    @Test
    void theScorerGivesTheVerdictsTheFlatLayoutsScorerGave() {
        assertEquals(1400, ROWS.size());
        assertSameVerdicts(scorer.initial(), 0);
    }

    @Test
    void aStateInTheFlatLayoutUpgradesAndGoesOnExactlyAsBefore() {
        assertEquals(30, STATES.size());
        for (var e : STATES.entrySet()) {
            assertSameVerdicts(e.getValue().upgrade(), e.getKey());
        }
    }

    @Test
    void theFixtureCoversHoldsRunsAndSwaps() {
        assertTrue(STATES.values().stream().anyMatch(s -> s.quiet > 0));
        assertTrue(STATES.values().stream().anyMatch(s -> s.run > 1));
        assertTrue(STATES.values().stream().anyMatch(s -> s.swappedAt > 0));
        assertTrue(ROWS.stream().anyMatch(r -> r.verdict().channel() == Channel.CHANGE));
        assertTrue(ROWS.stream().anyMatch(r -> r.verdict().channel() == Channel.FLAT));
    }

    @Test
    void theStepUpgradesAStateRestoredInTheFlatLayout() {
        AnomalyStep step = AnomalyStep.scoringOnly(AnomalyScorerConfig.defaults());
        ScorerMemory current = step.initialScoring();
        assertEquals(current, step.restored(current, STATES.get(650)));
        ScorerMemory upgraded = step.restored(null, STATES.get(650));
        assertEquals(STATES.get(650).count, upgraded.count);
        assertEquals(0, step.restored(null, null).count);
    }
}

package io.streamcast.model;

import io.streamcast.event.Forecast;
import io.streamcast.event.ForecastInput;
import io.streamcast.event.ForecastResult;
import io.streamcast.event.Score;
import io.streamcast.model.anomaly.AnomalyScorerConfig;
import io.streamcast.model.anomaly.AnomalyStep;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Answers batches of readings of distinct series with one serving model: each reading is scored
 * against the forecast made for it, and the series' next forecast with its intervals is made,
 * advancing the series' {@link SeriesMemory} in place. The caller owns the memories (the forecaster
 * keeps none per series); confined, like its {@link RecurrentNetwork}, to the thread that built it:
 * one instance per operator subtask.
 *
 * <p>Implementation notes: a series whose state is current advances one step per reading, all such
 * series in one batched network call. A new series, one whose reading arrived out of order and
 * (unless the state is carried over to new weights) one whose state was computed by an older model
 * version is rebuilt from its window instead, in one batched call per window length. A batch may
 * not hold two readings of one series, because the second must see the state the first one left:
 * {@link #distinctSeriesBatches} cuts a run of readings into such batches.
 */
public final class Forecaster {
    private final NetworkSpec spec;
    private final int windowSize;
    private final int residualWindow;
    private final double coverage;
    private final boolean rebuildOnNewModel;
    private final RecurrentNetwork network;
    private final AnomalyStep scoring;
    private final ForecastCombiner combiner;
    private final double adaptationRate;
    private long version;
    private double residualMae;

    /**
     * Serves version 0, the network the spec's seed initialises, until {@link #useModel}. {@code
     * rebuildOnNewModel} false carries a series' recurrent state over to new weights instead of
     * rebuilding it from the window. The served forecast is {@code combiner}'s choice between the
     * network and the naive baselines; intervals adapt their level by {@code adaptationRate} per
     * checked band (adaptive conformal inference; 0 keeps the nominal level).
     */
    public Forecaster(
            NetworkSpec spec,
            int windowSize,
            int residualWindow,
            double coverage,
            boolean rebuildOnNewModel,
            AnomalyScorerConfig scoring,
            ForecastCombiner combiner,
            double adaptationRate) {
        this.combiner = combiner;
        this.adaptationRate = adaptationRate;
        this.spec = spec;
        this.windowSize = windowSize;
        this.residualWindow = residualWindow;
        this.coverage = coverage;
        this.rebuildOnNewModel = rebuildOnNewModel;
        this.network = RecurrentNetwork.create(spec);
        this.scoring = AnomalyStep.scoringOnly(scoring);
    }

    /** Serves {@code params} as model {@code version} from the next batch on. */
    public void useModel(long version, float[] params) {
        network.setParams(params);
        this.version = version;
    }

    /** The version of the model that answers the next batch. */
    public long version() {
        return version;
    }

    /**
     * Mean absolute one-step residual in units of each series' scale, over roughly the last 1000
     * scored readings.
     */
    public double residualMae() {
        return residualMae;
    }

    /**
     * Cuts readings, in arrival order, into consecutive batches of distinct series: a batch ends
     * before the reading whose series it already holds.
     */
    public static <T> List<List<T>> distinctSeriesBatches(
            List<T> readings, Function<T, String> seriesOf) {
        List<List<T>> batches = new ArrayList<>();
        List<T> batch = new ArrayList<>();
        Set<String> inBatch = new HashSet<>();
        for (T reading : readings) {
            if (!inBatch.add(seriesOf.apply(reading))) {
                batches.add(batch);
                batch = new ArrayList<>();
                inBatch.clear();
                inBatch.add(seriesOf.apply(reading));
            }
            batch.add(reading);
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /**
     * Which readings of a batch advance their state one step, and which are rebuilt from windows,
     * by length.
     */
    record Plan(List<Integer> stepping, TreeMap<Integer, List<Integer>> rebuildByLength) {}

    /**
     * Answers readings of distinct series: one result per reading, in order. {@code memories[i]} is
     * the memory of reading {@code i}'s series, or null for a series seen for the first time, in
     * which case a new one is put in its place; every memory is advanced in place and must be kept
     * by the caller for the series' next reading.
     */
    public ForecastResult[] answer(List<ForecastInput> batch, SeriesMemory[] memories) {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            if (memories[i] == null) {
                memories[i] =
                        new SeriesMemory(
                                network.stateSize(),
                                spec.horizon(),
                                residualWindow,
                                scoring.initialScoring());
            }
        }
        Plan plan = plan(batch, memories);
        float[][] outputs = new float[n][];
        List<Integer> stepping = plan.stepping();
        if (!stepping.isEmpty()) {
            int m = stepping.size();
            float[] inputs = new float[m * spec.width()];
            float[][] states = new float[m][];
            for (int j = 0; j < m; j++) {
                int i = stepping.get(j);
                System.arraycopy(batch.get(i).step(), 0, inputs, j * spec.width(), spec.width());
                states[j] = memories[i].recurrent;
            }
            scatter(network.step(inputs, states, m), stepping, outputs);
        }
        for (var group : plan.rebuildByLength().entrySet()) {
            List<Integer> idx = group.getValue();
            float[][] windows = new float[idx.size()][];
            float[][] states = new float[idx.size()][];
            for (int j = 0; j < idx.size(); j++) {
                windows[j] = batch.get(idx.get(j)).rebuildWindow();
                states[j] = memories[idx.get(j)].recurrent;
                memories[idx.get(j)].modelVersion = version;
            }
            scatter(network.runWindows(windows, group.getKey(), states, idx.size()), idx, outputs);
        }
        ForecastResult[] results = new ForecastResult[n];
        for (int i = 0; i < n; i++) {
            results[i] = forecast(batch.get(i), memories[i], outputs[i], version);
        }
        return results;
    }

    /**
     * Sorts a batch into steps and rebuilds; carrying state over to new weights marks it current
     * here.
     */
    Plan plan(List<ForecastInput> batch, SeriesMemory[] memories) {
        List<Integer> stepping = new ArrayList<>();
        TreeMap<Integer, List<Integer>> rebuildByLength = new TreeMap<>();
        for (int i = 0; i < batch.size(); i++) {
            ForecastInput in = batch.get(i);
            SeriesMemory m = memories[i];
            if (!rebuildOnNewModel && m.modelVersion >= 0) {
                m.modelVersion = version; // carried over to the new weights
            }
            if (m.modelVersion != version || in.reordered() || !network.stateful()) {
                rebuildByLength.computeIfAbsent(in.rebuildRows(), k -> new ArrayList<>()).add(i);
            } else {
                stepping.add(i);
            }
        }
        return new Plan(stepping, rebuildByLength);
    }

    private void scatter(float[] flat, List<Integer> idx, float[][] outputs) {
        int h = spec.horizon();
        for (int j = 0; j < idx.size(); j++) {
            float[] o = new float[h];
            System.arraycopy(flat, j * h, o, 0, h);
            outputs[idx.get(j)] = o;
        }
    }

    /**
     * Scores the reading against the forecast made for it (if any), then makes the next forecast. A
     * reading that arrived out of order is neither scored nor remembered: the newest reading, and
     * so what is forecast next, did not change.
     */
    private ForecastResult forecast(
            ForecastInput in, SeriesMemory m, float[] change, long version) {
        int h = spec.horizon();
        Score checked = null;
        m.combiner = combiner.ensure(m.combiner, in.stepMillis(), h);
        if (!in.reordered()) {
            double expected = m.checkActual(in.last(), in.scale(), 1 - coverage, adaptationRate);
            combiner.observe(m.combiner, in.last());
            if (!Double.isNaN(expected)) {
                if (m.scorer == null) {
                    // Restored from before the scorer's current state layout: upgraded once.
                    m.scorer = scoring.restored(null, m.scoring);
                    m.scoring = null;
                }
                checked =
                        scoring.score(
                                m.scorer,
                                in.series(),
                                in.ts(),
                                in.last(),
                                expected,
                                m.lastLower,
                                m.lastUpper,
                                m.servedBy);
                residualMae += (Math.abs(checked.residual()) / in.scale() - residualMae) / 1000;
            }
        }
        long[] targetTs = new long[h];
        double[] network = new double[h];
        double[] mean = new double[h];
        double[] half = new double[h];
        double[] lower = new double[h];
        double[] upper = new double[h];
        String[] source = new String[h];
        for (int k = 0; k < h; k++) {
            targetTs[k] = in.ts() + (k + 1) * in.stepMillis();
            network[k] = in.last() + in.scale() * change[k];
        }
        combiner.serve(m.combiner, in.last(), network, mean, source);
        for (int k = 0; k < h; k++) {
            double level = adaptationRate > 0 ? m.level(k, coverage) : coverage;
            half[k] = in.scale() * m.halfWidth(k, level);
            lower[k] = mean[k] - half[k];
            upper[k] = mean[k] + half[k];
        }
        if (!in.reordered()) {
            combiner.remember(m.combiner, network);
            m.remember(mean, half);
            m.servedBy = version;
            m.lastLower = lower[0];
            m.lastUpper = upper[0];
        }
        return new ForecastResult(
                new Forecast(
                        in.series(),
                        in.ts(),
                        version,
                        spec.cell().id(),
                        in.windowLength() < windowSize,
                        targetTs,
                        mean,
                        lower,
                        upper,
                        source,
                        network),
                checked);
    }
}

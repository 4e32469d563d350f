package io.streamcast.eval.forecast;

import io.streamcast.event.Forecast;
import io.streamcast.event.ParsedEvent;
import io.streamcast.io.HistoryRowParser;
import io.streamcast.io.OutputDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prequential forecast accuracy of one history series (forecast, then learn, as it streams): the
 * job's forecasts are scored against the rows that arrived later, on the z-score scale of the first
 * {@code trainRows} rows and for the rows after them (every row when {@code trainRows} is 0), next
 * to repeat-last and seasonal naive on the same targets.
 */
public final class PrequentialEvaluation {

    private final double[] values;
    private final Map<Long, Integer> rowOf = new HashMap<>();
    private final boolean heldOut;
    private final int train;
    private final int season;
    private final double mean;
    private final double std;
    private final ForecastMetrics metrics;

    /**
     * The series ({@code times} in epoch milliseconds, ascending, and their values); forecasts of
     * {@code horizon} steps; seasonal naive looks {@code season} rows back.
     */
    public PrequentialEvaluation(
            long[] times, double[] values, int trainRows, int season, int horizon) {
        this.values = values.clone();
        for (int i = 0; i < times.length; i++) {
            rowOf.put(times[i], i);
        }
        this.heldOut = trainRows > 0;
        this.train = heldOut ? Math.min(trainRows, values.length) : values.length;
        this.season = season;
        double m = 0;
        for (int i = 0; i < train; i++) {
            m += values[i] / train;
        }
        double var = 0;
        for (int i = 0; i < train; i++) {
            var += (values[i] - m) * (values[i] - m) / train;
        }
        this.mean = train == 0 ? 0 : m;
        this.std = Math.sqrt(Math.max(train == 0 ? 1 : var, 1e-12));
        this.metrics = new ForecastMetrics(horizon, mean, std);
    }

    /** The accepted rows of a one-series CSV history file, parsed as the job parses them. */
    public static PrequentialEvaluation ofHistory(
            HistoryRowParser parser, Path file, int trainRows, int season, int horizon)
            throws IOException {
        List<Long> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            HistoryRowParser.Columns columns = parser.columns(r.readLine(), file.toString());
            String line;
            long n = 1;
            while ((line = r.readLine()) != null) {
                ParsedEvent e = parser.csvRow(columns, "s", line, file.toString(), ++n);
                if (e.isAccepted()) {
                    times.add(e.observation().ts());
                    values.add((double) e.observation().values()[0]);
                }
            }
        }
        return new PrequentialEvaluation(
                times.stream().mapToLong(Long::longValue).toArray(),
                values.stream().mapToDouble(Double::doubleValue).toArray(),
                trainRows,
                season,
                horizon);
    }

    /** Scores every forecast of a JSON Lines forecasts file (the job's file output). */
    public void addForecasts(Path jsonLines) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(jsonLines)) {
            String line;
            while ((line = r.readLine()) != null) {
                addForecast(OutputDecoder.forecast(line));
            }
        }
    }

    /** Scores one forecast (its served steps, and the network's own where it has them). */
    public void addForecast(Forecast f) {
        add(f.ts(), f.mean(), f.lower(), f.upper());
        double[] network = f.network();
        if (network == null) {
            network = new double[f.mean().length];
            java.util.Arrays.fill(network, Double.NaN);
        }
        addNetwork(f.ts(), network);
    }

    /** Scores the network's own forecasts made at {@code ts} (NaN: not known), as {@link #add}. */
    public void addNetwork(long ts, double[] network) {
        Integer t = rowOf.get(ts);
        if (t == null) {
            return;
        }
        for (int k = 0; k < network.length; k++) {
            int target = t + k + 1;
            if (target < train && heldOut || target >= values.length || Double.isNaN(network[k])) {
                continue;
            }
            metrics.addNetwork(k, network[k], values[target]);
        }
    }

    /**
     * Scores the forecast made at the row with timestamp {@code ts} (ignored if no row has it):
     * step k targets the row k + 1 later, when that row exists and is past the training rows.
     */
    public void add(long ts, double[] mean, double[] lower, double[] upper) {
        Integer t = rowOf.get(ts);
        if (t == null) {
            return;
        }
        for (int k = 0; k < mean.length; k++) {
            int target = t + k + 1;
            if (target < train && heldOut || target >= values.length) {
                continue;
            }
            double seasonal = target - season >= 0 ? values[target - season] : Double.NaN;
            metrics.add(k, mean[k], lower[k], upper[k], values[target], values[t], seasonal);
        }
    }

    /** The scores of each horizon step, then over all steps (step 0). */
    public List<ForecastMetrics.Step> steps() {
        List<ForecastMetrics.Step> all = new ArrayList<>();
        for (int k = 0; k < metrics.horizon(); k++) {
            all.add(metrics.step(k));
        }
        all.add(metrics.overall());
        return all;
    }

    /** Rows that set the z-score scale (and, when held out, are not scored). */
    public int trainRows() {
        return train;
    }

    public int season() {
        return season;
    }

    public double mean() {
        return mean;
    }

    public double std() {
        return std;
    }

    /** The table of {@link #steps}, headed by what was scored. */
    public void print(PrintStream out, String input, String target) {
        out.printf(
                "Prequential accuracy on %s, target %s, rows %d.. (z-score of rows 0..%d: mean %.4f, std %.4f)%n",
                input, target, train, train - 1, mean, std);
        out.println(
                "Side by side per horizon step: the served forecast (the network's and the naive baselines'"
                        + " combination), the network alone, repeat-last and seasonal-naive; coverage is the served"
                        + " interval's, MASE the served MAE over repeat-last's and seasonal-naive's.");
        out.println(
                "           "
                        + "  ------ served -----  ----- network -----  --- repeat-last ---  -- seasonal-naive -"
                        + "             MASE        MASE");
        out.println(
                " step        n"
                        + "      MSE      MAE      MSE      MAE      MSE      MAE      MSE      MAE"
                        + "  coverage   (last)  (seasonal)");
        for (ForecastMetrics.Step s : steps()) {
            out.printf(
                    "%5s %8d %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f %9.3f %8.3f %11.3f%n",
                    s.step() == 0 ? "all" : Integer.toString(s.step()),
                    s.n(),
                    s.mse(),
                    s.mae(),
                    s.networkMse(),
                    s.networkMae(),
                    s.repeatLastMse(),
                    s.repeatLastMae(),
                    s.seasonalMse(),
                    s.seasonalMae(),
                    s.coverage(),
                    s.maseRepeatLast(),
                    s.maseSeasonal());
        }
    }
}

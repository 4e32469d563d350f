package io.streamcast.eval.forecast;

import io.streamcast.config.StreamcastConfig;
import io.streamcast.event.DriftCheck;
import io.streamcast.event.ForecastInput;
import io.streamcast.event.ForecastResult;
import io.streamcast.event.ModelUpdate;
import io.streamcast.event.ParsedEvent;
import io.streamcast.io.HistoryRowParser;
import io.streamcast.model.Forecaster;
import io.streamcast.model.OnlineTrainer;
import io.streamcast.model.SeriesHistory;
import io.streamcast.model.SeriesMemory;
import io.streamcast.model.SeriesWindows;
import io.streamcast.model.TrainingRound;
import io.streamcast.model.TrainingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One series through the job's forecasting path on the calling thread, without Flink: the window
 * assembler's history, normalisation and training samples, the trainer's rounds (run when due,
 * promoted after validation) and the forecaster (combiner, adaptive intervals, scores), in the
 * order a synchronous replay at parallelism 1 ({@code training.synchronous=true}, as {@code
 * backfill} runs) handles them, so that its forecasts are that replay's. With {@link
 * Mode#DRIFT_CHECKED} the trainer also checks for drift between rounds as a live run does, in
 * lock-step: each check's outcome is known at the next sample, and a round's model serves from the
 * reading whose sample made it due. Confined to the thread that built it (it owns networks).
 *
 * <pre>{@code
 * SeriesReplay replay = new SeriesReplay(config, "sine", SeriesReplay.Mode.SYNCHRONOUS, null);
 * for (int i = 0; i < ts.length; i++) {
 *     SeriesReplay.Reading r = replay.offer(ts[i], values[i]);
 * }
 * }</pre>
 *
 * <p>Implementation notes: it repeats the sequencing of {@code WindowAssembler}, {@code
 * TrainerOperator} and {@code ForecastOperator} (streamcast-job) for one key; {@code
 * SeriesReplayAgreementITCase} (streamcast-cli) checks it against a real backfill, forecast by
 * forecast, so a change to those operators that this class does not follow fails there.
 */
public final class SeriesReplay {

    /** How rounds are scheduled. */
    public enum Mode {
        /** As {@code backfill} at parallelism 1: rounds only when due, no drift checks. */
        SYNCHRONOUS,
        /**
         * As a live run between rounds: drift checks every {@link OnlineTrainer#DRIFT_BATCH}
         * samples too.
         */
        DRIFT_CHECKED
    }

    /**
     * What one reading did: how the history took it; the forecaster's result (null unless the
     * reading was accepted); the round that ran at it (null for none) and, for a round started by
     * drift, the check that fired (null otherwise).
     */
    public record Reading(
            long ts,
            SeriesHistory.Insertion insertion,
            ForecastResult result,
            TrainingRound round,
            DriftCheck drift) {}

    private final String series;
    private final Mode mode;
    private final SeriesWindows windows;
    private final TrainingSettings settings;
    private final SeriesHistory history;
    private final Forecaster forecaster;
    private final OnlineTrainer trainer;
    private final SeriesMemory[] memory = new SeriesMemory[1];

    /** Samples waiting for the next round (the trainer has not taken them yet). */
    private List<float[][]> pending = new ArrayList<>();

    private int untilRound;
    private long handedOver;
    private long samplesEmitted;

    /**
     * A drift check made at the last multiple of {@link OnlineTrainer#DRIFT_BATCH}, not yet acted
     * on.
     */
    private DriftCheck driftCheck;

    /**
     * {@code series} names the series (it seeds which windows are sampled for training); {@code
     * initialModel} may be null (the spec's seed's initial weights as version 0), as {@code
     * backfill --model}.
     */
    public SeriesReplay(
            StreamcastConfig config, String series, Mode mode, ModelUpdate initialModel) {
        this.series = series;
        this.mode = mode;
        int windowSize = config.window().size();
        this.windows = config.seriesWindows();
        this.settings = config.training().settings();
        this.history = windows.newHistory();
        this.forecaster =
                new Forecaster(
                        config.networkSpec(),
                        windowSize,
                        config.intervals().residualWindow(),
                        config.intervals().coverage(),
                        config.inference().rebuildOnNewModel(),
                        config.scoring(),
                        config.baselines().combiner(),
                        config.intervals().adaptationRate());
        this.trainer = new OnlineTrainer(config.networkSpec(), settings, windowSize);
        if (initialModel != null) {
            trainer.startFrom(initialModel.params(), initialModel.version());
            forecaster.useModel(initialModel.version(), initialModel.params());
        }
        this.untilRound = trainer.samplesUntilRound();
    }

    /** One reading of a single-column series. */
    public Reading offer(long ts, float value) {
        return offer(ts, new float[] {value});
    }

    /** One reading: {@code values} are the target then the configured features. */
    public Reading offer(long ts, float[] values) {
        SeriesHistory.Insertion insertion = windows.offer(history, ts, values);
        if (insertion == SeriesHistory.Insertion.LATE
                || insertion == SeriesHistory.Insertion.DUPLICATE
                || insertion == SeriesHistory.Insertion.JUMP) {
            return new Reading(ts, insertion, null, null, null);
        }
        TrainingRound round = null;
        DriftCheck drift = null;
        float[][] example = windows.sample(history, series, ts);
        if (example != null) {
            samplesEmitted++;
            pending.add(example);
            if (pending.size() >= untilRound) {
                round = round(false);
            } else if (mode == Mode.DRIFT_CHECKED) {
                drift = checkForDrift(ts);
                if (drift != null) {
                    round = round(true);
                }
            }
        }
        // The forecaster answers this reading after the round its sample ran (synchronous replays
        // hold it back until the outcome arrives), with the round's model if it was promoted.
        if (round != null && round.promoted() && round.version() > forecaster.version()) {
            forecaster.useModel(round.version(), round.params());
        }
        ForecastInput in =
                windows.input(
                        history,
                        series,
                        insertion == SeriesHistory.Insertion.REORDERED,
                        samplesEmitted);
        ForecastResult result = forecaster.answer(List.of(in), memory)[0];
        return new Reading(ts, insertion, result, round, drift);
    }

    /**
     * Between rounds, as the live trainer: acts on the check made at the last multiple of {@link
     * OnlineTrainer#DRIFT_BATCH} samples (returning it, timed {@code ts}, when it fired: a round
     * starts now), then checks the newest batch when the waiting samples make a whole one.
     */
    private DriftCheck checkForDrift(long ts) {
        if (driftCheck != null) {
            DriftCheck check = driftCheck;
            driftCheck = null;
            if (check.drift() && !pending.isEmpty()) {
                return check.at(ts);
            }
        }
        if (pending.size() % OnlineTrainer.DRIFT_BATCH == 0) {
            int n = OnlineTrainer.DRIFT_BATCH;
            float[][] x = new float[n][];
            float[][] y = new float[n][];
            for (int i = 0; i < n; i++) {
                float[][] s = pending.get(pending.size() - n + i);
                x[i] = s[0];
                y[i] = s[1];
            }
            driftCheck = trainer.checkDrift(x, y, n, handedOver + pending.size());
        }
        return null;
    }

    /**
     * Hands the waiting samples to the trainer and runs the round they made due or, for {@code
     * drift}, the round a drift check started.
     */
    private TrainingRound round(boolean drift) {
        List<float[][]> batch = pending;
        pending = new ArrayList<>();
        handedOver += batch.size();
        untilRound = settings.roundLength(handedOver);
        for (int i = 0; i < batch.size(); i++) {
            boolean due = trainer.add(batch.get(i)[0], batch.get(i)[1]);
            if (due != (!drift && i == batch.size() - 1)) {
                throw new IllegalStateException(
                        "the trainer and the replay disagree on when a round is due (sample "
                                + (i + 1)
                                + " of "
                                + batch.size()
                                + ")");
            }
        }
        if (drift) {
            trainer.markDrift();
        }
        return trainer.dueRound();
    }

    /**
     * Replays a one-series history file (CSV with a header, or JSON Lines), parsed as {@code
     * backfill} parses it, the series named after the file; rows the parser rejects are skipped.
     */
    public static List<Reading> replay(StreamcastConfig config, Path file, Mode mode)
            throws IOException {
        HistoryRowParser parser = HistoryRowParser.of(config);
        String name = file.getFileName().toString();
        SeriesReplay replay = new SeriesReplay(config, HistoryRowParser.seriesOf(name), mode, null);
        List<Reading> readings = new ArrayList<>();
        try (HistoryRowParser.Rows rows =
                parser.rows(Files.newBufferedReader(file), file.toString(), name)) {
            for (ParsedEvent e = rows.next(); e != null; e = rows.next()) {
                if (e.isAccepted()) {
                    readings.add(replay.offer(e.observation().ts(), e.observation().values()));
                }
            }
        }
        return readings;
    }

    /** The version of the model that answers the next reading. */
    public long servingVersion() {
        return forecaster.version();
    }

    /** Training samples taken so far (by the trainer or waiting for it). */
    public long samplesEmitted() {
        return samplesEmitted;
    }
}

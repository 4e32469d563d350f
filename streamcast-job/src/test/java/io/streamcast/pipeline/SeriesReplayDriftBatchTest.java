package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamcast.eval.forecast.SeriesReplay;
import org.junit.jupiter.api.Test;

/** {@link SeriesReplay} checks for drift as often as the live trainer does. */
class SeriesReplayDriftBatchTest {
    @Test
    void replayChecksDriftEveryAsManySamplesAsTheTrainerOperator() {
        assertEquals(TrainerOperator.DRIFT_BATCH, SeriesReplay.DRIFT_BATCH);
    }
}

package io.streamcast.pipeline;

import io.streamcast.event.RoundOutcome;
import io.streamcast.model.CombinerState;
import io.streamcast.model.SeriesMemory;
import io.streamcast.model.anomaly.ChangeChannel;
import io.streamcast.model.anomaly.FlatChannel;
import io.streamcast.model.anomaly.ScorerMemory;
import io.streamcast.model.anomaly.ScorerState;
import io.streamcast.model.anomaly.SustainedChannel;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/**
 * The forecaster's keyed state, with the anomaly scorer's state inside it, stays a Flink POJO (no
 * Kryo).
 */
class ScorerStatePojoTest {

    @Test
    void seriesMemoryAndScorerStateAreSerialisedAsPojos() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ScorerMemory.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SustainedChannel.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ChangeChannel.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(FlatChannel.class);
        // The previous layout, which restored states still hold.
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ScorerState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SeriesMemory.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(CombinerState.class);
    }

    @Test
    void roundOutcomesWithTheirDriftChecksAreSerialisedAsPojos() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RoundOutcome.class);
    }
}

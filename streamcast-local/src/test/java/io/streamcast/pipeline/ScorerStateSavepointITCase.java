package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcast.io.KafkaTestClients;
import io.streamcast.local.KafkaExtension;
import io.streamcast.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * State compatibility across the scorer's state layouts: the savepoint kept in {@code
 * src/test/resources/savepoints/v2} was made by {@link SavepointITCase} on main b5faadd, whose
 * per-series scorer state was one flat class ({@code ScorerState}); it must restore, and the scorer
 * must go on from that state (upgraded into {@code ScorerMemory}) rather than start afresh. The
 * savepoint's series had 200 readings, past the scorer's warm-up of 100: a scorer that started
 * afresh would give their next readings no score and no channel.
 */
class ScorerStateSavepointITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LocalCluster.twoSlots();

    static final Path KEPT = Path.of("src/test/resources/savepoints/v2");

    @TempDir static Path work;

    /**
     * SavepointITCase's helpers use its broker field: this class starts and stops that extension
     * for itself.
     */
    @RegisterExtension static final KafkaExtension KAFKA = SavepointITCase.KAFKA;

    @Test
    void aSavepointWithTheFlatScorerStateRestoresAndScoringGoesOn() throws Exception {
        JobClient job = SavepointITCase.restoreKept(KEPT, work);
        int expected = 10 * SavepointITCase.SERIES;
        List<JsonNode> forecasts = SavepointITCase.forecasts("sp", expected);
        List<JsonNode> scores =
                KafkaTestClients.readCommitted(
                        KAFKA.bootstrapServers(), "sp-scores", expected, Duration.ofSeconds(60));
        job.cancel().get();
        assertEquals(expected, forecasts.size());
        for (JsonNode f : forecasts) {
            assertFalse(f.get("coldStart").asBoolean(), "windows restored: " + f);
        }
        assertEquals(expected, scores.size());
        for (JsonNode s : scores) {
            assertFalse(s.get("channel").asText().isEmpty(), "the scorer's state restored: " + s);
        }
    }
}

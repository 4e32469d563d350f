package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcast.local.KafkaExtension;
import io.streamcast.local.LocalCluster;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * State compatibility: the savepoint kept in {@code src/test/resources/savepoints/v1} (made by
 * {@link SavepointITCase} with this version's job) must still restore: every operator's uid and
 * state serializer must still match. A fresh broker with the savepoint's topic names stands in for
 * the original Kafka.
 */
class SavepointCompatibilityITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = LocalCluster.twoSlots();

    static final Path KEPT = SavepointITCase.KEPT;

    @TempDir static Path work;

    /**
     * SavepointITCase's helpers use its broker field: this class starts and stops that extension
     * for itself.
     */
    @RegisterExtension static final KafkaExtension KAFKA = SavepointITCase.KAFKA;

    @Test
    void theSavepointKeptFromThisVersionStillRestores() throws Exception {
        // The savepoint's series p0..p4 were last seen at step 199; their next readings must not
        // start cold.
        JobClient job = SavepointITCase.restoreKept(KEPT, work);
        List<JsonNode> out = SavepointITCase.forecasts("sp", 10 * SavepointITCase.SERIES);
        job.cancel().get();
        assertEquals(10 * SavepointITCase.SERIES, out.size());
        Map<String, Long> versions = new HashMap<>();
        for (JsonNode f : out) {
            assertFalse(f.get("coldStart").asBoolean(), "windows restored: " + f);
            versions.put(f.get("series").asText(), f.get("model").get("version").asLong());
        }
        assertTrue(
                versions.values().stream().allMatch(v -> v >= 1),
                "the trained model restored: " + versions);
    }
}

package io.streamcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcast.Repository;
import io.streamcast.event.DeadLetter;
import io.streamcast.event.DriftCheck;
import io.streamcast.event.ModelUpdate;
import io.streamcast.io.OutputEncoder;
import io.streamcast.model.Cell;
import io.streamcast.model.Decoder;
import io.streamcast.model.NetworkSpec;
import io.streamcast.report.RealOutputFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The published schemas (docs/schemas) against real job output (the report's fixture: three NAB
 * series backfilled), the README's example records and events; OutputSchemasITCase checks a fresh
 * backfill of examples/.
 */
class OutputSchemasTest {
    @Test
    void realJobOutputValidates(@TempDir Path dir) {
        RealOutputFixture.unpack(dir);
        for (String stream : RealOutputFixture.FILES) {
            List<String> lines = RealOutputFixture.lines(dir, stream);
            assertFalse(lines.isEmpty(), stream);
            assertEquals(List.of(), OutputSchemas.violations(stream, lines));
        }
    }

    @Test
    void theReadmesExampleRecordsValidateAsTheirStream() throws Exception {
        List<String> readme = Files.readAllLines(Repository.path("README.md"));
        int checked = 0;
        for (int i = 0; i + 1 < readme.size(); i++) {
            String heading = readme.get(i).strip();
            for (String stream : OutputSchemas.OUTPUTS) {
                if (heading.startsWith("# " + stream) && readme.get(i + 1).startsWith("{")) {
                    String record = readme.get(i + 1);
                    if (stream.equals("models")) {
                        // Its parameters are cut short ("...") in the README: still a string.
                        record = record.replace("...", "");
                    }
                    assertEquals(List.of(), OutputSchemas.violations(stream, List.of(record)));
                    checked++;
                }
            }
        }
        assertEquals(5, checked, "one example per stream under the README's Outputs");
    }

    @Test
    void eventsTheParserAcceptsValidateAndOnesItRejectsDoNot() {
        List<String> accepted =
                List.of(
                        "{\"series\": \"pump-17\", \"ts\": \"2026-11-25T10:00:00Z\", \"value\": 42.1,"
                                + " \"features\": {\"rpm\": 1480, \"load\": 0.7}}",
                        "{\"ts\": 1764064800000, \"value\": \"7.5\"}",
                        "{\"series\": \"s\", \"ts\": \"1764064800000\", \"value\": -3e2}");
        assertEquals(List.of(), OutputSchemas.violations("event", accepted));
        for (String rejected :
                List.of(
                        "{\"series\": \"s\", \"value\": 1}",
                        "{\"series\": \"s\", \"ts\": \"2026-11-25T10:00:00Z\"}",
                        "{\"series\": \"s\", \"ts\": \"yesterday\", \"value\": 1}",
                        "{\"series\": \"s\", \"ts\": 1, \"value\": \"0x1p3\"}",
                        "{\"series\": \"\", \"ts\": 1, \"value\": 1}",
                        "{\"series\": \"s\", \"ts\": 1, \"value\": [1]}")) {
            assertEquals(
                    1,
                    OutputSchemas.violations("event", List.of(rejected)).size(),
                    rejected + " validates");
        }
    }

    @Test
    void driftEventsValidateAsModelsRecords() {
        DriftCheck check = new DriftCheck(true, 2.5, 1.0, 5.4, 5, 4096);
        ModelUpdate promoted = new ModelUpdate(7, "lstm", 1.1, 0.9, 3.0, 4096, new float[] {1});
        for (ModelUpdate m : new ModelUpdate[] {promoted, null}) {
            for (DriftCheck c : new DriftCheck[] {check, check.at(1_764_064_800_123L)}) {
                String json = new String(OutputEncoder.drift(c, m).json(), StandardCharsets.UTF_8);
                assertEquals(List.of(), OutputSchemas.violations("models", List.of(json)), json);
            }
        }
        String timed =
                new String(
                        OutputEncoder.drift(check.at(1_764_064_800_123L), null).json(),
                        StandardCharsets.UTF_8);
        assertTrue(timed.contains("\"ts\":\"2025-11-25T10:00:00.123Z\""), timed);
        assertEquals(
                1,
                OutputSchemas.violations("models", List.of("{\"drift\":{},\"round\":{}}")).size());
    }

    @Test
    void modelVersionsValidateWithTheirNetworkObjectAndEarlierOnesWithTheirText() {
        NetworkSpec spec =
                new NetworkSpec(
                        Cell.GRU, 2, 16, 3, 4, 42, 0.005, 1.0, 0.1, Decoder.AUTOREGRESSIVE, 0);
        String json =
                new String(
                        OutputEncoder.model(
                                        new ModelUpdate(
                                                7, "gru", 1.1, 0.9, 3.0, 4096, new float[] {1}),
                                        spec)
                                .json(),
                        StandardCharsets.UTF_8);
        assertTrue(json.contains("\"network\":{\"cell\":\"gru\",\"layers\":2"), json);
        assertFalse(json.contains("\"config\""), json);
        assertEquals(List.of(), OutputSchemas.violations("models", List.of(json)));
        String earlier =
                "{\"version\":1,\"cell\":\"lstm\",\"config\":\"lstm layers=1 hidden=8 width=1"
                        + " horizon=1 lr=0.01 clip=1.0 seed=5\",\"metrics\":{\"trainLoss\":1,"
                        + "\"validationLoss\":1,\"gradientNorm\":1,\"samplesSeen\":1},"
                        + "\"parameterCount\":0,\"parameters\":\"\"}";
        assertEquals(List.of(), OutputSchemas.violations("models", List.of(earlier)));
        assertEquals(
                1,
                OutputSchemas.violations(
                                "models",
                                List.of(
                                        json.replace(
                                                "\"decoder\":\"autoregressive\"",
                                                "\"decoder\":\"x\"")))
                        .size());
    }

    @Test
    void theDeadLetterSchemaNamesEveryReasonCode() {
        List<String> inSchema = new ArrayList<>();
        JsonNode reasons = OutputSchemas.document("dead-letters").at("/properties/reason/enum");
        reasons.forEach(r -> inSchema.add(r.asText()));
        assertEquals(Arrays.stream(DeadLetter.Reason.values()).map(Enum::name).toList(), inSchema);
    }

    @Test
    void everyStreamHasASchemaLinkedFromTheReadme() throws Exception {
        String readme = Files.readString(Repository.path("README.md"));
        for (String name : concat(OutputSchemas.OUTPUTS, "event")) {
            assertTrue(
                    Files.isRegularFile(Repository.path("docs/schemas/" + name + ".schema.json")),
                    name);
            assertTrue(readme.contains("docs/schemas/" + name + ".schema.json"), name);
        }
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }
}

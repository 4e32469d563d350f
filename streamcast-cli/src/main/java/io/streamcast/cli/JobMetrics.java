package io.streamcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a running job's own numbers from Flink's REST API (the local MiniCluster's, on loopback):
 * the job's metrics summed over subtasks ({@code eventsIn}, {@code forecastsOut}, {@code
 * deadLetters.<REASON>}, {@code modelVersion}, {@code trainingLoss}, the Kafka source's {@code
 * pendingRecords}) and its newest completed checkpoint. What {@code run} prints while it runs.
 */
final class JobMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** The numbers at one moment; counters are totals since the job (or its restore) started. */
    record Snapshot(
            long eventsIn,
            long forecastsOut,
            Map<String, Long> deadLetters,
            long modelVersion,
            double trainingLoss,
            long pendingRecords,
            Checkpoint checkpoint) {
        long deadLetterTotal() {
            return deadLetters.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A completed checkpoint: its id, when it completed (epoch ms) and where it is kept. */
    record Checkpoint(long id, long completedAt, String path) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI rest;
    private final String job;

    /** {@code rest}: the REST address ({@code http://127.0.0.1:PORT}); {@code job}: the job id. */
    JobMetrics(URI rest, String job) {
        this.rest = rest;
        this.job = job;
    }

    /** The numbers now; a metric not registered yet (operators still starting) counts 0. */
    Snapshot read() throws IOException, InterruptedException {
        long eventsIn = 0;
        long forecastsOut = 0;
        long modelVersion = -1;
        double trainingLoss = Double.NaN;
        long pending = -1;
        Map<String, Long> deadLetters = new TreeMap<>();
        for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
            String base =
                    "/jobs/"
                            + job
                            + "/vertices/"
                            + vertex.path("id").asText()
                            + "/subtasks/metrics";
            List<String> wanted = new ArrayList<>();
            for (JsonNode m : get(base)) {
                String id = m.path("id").asText();
                if (id.endsWith(".eventsIn")
                        || id.endsWith(".forecastsOut")
                        || id.contains(".deadLetters.")
                        || id.endsWith(".modelVersion")
                        || id.endsWith(".trainingLoss")
                        || id.endsWith(".pendingRecords")) {
                    wanted.add(id);
                }
            }
            if (wanted.isEmpty()) {
                continue;
            }
            JsonNode values =
                    get(
                            base
                                    + "?agg=sum,max&get="
                                    + URLEncoder.encode(
                                            String.join(",", wanted), StandardCharsets.UTF_8));
            for (JsonNode v : values) {
                String id = v.path("id").asText();
                double sum = v.path("sum").asDouble(0);
                double max = v.path("max").asDouble(Double.NaN);
                if (id.endsWith(".eventsIn")) {
                    eventsIn += (long) sum;
                } else if (id.endsWith(".forecastsOut")) {
                    forecastsOut += (long) sum;
                } else if (id.contains(".deadLetters.")) {
                    String reason = id.substring(id.lastIndexOf('.') + 1);
                    if (sum > 0) {
                        deadLetters.merge(reason, (long) sum, Long::sum);
                    }
                } else if (id.endsWith(".modelVersion")) {
                    modelVersion = Math.max(modelVersion, (long) max);
                } else if (id.endsWith(".trainingLoss")) {
                    if (!Double.isNaN(max)) {
                        trainingLoss = max;
                    }
                } else if (id.endsWith(".pendingRecords")) {
                    pending = Math.max(0, pending) + (long) sum;
                }
            }
        }
        return new Snapshot(
                eventsIn,
                forecastsOut,
                deadLetters,
                modelVersion,
                trainingLoss,
                pending,
                checkpoint());
    }

    private Checkpoint checkpoint() throws IOException, InterruptedException {
        JsonNode completed = get("/jobs/" + job + "/checkpoints").path("latest").path("completed");
        if (!completed.hasNonNull("id")) {
            return null;
        }
        return new Checkpoint(
                completed.get("id").asLong(),
                completed.path("latest_ack_timestamp").asLong(),
                completed.path("external_path").asText(null));
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response =
                http.send(
                        HttpRequest.newBuilder(rest.resolve(path)).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}

package io.streamcast.eval.nab;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One NAB application profile: the weights NAB gives to a detected window (tp), a false detection
 * (fp) and a missed window (fn).
 *
 * <p>Profiles are read from NAB's {@code config/profiles.json}; the true-negative weight is kept
 * because the file carries it, but NAB's scoring never uses it.
 */
public record CostProfile(
        String name, double tpWeight, double fpWeight, double fnWeight, double tnWeight) {

    public CostProfile {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("CostProfile.name must not be blank");
        }
        requireNonNegative("tpWeight", tpWeight);
        requireNonNegative("fpWeight", fpWeight);
        requireNonNegative("fnWeight", fnWeight);
        requireNonNegative("tnWeight", tnWeight);
        if (tpWeight == 0) {
            // The normalisation divides by (tpWeight * windows - nullScore); a zero would make it
            // 0/0.
            throw new IllegalArgumentException(
                    "CostProfile.tpWeight must be > 0, got 0 (profile " + name + ")");
        }
    }

    /**
     * Reads every profile of a NAB {@code profiles.json}, in file order.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a profile lacks its CostMatrix or a weight
     */
    public static Map<String, CostProfile> loadAll(Path profilesJson) throws IOException {
        JsonNode root =
                NabCorpus.readJson(
                        profilesJson,
                        "profiles file",
                        "--profiles FILE (NAB's config/profiles.json)");
        Map<String, CostProfile> profiles = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode m = e.getValue().get("CostMatrix");
            if (m == null) {
                throw new IllegalArgumentException(
                        profilesJson + ": profile " + e.getKey() + " has no CostMatrix");
            }
            profiles.put(
                    e.getKey(),
                    new CostProfile(
                            e.getKey(),
                            weight(profilesJson, e.getKey(), m, "tpWeight"),
                            weight(profilesJson, e.getKey(), m, "fpWeight"),
                            weight(profilesJson, e.getKey(), m, "fnWeight"),
                            m.has("tnWeight") ? m.get("tnWeight").asDouble() : 1.0));
        }
        return profiles;
    }

    private static double weight(Path file, String profile, JsonNode matrix, String key) {
        JsonNode v = matrix.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(
                    file + ": profile " + profile + " has no numeric " + key);
        }
        return v.asDouble();
    }

    private static void requireNonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(
                    "CostProfile." + field + " must be a finite number >= 0, got " + v);
        }
    }
}

package io.streamcast.model.anomaly;

import java.util.List;

/**
 * The constants inside an {@link AnomalyScorer} that are not configuration: fixed for every series,
 * exposed only so that the development protocol can score the scorer with each one halved and
 * doubled ({@code evaluate --nab ... --robustness}).
 *
 * @param cusumK the change channel's CUSUM reference value, in robust residual scales
 * @param biasWindow memory, in readings, of the forecaster's bias that the CUSUM takes off
 * @param scaleStep multiplicative step of the robust residual scale's running median
 */
public record ScorerConstants(double cusumK, double biasWindow, double scaleStep) {

    /** The constants every series is scored with. */
    public static ScorerConstants defaults() {
        return new ScorerConstants(0.5, 288, 0.01);
    }

    /** The names {@link #scaled} accepts, in the order of the record's components. */
    public static List<String> names() {
        return List.of("cusumK", "biasWindow", "scaleStep");
    }

    /** These constants with the one named multiplied by {@code factor}. */
    public ScorerConstants scaled(String name, double factor) {
        return switch (name) {
            case "cusumK" -> new ScorerConstants(cusumK * factor, biasWindow, scaleStep);
            case "biasWindow" -> new ScorerConstants(cusumK, biasWindow * factor, scaleStep);
            case "scaleStep" -> new ScorerConstants(cusumK, biasWindow, scaleStep * factor);
            default ->
                    throw new IllegalArgumentException(
                            "no scorer constant " + name + "; the constants are " + names());
        };
    }
}

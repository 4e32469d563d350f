package io.streamcast.event;

/**
 * The result of parsing one input record: exactly one of {@code observation} and {@code deadLetter}
 * is set.
 */
public record ParsedEvent(Observation observation, DeadLetter deadLetter) {
    public static ParsedEvent accepted(Observation observation) {
        return new ParsedEvent(observation, null);
    }

    public static ParsedEvent rejected(DeadLetter deadLetter) {
        return new ParsedEvent(null, deadLetter);
    }

    public boolean isAccepted() {
        return observation != null;
    }
}

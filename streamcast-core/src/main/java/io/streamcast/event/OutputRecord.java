package io.streamcast.event;

import java.util.Optional;

/**
 * One record for an output stream, already serialised: which stream, the Kafka key (series id or
 * model version) and the JSON body. One sink writes all streams, so one transaction covers them
 * all.
 */
public record OutputRecord(Stream stream, String key, byte[] json) {

    /**
     * The job's output streams, each with its identity: the name people see ({@code tail
     * dead-letters}, messages), the file it is written to in an output folder, and the config key
     * of its Kafka topic. Code that lists the streams iterates over this enum; adding a stream
     * starts here (docs/design.md, output codec).
     */
    public enum Stream {
        FORECASTS("forecasts"),
        SCORES("scores"),
        ALERTS("alerts"),
        MODELS("models"),
        DEAD_LETTERS("dead-letters");

        private final String displayName;

        Stream(String displayName) {
            this.displayName = displayName;
        }

        /** The stream's name in commands and messages, e.g. {@code dead-letters}. */
        public String displayName() {
            return displayName;
        }

        /** Its file in an output folder ({@code backfill --output}), e.g. {@code scores.jsonl}. */
        public String fileName() {
            return displayName + ".jsonl";
        }

        /** The config key naming its Kafka topic, e.g. {@code kafka.topics.scores}. */
        public String topicKey() {
            return "kafka.topics." + displayName;
        }

        /** The stream of a display name ({@link #displayName()}), if there is one. */
        public static Optional<Stream> of(String displayName) {
            for (Stream s : values()) {
                if (s.displayName.equals(displayName)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }
}

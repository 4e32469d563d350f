package io.streamcast.pipeline;

import io.streamcast.event.DeadLetter;
import io.streamcast.event.DeadLetter.Reason;
import io.streamcast.event.Observation;
import io.streamcast.io.EventParser;
import io.streamcast.io.OutputEncoder;
import java.time.Instant;
import java.util.Arrays;

/**
 * Builds dead letters for readings that parsed but were rejected later, pointing back at their
 * source position, with the input as received (or, for a reading made in code, its fields).
 */
final class DeadLetters {
    private DeadLetters() {}

    static DeadLetter of(Observation obs, Reason reason, String message) {
        String raw =
                obs.raw() != null
                        ? EventParser.rawPrefix(obs.raw())
                        : "{\"series\":"
                                + OutputEncoder.quote(obs.series())
                                + ",\"ts\":\""
                                + Instant.ofEpochMilli(obs.ts())
                                + "\",\"values\":"
                                + Arrays.toString(obs.values())
                                + "}";
        return new DeadLetter(reason, message, raw, obs.source(), obs.partition(), obs.offset());
    }
}

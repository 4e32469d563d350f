package io.streamcast.model;

import java.util.Arrays;

/**
 * How a network forecasts the horizon: {@link #DIRECT} with a head of one output per horizon step,
 * or {@link #AUTOREGRESSIVE} with a one-step head rolled forward on its own predictions (see {@link
 * NetworkSpec}).
 */
public enum Decoder {
    DIRECT("direct"),
    AUTOREGRESSIVE("autoregressive");

    private final String id;

    Decoder(String id) {
        this.id = id;
    }

    /**
     * The decoder named in configuration ({@code model.decoder}) and in the network settings of
     * model records.
     */
    public static Decoder of(String id) {
        for (Decoder d : values()) {
            if (d.id.equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "unknown decoder '" + id + "'; one of " + Arrays.toString(ids()) + " is allowed");
    }

    /** The configuration names of all decoders. */
    public static String[] ids() {
        return Arrays.stream(values()).map(Decoder::id).toArray(String[]::new);
    }

    /** The lowercase name used in configuration, model files and published model records. */
    public String id() {
        return id;
    }
}

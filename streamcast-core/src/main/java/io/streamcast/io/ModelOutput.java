package io.streamcast.io;

/**
 * A promoted model version as read back from the models stream, without its parameters: the
 * network's settings in words ({@code network}, "" when the record names none), the losses and
 * gradient norm of its round (NaN when missing), samples seen and parameter count (-1 when
 * missing).
 */
public record ModelOutput(
        long version,
        String cell,
        String network,
        double trainLoss,
        double validationLoss,
        double gradientNorm,
        long samplesSeen,
        long parameterCount)
        implements ModelsRecord {}

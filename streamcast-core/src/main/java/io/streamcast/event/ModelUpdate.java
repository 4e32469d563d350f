package io.streamcast.event;

/**
 * A promoted model version, broadcast to every forecaster and published on the models topic: the
 * flat DL4J parameter vector plus what produced it (cell, losses, samples seen, gradient norm). The
 * network spec it was trained with is the job's or command's own, so it is not carried here:
 * whoever writes the version out passes it along (a model record's {@code network} object).
 *
 * <p>Implementation notes: this record is Flink state (the forecaster's {@code serving-model}), so
 * its fields may come and go but never change type; Flink's POJO serializer migrates the former
 * (earlier versions also kept the spec as a {@code config} text, dropped on restore), not the
 * latter.
 */
public record ModelUpdate(
        long version,
        String cell,
        double trainLoss,
        double validationLoss,
        double gradientNorm,
        long samplesSeen,
        float[] params)
        implements java.io.Serializable {}

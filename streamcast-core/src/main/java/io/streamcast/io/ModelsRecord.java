package io.streamcast.io;

/**
 * A record of the models stream as {@link OutputDecoder} reads it: a promoted model version ({@link
 * ModelOutput}) or a drift event ({@link DriftOutput}).
 */
public sealed interface ModelsRecord permits ModelOutput, DriftOutput {}

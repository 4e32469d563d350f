package io.streamcast.local;

/**
 * A local run's state directory is held by another run (named in the message, which is the whole
 * story: the command line prints it as one line).
 */
public final class StateDirInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    StateDirInUseException(String message) {
        super(message);
    }
}

package io.streamcast.cli;

/**
 * A runtime failure whose message is the whole story (for example an unreachable broker): the
 * command line prints it as one line and exits with 1, with the stack trace only under {@code
 * --verbose}.
 */
final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message, Throwable cause) {
        super(message, cause);
    }
}

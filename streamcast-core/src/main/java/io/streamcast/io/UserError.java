package io.streamcast.io;

/**
 * A mistake the user can fix (a bad input file, column, labels or model file, option value): its
 * message is one line that names the file and line, option or key and says what to do. The command
 * line prints just that line and exits with 2; it may arrive wrapped in a Flink job failure, which
 * the command line unwraps to find it.
 */
public class UserError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }

    /** "{@code file}:{@code line}: {@code message}" ({@code line} 1-based). */
    public static UserError at(String file, long line, String message) {
        return new UserError(file + ":" + line + ": " + message);
    }
}

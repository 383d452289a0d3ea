package dev.encore;

/**
 * A reason Encore cannot start that the person starting it can fix (a port taken, the database
 * held by another process). The command line prints its message as one line, without a stack trace.
 */
public final class StartupFailure extends RuntimeException {
    public StartupFailure(String message) {
        super(message);
    }

    /** The failure somewhere in the chain of causes of {@code e}, or null when there is none. */
    public static StartupFailure in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StartupFailure f) {
                return f;
            }
        }
        return null;
    }
}

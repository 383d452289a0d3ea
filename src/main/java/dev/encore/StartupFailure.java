package dev.encore;

/**
 * A reason Encore cannot start that the person starting it can fix (a port taken, the database
 * held by another process). The command line prints its message as one line, without a stack trace.
 */
public final class StartupFailure extends RuntimeException {
    /** The exit code of a command that could not start (1 is "a file was rejected", 2 "bad arguments"). */
    public static final int EXIT_CODE = 3;

    public StartupFailure(String message) {
        super(message);
    }

    private StartupFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What stopped a start, as one line: the failure Encore raised itself, or else the deepest
     * cause, which names the real problem (a refused password, a read-only folder) where the
     * wrappers around it only repeat it.
     */
    public static StartupFailure of(Throwable e) {
        StartupFailure own = in(e);
        if (own != null) {
            return own;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.nio.file.AccessDeniedException denied) {
            return new StartupFailure("cannot start: no permission to write " + denied.getFile()
                    + " (run Encore where it may write its data/ folder, or point ENCORE_DB_URL elsewhere)", e);
        }
        String message = root.getMessage() == null || root.getMessage().isBlank() ? "" : root.getMessage().strip();
        return new StartupFailure("cannot start: " + (message.isEmpty() ? root.getClass().getSimpleName()
                : message + " (" + root.getClass().getSimpleName() + ")"), e);
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

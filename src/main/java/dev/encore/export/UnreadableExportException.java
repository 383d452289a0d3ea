package dev.encore.export;

/** The file as a whole cannot be loaded; the message says why in words a person can act on. */
public final class UnreadableExportException extends Exception {
    public UnreadableExportException(String reason) {
        super(reason);
    }

    public UnreadableExportException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

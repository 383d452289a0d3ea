package dev.encore.insights;

/** Too many answers are being worked out: the client should retry shortly (503 with Retry-After). */
public final class BusyException extends RuntimeException {
    public BusyException(String message) {
        super(message);
    }
}

package dev.encore.access;

import java.time.Duration;

/** A request of the access API refused with an HTTP status (401, 403, 409, 429) and a reason. */
public class AccessRefusedException extends RuntimeException {
    private final int status;
    private final Duration retryAfter;

    public AccessRefusedException(int status, String message) {
        this(status, message, null);
    }

    public AccessRefusedException(int status, String message, Duration retryAfter) {
        super(message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int getStatus() {
        return status;
    }

    /** Whole seconds, rounded up; null when there is nothing to wait for. */
    public Long getRetryAfterSeconds() {
        return retryAfter == null ? null : Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}

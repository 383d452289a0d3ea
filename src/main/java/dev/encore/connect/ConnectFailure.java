package dev.encore.connect;

/**
 * A connect or callback request that cannot go on: the page it gets says what happened and what
 * to do. The texts are plain (the page escapes them) and never carry a token, code or verifier.
 */
public final class ConnectFailure extends RuntimeException {
    private final int status;
    private final String title;
    private final String advice;

    ConnectFailure(int status, String title, String explanation, String advice) {
        super(title + ": " + explanation, null, false, false); // no stack trace: an expected answer, not a fault
        this.status = status;
        this.title = title;
        this.advice = advice;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** What happened, in a sentence or two. */
    public String explanation() {
        return getMessage().substring(title.length() + 2);
    }

    /** What to do about it. */
    public String advice() {
        return advice;
    }
}

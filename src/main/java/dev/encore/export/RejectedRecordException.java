package dev.encore.export;

/** One record of an otherwise readable file has a value Encore cannot store; the record is skipped. */
public final class RejectedRecordException extends Exception {
    public RejectedRecordException(String reason) {
        super(reason, null, false, false); // no stack trace: this is data, not a bug
    }
}

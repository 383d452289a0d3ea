package dev.encore.lake;

/** A raw-zone file that cannot be loaded: its name or its content is not what the raw zone holds. */
public final class RawFileException extends Exception {
    public RawFileException(String message) {
        super(message);
    }
}

package dev.encore.export;

/** A record of a loaded file that was refused: its 1-based position in the file and why. */
public record RecordRejection(int recordNumber, String reason) {
}

package dev.encore.curated;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the curated zone's files live: the lake's {@code curated/} folder, local or in ADLS Gen2.
 * A file is written in full to a scratch file first, then published in one step that replaces
 * the old version, so a reader sees the old file or the new one, never half of either.
 */
public interface CuratedLake {
    /** A local file to write the next version of {@code lakePath} into (hidden from readers). */
    Path scratchFor(String lakePath) throws IOException;

    /** Replaces {@code lakePath} with the scratch file (which is gone afterwards); returns where it went, for logs. */
    String publish(Path scratch, String lakePath) throws IOException;

    /** Removes a file whose rows are all gone (nothing if it is not there). */
    void delete(String lakePath) throws IOException;
}

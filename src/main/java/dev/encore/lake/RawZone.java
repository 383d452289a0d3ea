package dev.encore.lake;

import java.io.IOException;

/**
 * The lake's raw zone: immutable files, each written once, byte for byte (docs/raw-zone.md).
 * A write returns only once the file is durable, because the caller moves a cursor next.
 */
public interface RawZone {
    /**
     * Creates the file with exactly these bytes.
     *
     * @return where it was written (the lake's path, or the local file), for logs
     * @throws java.nio.file.FileAlreadyExistsException the file exists already: it is never replaced
     */
    String write(RawFile file, byte[] bytes) throws IOException;
}

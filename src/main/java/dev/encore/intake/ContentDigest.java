package dev.encore.intake;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a file's bytes, which recognises a re-upload whatever its name: Spotify names
 * every export my_spotify_data.zip, and the same history may arrive under another name.
 */
final class ContentDigest {
    private ContentDigest() {
    }

    /** Lower-case hex, 64 characters; the file is read once, 64 KB at a time. */
    static String of(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * A digest taken while a file is read for parsing, on the reading thread. It is the file's only
     * when every byte went through, which {@link #ofWhole} checks.
     */
    static final class Hashing {
        private final MessageDigest sha = sha256();
        private long count;

        InputStream wrap(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        sha.update((byte) b);
                        count++;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        sha.update(buffer, offset, n);
                        count += n;
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException { // skipped bytes are hashed too
                    byte[] scratch = new byte[(int) Math.min(n, 1 << 13)];
                    long skipped = 0;
                    for (int r; skipped < n && (r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped))) > 0; ) {
                        skipped += r;
                    }
                    return skipped;
                }
            };
        }

        /** The digest, if exactly {@code size} bytes were read; else null (the parser stopped short). */
        String ofWhole(long size) {
            return count == size ? HexFormat.of().formatHex(sha.digest()) : null;
        }
    }
}

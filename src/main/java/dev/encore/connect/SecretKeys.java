package dev.encore.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the key of {@link TokenCipher} comes from: {@code ENCORE_SECRET_KEY} (setting
 * {@code encore.secret-key}, the base64 of 32 bytes) when it is set; else, on the embedded
 * default (H2), a key file created once with owner-only permissions and reused; else (PostgreSQL,
 * SQL Server: a shared server, where a key file on one replica's disk would lock out the others)
 * none, and connecting a user is refused with a message saying to set ENCORE_SECRET_KEY.
 */
public final class SecretKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SecretKeys.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretKeys() {
    }

    /**
     * @param configured the setting's value (empty: not set)
     * @param keyFile    the key file of the embedded default
     * @param embedded   the database is the embedded H2
     */
    public static Supplier<byte[]> source(String configured, Path keyFile, boolean embedded) {
        if (configured != null && !configured.isBlank()) {
            return () -> decode(configured.trim(), "ENCORE_SECRET_KEY (encore.secret-key)");
        }
        if (embedded) {
            return () -> fromFile(keyFile);
        }
        return () -> {
            throw new TokenCipher.KeyUnavailableException("Connecting Spotify accounts needs a secret key to encrypt "
                    + "their tokens: set ENCORE_SECRET_KEY to the base64 of 32 random bytes "
                    + "(e.g. `openssl rand -base64 32`), the same on every replica, and restart Encore.");
        };
    }

    /** Reads the key file, creating it first (once, owner-only) when there is none. */
    static synchronized byte[] fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            } else {
                warnIfShared(file);
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), "the key file " + file);
        } catch (IOException e) {
            throw new TokenCipher.KeyUnavailableException("Could not read or create the key file " + file + " ("
                    + e.getMessage() + "); set ENCORE_SECRET_KEY instead, or fix the folder's permissions");
        }
    }

    private static void create(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
        try {
            if (posix) {
                // created with 600 from the start: there is no moment when others could read it
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
                // Windows and other non-POSIX file systems: the file inherits its folder's ACL; the
                // most java.io can do is take read and write away from everyone but the owner
                java.io.File f = file.toFile();
                boolean restricted = f.setReadable(false, false) & f.setReadable(true, true)
                        & f.setWritable(false, false) & f.setWritable(true, true);
                LOG.warn("{} is on a file system without POSIX permissions: it is {}restricted to its owner only as far "
                        + "as Java can, and otherwise as readable as its folder. Keep data/ in a private folder, or set "
                        + "ENCORE_SECRET_KEY instead.", file, restricted ? "" : "NOT ");
            }
        } catch (FileAlreadyExistsException e) {
            return; // another process made it a moment ago: use theirs
        }
        Files.write(file, text);
        LOG.info("Created the secret key file {} (owner-only); it encrypts the Spotify tokens of connected users: "
                + "back it up with the database, or set ENCORE_SECRET_KEY", file);
    }

    private static void warnIfShared(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(file));
            perms.removeAll(OWNER_ONLY);
            if (!perms.isEmpty()) {
                LOG.warn("The secret key file {} can be read or changed by others ({}): chmod 600 it",
                        file, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        }
    }

    private static byte[] decode(String base64, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new TokenCipher.KeyUnavailableException(where + " is not base64; it must be the base64 of 32 random "
                    + "bytes (e.g. `openssl rand -base64 32`)");
        }
        if (key.length != 32) {
            throw new TokenCipher.KeyUnavailableException(where + " must be the base64 of 32 bytes (AES-256), not "
                    + key.length + " bytes");
        }
        return key;
    }
}

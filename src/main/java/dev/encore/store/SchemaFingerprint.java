package dev.encore.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Everything Flyway migrates a database of one dialect with, as one SHA-256: the scripts under
 * {@code db/migration} and {@code db/quartz/<dialect>} (names and bytes), the dialect's
 * placeholders and Flyway's own version. Equal fingerprints mean Flyway would find nothing to
 * do, so a start whose database recorded this one skips Flyway ({@link SchemaState}).
 */
public final class SchemaFingerprint {
    private SchemaFingerprint() {
    }

    /** The fingerprint of the scripts packaged with Encore (its jar, or target/classes in tests). */
    public static String of(Dialect dialect) {
        try {
            return of(Path.of(SchemaFingerprint.class.getProtectionDomain().getCodeSource().getLocation().toURI()), dialect);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fingerprint of the scripts under {@code root}: a folder of classes or a jar. */
    public static String of(Path root, Dialect dialect) {
        Map<String, byte[]> scripts = new TreeMap<>(); // by name: the same order wherever they are read from
        List<String> folders = List.of("db/migration/", "db/quartz/" + dialect.name().toLowerCase(Locale.ROOT) + "/");
        try {
            if (Files.isDirectory(root)) {
                for (String folder : folders) {
                    Path dir = root.resolve(folder);
                    if (Files.isDirectory(dir)) {
                        try (Stream<Path> files = Files.walk(dir)) {
                            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                                scripts.put(root.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                            }
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(root.toFile())) {
                    for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                        if (!entry.isDirectory() && folders.stream().anyMatch(entry.getName()::startsWith)) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                scripts.put(entry.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the migration scripts in " + root, e);
        }
        MessageDigest sha = sha256();
        scripts.forEach((name, bytes) -> {
            update(sha, name);
            update(sha, Integer.toString(bytes.length));
            sha.update(bytes);
        });
        new TreeMap<>(dialect.flywayPlaceholders()).forEach((key, value) -> update(sha, key + "=" + value));
        update(sha, "flyway " + flywayVersion());
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String flywayVersion() {
        try (InputStream in = org.flywaydb.core.Flyway.class.getResourceAsStream("/org/flywaydb/core/internal/version.txt")) {
            return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

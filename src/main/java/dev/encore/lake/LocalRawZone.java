package dev.encore.lake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The raw zone in a local folder (the embedded default, {@code encore.lake.dir}): each file is
 * written beside its place as a hidden {@code .<name>.part} (create-new), forced to disk, then
 * linked into place, which fails rather than replace a file that exists; the folder is forced too,
 * so the name survives a crash before the caller moves its cursor.
 */
public final class LocalRawZone implements RawZone {
    private final Path root;

    public LocalRawZone(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String write(RawFile file, byte[] bytes) throws IOException {
        Path target = root.resolve(file.path()).normalize();
        if (!target.startsWith(root)) {
            throw new IOException("Raw file outside the lake: " + file.path());
        }
        Path dir = Files.createDirectories(target.getParent());
        Path part = dir.resolve("." + target.getFileName() + ".part");
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        try {
            place(part, target);
        } finally {
            Files.deleteIfExists(part);
        }
        forceDirectory(dir);
        return target.toString();
    }

    /** A hard link is created atomically and never over an existing name; a rename would replace it. */
    private static void place(Path part, Path target) throws IOException {
        try {
            Files.createLink(target, part);
        } catch (UnsupportedOperationException noLinks) {
            // a file system without hard links: refuse an existing name, then rename atomically
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Makes the new directory entry durable (POSIX); where a folder cannot be opened this way, the OS does it. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notOnThisOs) {
            // Windows cannot open a directory as a channel; NTFS journals the rename itself
        }
    }
}

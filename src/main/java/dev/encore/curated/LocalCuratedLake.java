package dev.encore.curated;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The curated zone in the local lake folder ({@code encore.lake.dir}): the new version is written
 * beside the old one as a hidden {@code .<name>.tmp} (readers skip names starting with a dot),
 * forced to disk, and renamed over it atomically.
 */
public final class LocalCuratedLake implements CuratedLake {
    private final Path root;

    public LocalCuratedLake(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path target(String lakePath) throws IOException {
        Path target = root.resolve(lakePath).normalize();
        if (!target.startsWith(root)) {
            throw new IOException("Curated file outside the lake: " + lakePath);
        }
        return target;
    }

    @Override
    public Path scratchFor(String lakePath) throws IOException {
        Path target = target(lakePath);
        Files.createDirectories(target.getParent());
        Path scratch = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(scratch); // left by a write that died
        return scratch;
    }

    @Override
    public String publish(Path scratch, String lakePath) throws IOException {
        Path target = target(lakePath);
        try (FileChannel channel = FileChannel.open(scratch, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target.toString();
    }

    @Override
    public void delete(String lakePath) throws IOException {
        Files.deleteIfExists(target(lakePath));
    }
}

package dev.encore.export;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A ZIP as Spotify ships it ({@code my_spotify_data.zip}: JSON files at any folder depth, a PDF,
 * macOS {@code __MACOSX} forks), opened defensively. Nothing is ever extracted to disk; entries
 * are streamed. The archive is refused before anything is read if an entry name climbs out of
 * the archive ({@code ../}, absolute paths), two entries share a name (only one could be read)
 * or the declared sizes break the {@link ZipLimits};
 * sizes are enforced again while reading, because headers can lie.
 */
public final class ExportArchive implements AutoCloseable {
    private static final long RATIO_FLOOR = 1L << 20;

    private final ZipFile zip;
    private final ZipLimits limits;
    private final List<ZipEntry> entries;
    private long bytesRead;
    private boolean limitBroken;

    private ExportArchive(ZipFile zip, ZipLimits limits, List<ZipEntry> entries) {
        this.zip = zip;
        this.limits = limits;
        this.entries = entries;
    }

    /** True when the file starts with a ZIP signature (the content decides, not the name). */
    public static boolean looksLikeZip(byte[] head, int length) {
        return length >= 4 && head[0] == 'P' && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    }

    public static ExportArchive open(Path file, ZipLimits limits) throws UnreadableExportException, IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new UnreadableExportException("is not a readable ZIP archive: " + e.getMessage(), e);
        }
        try {
            return new ExportArchive(zip, limits, checkedEntries(zip, limits));
        } catch (UnreadableExportException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** Every file entry in archive order, directories and macOS resource forks left out. */
    public List<ZipEntry> entries() {
        return entries;
    }

    /** Whether the entry is worth parsing; the others (the PDF, images) are reported as skipped. */
    public static boolean isJson(ZipEntry entry) {
        return entry.getName().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    /** The entry's bytes, cut off with an {@link IOException} the moment a limit is crossed. */
    public InputStream open(ZipEntry entry) throws IOException {
        return new LimitedStream(zip.getInputStream(entry), entry);
    }

    /**
     * True once an entry inflated past a limit (a {@link ZipLimitException} was thrown): its
     * headers lied about its sizes, so nothing more should be read from it.
     */
    public boolean limitBroken() {
        return limitBroken;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    private static List<ZipEntry> checkedEntries(ZipFile zip, ZipLimits limits) throws UnreadableExportException {
        List<ZipEntry> files = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long declaredTotal = 0;
        int count = 0;
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            ZipEntry entry = e.nextElement();
            if (++count > limits.maxEntries()) {
                throw new UnreadableExportException("has more than " + limits.maxEntries() + " entries");
            }
            String name = entry.getName();
            if (escapes(name)) {
                throw new UnreadableExportException("has an entry whose path leaves the archive (\"" + name
                        + "\"); such archives are refused whole");
            }
            if (entry.isDirectory() || isMacOsFork(name)) {
                continue;
            }
            if (!names.add(name)) {
                // ZipFile finds an entry's bytes by its name: of two entries so named only one could be read
                throw new UnreadableExportException("has two entries named \"" + name + "\"; only one of them "
                        + "could be read, so the archive is refused whole rather than losing the other's records");
            }
            long size = entry.getSize();
            if (size > limits.maxEntryBytes()) {
                throw new UnreadableExportException("has an entry \"" + name + "\" of " + size
                        + " bytes uncompressed, over the limit of " + limits.maxEntryBytes());
            }
            if (size > RATIO_FLOOR && entry.getCompressedSize() > 0
                    && size / entry.getCompressedSize() > limits.maxRatio()) {
                throw new UnreadableExportException("has an entry \"" + name + "\" that expands "
                        + size / entry.getCompressedSize() + " times, over the limit of " + limits.maxRatio()
                        + ": it looks like a ZIP bomb");
            }
            declaredTotal += Math.max(size, 0);
            if (declaredTotal > limits.maxTotalBytes()) {
                throw new UnreadableExportException("unpacks to more than " + limits.maxTotalBytes() + " bytes");
            }
            files.add(entry);
        }
        return Collections.unmodifiableList(files);
    }

    private static boolean escapes(String name) {
        String n = name.replace('\\', '/');
        if (n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':')) {
            return true;
        }
        for (String part : n.split("/")) {
            if (part.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isMacOsFork(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        return name.startsWith("__MACOSX/") || name.contains("/__MACOSX/") || base.startsWith("._");
    }

    /** Counts what an entry really inflates to. */
    private final class LimitedStream extends FilterInputStream {
        private final ZipEntry entry;
        private long entryBytes;

        LimitedStream(InputStream in, ZipEntry entry) {
            super(in);
            this.entry = entry;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            entryBytes += n;
            bytesRead += n;
            if (entryBytes > limits.maxEntryBytes()) {
                throw broken("entry \"" + entry.getName() + "\" inflates past " + limits.maxEntryBytes() + " bytes");
            }
            long compressed = entry.getCompressedSize();
            if (entryBytes > RATIO_FLOOR && compressed > 0 && entryBytes / compressed > limits.maxRatio()) {
                throw broken("entry \"" + entry.getName() + "\" expands more than " + limits.maxRatio()
                        + " times: it looks like a ZIP bomb");
            }
            if (bytesRead > limits.maxTotalBytes()) {
                throw broken("archive inflates past " + limits.maxTotalBytes() + " bytes");
            }
        }

        private ZipLimitException broken(String message) {
            limitBroken = true;
            return new ZipLimitException(message);
        }
    }

    /** Thrown mid-read when an entry turns out bigger than its header said. */
    public static final class ZipLimitException extends IOException {
        ZipLimitException(String message) {
            super(message);
        }
    }
}

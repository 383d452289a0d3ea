package dev.encore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds ZIP files for tests, entry by entry. */
public final class Zips {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    public static Zips builder() {
        return new Zips();
    }

    public Zips add(String name, byte[] content) {
        entries.put(name, content);
        return this;
    }

    public Zips add(String name, Path file) throws IOException {
        return add(name, Files.readAllBytes(file));
    }

    /** The shape of {@code my_spotify_data.zip}: nested folders, the PDF read-me and macOS forks. */
    public static Zips spotifyLike(String person, String... files) throws IOException {
        Zips zip = builder();
        for (String f : files) {
            zip.add("My Spotify Data/Spotify Extended Streaming History/" + f, Samples.file(person, f));
            zip.add("__MACOSX/My Spotify Data/Spotify Extended Streaming History/._" + f, new byte[] {0, 5, 22, 7});
        }
        return zip.add("My Spotify Data/Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf",
                "%PDF-1.4 not really".getBytes());
    }

    /**
     * Makes the central directory of a written ZIP claim {@code size} uncompressed bytes for the
     * named entry: an archive whose headers lie, as a ZIP bomb's may.
     */
    public static void declareUncompressedSize(Path zip, String entryName, int size) throws IOException {
        byte[] b = Files.readAllBytes(zip);
        ByteBuffer buffer = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = entryName.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 46 <= b.length; i++) {
            if (buffer.getInt(i) == 0x02014b50 && buffer.getShort(i + 28) == name.length
                    && Arrays.equals(b, i + 46, i + 46 + name.length, name, 0, name.length)) {
                buffer.putInt(i + 24, size);
                Files.write(zip, b);
                return;
            }
        }
        throw new AssertionError("no central directory header for " + entryName + " in " + zip);
    }

    /**
     * Renames an entry of a written ZIP in its local header and the central directory, to a name of
     * the same length: how an archive with two entries of one name (which ZipOutputStream refuses
     * to write) is made.
     */
    public static void renameEntry(Path zip, String from, String to) throws IOException {
        byte[] old = from.getBytes(StandardCharsets.UTF_8);
        byte[] now = to.getBytes(StandardCharsets.UTF_8);
        if (old.length != now.length) {
            throw new IllegalArgumentException("the new name must be as long as the old one");
        }
        byte[] b = Files.readAllBytes(zip);
        int renamed = 0;
        for (int i = 0; i + old.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + old.length, old, 0, old.length)) {
                System.arraycopy(now, 0, b, i, now.length);
                renamed++;
            }
        }
        if (renamed != 2) {
            throw new AssertionError(from + " appears " + renamed + " times in " + zip + ", not twice (local and central header)");
        }
        Files.write(zip, b);
    }

    public Path writeTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}

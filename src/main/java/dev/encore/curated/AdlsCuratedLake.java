package dev.encore.curated;

import com.azure.core.util.BinaryData;
import com.azure.storage.file.datalake.DataLakeFileClient;
import com.azure.storage.file.datalake.DataLakeFileSystemClient;
import com.azure.storage.file.datalake.DataLakeServiceClient;
import com.azure.storage.file.datalake.models.DataLakeStorageException;
import dev.encore.lake.LakeRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The curated zone in ADLS Gen2 (profile {@code azure}: intake's filesystem, under
 * {@code encore.lake.root}). The file is written locally (DuckDB writes files, not streams),
 * uploaded in chunks as a hidden {@code .<name>.<random>.tmp} beside its place (Synapse and
 * Spark skip names starting with a dot), flushed, then renamed over the old version: an ADLS
 * rename within a hierarchical namespace is atomic and replaces the destination.
 */
public final class AdlsCuratedLake implements CuratedLake {
    private static final int CHUNK = 4 * 1024 * 1024;
    private final DataLakeServiceClient adls;
    private final String fileSystem;
    private final String root;
    private final Path scratchDir;

    public AdlsCuratedLake(DataLakeServiceClient adls, String fileSystem, String root, Path scratchDir) {
        this.adls = adls;
        this.fileSystem = fileSystem;
        this.root = LakeRoot.prefix(root);
        this.scratchDir = scratchDir;
    }

    @Override
    public Path scratchFor(String lakePath) throws IOException {
        Files.createDirectories(scratchDir);
        return Files.createTempFile(scratchDir, "curated-", ".parquet");
    }

    @Override
    public String publish(Path scratch, String lakePath) throws IOException {
        String path = root + lakePath;
        int slash = path.lastIndexOf('/');
        String tmp = path.substring(0, slash + 1) + "." + path.substring(slash + 1) + "." + UUID.randomUUID() + ".tmp";
        DataLakeFileSystemClient fs = adls.getFileSystemClient(fileSystem);
        try {
            DataLakeFileClient upload = fs.getFileClient(tmp);
            upload.create(true);
            long offset = 0;
            try (InputStream in = Files.newInputStream(scratch)) {
                byte[] buffer = new byte[CHUNK];
                int n;
                while ((n = in.readNBytes(buffer, 0, CHUNK)) > 0) {
                    upload.append(BinaryData.fromBytes(java.util.Arrays.copyOf(buffer, n)), offset);
                    offset += n;
                }
            }
            upload.flush(offset, true);
            upload.rename(null, path);
        } catch (RuntimeException e) {
            removeQuietly(fs, tmp);
            throw new IOException("Could not write " + fileSystem + "/" + path + " to the lake: " + reason(e), e);
        } finally {
            Files.deleteIfExists(scratch);
        }
        return fileSystem + "/" + path;
    }

    @Override
    public void delete(String lakePath) throws IOException {
        try {
            adls.getFileSystemClient(fileSystem).getFileClient(root + lakePath).deleteIfExists();
        } catch (RuntimeException e) {
            throw new IOException("Could not delete " + fileSystem + "/" + root + lakePath + " in the lake: " + reason(e), e);
        }
    }

    /** A half-uploaded file is hidden from readers; it goes too, if the lake lets it (it may be what failed). */
    private static void removeQuietly(DataLakeFileSystemClient fs, String tmp) {
        try {
            fs.getFileClient(tmp).deleteIfExists();
        } catch (RuntimeException stillDown) {
            // left hidden; a later publish uses a new name
        }
    }

    /** Azure's answer, or why there was none (the lake unreachable); never a request's headers or signature. */
    private static String reason(RuntimeException e) {
        if (e instanceof DataLakeStorageException s) {
            return "HTTP " + s.getStatusCode() + " " + s.getErrorCode();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}

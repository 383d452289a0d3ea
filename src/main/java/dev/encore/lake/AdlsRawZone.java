package dev.encore.lake;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.file.datalake.DataLakeFileClient;
import com.azure.storage.file.datalake.DataLakeServiceClient;
import com.azure.storage.file.datalake.models.DataLakeRequestConditions;
import com.azure.storage.file.datalake.models.DataLakeStorageException;
import dev.encore.lake.LakeRoot;
import com.azure.storage.file.datalake.models.PathInfo;
import com.azure.storage.file.datalake.options.DataLakeFileFlushOptions;
import com.azure.storage.file.datalake.options.DataLakePathCreateOptions;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;

/**
 * The raw zone in ADLS Gen2 (profile {@code azure}: intake's account and filesystem, under
 * {@code encore.lake.root}): create with {@code If-None-Match: *}, so an existing file is never
 * replaced (Azure answers 409 PathAlreadyExists), then append and flush, the flush pinned to the
 * ETag of that create. The flush is what makes the bytes durable and readable.
 */
public final class AdlsRawZone implements RawZone {
    private final DataLakeServiceClient adls;
    private final String fileSystem;
    private final String root;

    public AdlsRawZone(DataLakeServiceClient adls, String fileSystem, String root) {
        this.adls = adls;
        this.fileSystem = fileSystem;
        this.root = LakeRoot.prefix(root);
    }

    @Override
    public String write(RawFile file, byte[] bytes) throws IOException {
        String path = root + file.path();
        DataLakeFileClient client = adls.getFileSystemClient(fileSystem).getFileClient(path);
        try {
            PathInfo created = client.createWithResponse(new DataLakePathCreateOptions()
                    .setRequestConditions(new DataLakeRequestConditions().setIfNoneMatch("*")), null, Context.NONE).getValue();
            if (bytes.length > 0) {
                client.append(BinaryData.fromBytes(bytes), 0);
            }
            client.flushWithResponse(bytes.length, new DataLakeFileFlushOptions()
                    .setRequestConditions(new DataLakeRequestConditions().setIfMatch(created.getETag())), null, Context.NONE);
        } catch (DataLakeStorageException e) {
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                throw new FileAlreadyExistsException(fileSystem + "/" + path, null, e.getErrorCode());
            }
            throw new IOException("Could not write " + fileSystem + "/" + path + " to the lake: HTTP " + e.getStatusCode()
                    + " " + e.getErrorCode(), e);
        }
        return fileSystem + "/" + path;
    }
}

package dev.encore.intake;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.file.datalake.DataLakeFileSystemClient;
import com.azure.storage.file.datalake.DataLakeServiceClient;
import com.azure.storage.file.datalake.models.DataLakeRequestConditions;
import com.azure.storage.file.datalake.models.DataLakeStorageException;
import dev.encore.export.PrintableNames;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a finished lake file out of the incoming folder to the processed, skipped (not an export)
 * or rejected folder with an atomic ADLS rename (the component itself has no move), and writes
 * the reason beside a skipped or rejected one, as the local inbox does. Moving is what keeps
 * the next listing small. The rename is pinned to the version that was loaded: a file replaced
 * during the import stays in the incoming folder, to be taken as the new version it is. It never
 * replaces an earlier file of the same name: that one stays, the new one becomes
 * {@code name (2).ext}, as in the local inbox.
 */
public final class AdlsFileMover implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(AdlsFileMover.class);

    private final DataLakeServiceClient client;
    private final String fileSystem;
    private final String processedDir;
    private final String skippedDir;
    private final String rejectedDir;

    public AdlsFileMover(DataLakeServiceClient client, String fileSystem, String processedDir, String skippedDir,
            String rejectedDir) {
        this.client = client;
        this.fileSystem = fileSystem;
        this.processedDir = processedDir;
        this.skippedDir = skippedDir;
        this.rejectedDir = rejectedDir;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        FileReport report = in.getHeader(Headers.REPORT, FileReport.class);
        String lakePath = in.getHeader(Headers.SOURCE_PATH, String.class);
        Disposition d = Disposition.of(report, lakePath, processedDir, skippedDir, rejectedDir);
        if (d == null) {
            return;
        }
        DataLakeFileSystemClient fs = client.getFileSystemClient(fileSystem);
        String parent = d.targetPath().contains("/") ? d.targetPath().substring(0, d.targetPath().lastIndexOf('/')) : null;
        if (parent != null) {
            fs.getDirectoryClient(parent).createIfNotExists();
        }
        DataLakeRequestConditions loadedVersion = new DataLakeRequestConditions()
                .setIfMatch(in.getHeader(AdlsDownloads.ETAG_HEADER, String.class));
        // the destination must not exist: a rename would otherwise replace an earlier upload
        DataLakeRequestConditions freeName = new DataLakeRequestConditions().setIfNoneMatch("*");
        Disposition moved = d;
        for (int n = 2; ; n++) {
            try {
                fs.getFileClient(lakePath).renameWithResponse(null, moved.targetPath(), loadedVersion, freeName, null,
                        Context.NONE);
                break;
            } catch (DataLakeStorageException e) {
                if (e.getStatusCode() != 409 || !"PathAlreadyExists".equals(e.getErrorCode())) {
                    throw e;
                }
                moved = d.renamed(Disposition.numbered(d.targetPath(), n));
            }
        }
        if (moved.reasonPath() != null) {
            fs.getFileClient(moved.reasonPath()).upload(BinaryData.fromString(moved.reasonText()), true);
        }
        LOG.info("Moved {}/{} to {}", fileSystem, PrintableNames.of(lakePath), PrintableNames.of(moved.targetPath()));
    }
}

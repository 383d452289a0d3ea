package dev.encore.intake;

import com.azure.core.util.BinaryData;
import com.azure.storage.file.datalake.DataLakeFileSystemClient;
import com.azure.storage.file.datalake.DataLakeServiceClient;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a finished lake file out of the incoming folder with an atomic ADLS rename (the
 * component itself has no move), writes the reason beside a rejected one, and deletes the local
 * download. Moving is what keeps the next listing small.
 */
public final class AdlsFileMover implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(AdlsFileMover.class);

    private final DataLakeServiceClient client;
    private final String fileSystem;
    private final String processedDir;
    private final String rejectedDir;

    public AdlsFileMover(DataLakeServiceClient client, String fileSystem, String processedDir, String rejectedDir) {
        this.client = client;
        this.fileSystem = fileSystem;
        this.processedDir = processedDir;
        this.rejectedDir = rejectedDir;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        deleteLocalCopy(in.getBody(File.class));
        FileReport report = in.getHeader(Headers.REPORT, FileReport.class);
        String lakePath = in.getHeader(Headers.SOURCE_PATH, String.class);
        Disposition d = Disposition.of(report, lakePath, processedDir, rejectedDir);
        if (d == null) {
            return;
        }
        DataLakeFileSystemClient fs = client.getFileSystemClient(fileSystem);
        String parent = d.targetPath().contains("/") ? d.targetPath().substring(0, d.targetPath().lastIndexOf('/')) : null;
        if (parent != null) {
            fs.getDirectoryClient(parent).createIfNotExists();
        }
        if (d.reasonPath() != null) {
            fs.getFileClient(d.reasonPath()).upload(BinaryData.fromString(d.reasonText()), true);
        }
        fs.getFileClient(lakePath).rename(null, d.targetPath());
        LOG.info("Moved {}/{} to {}", fileSystem, lakePath, d.targetPath());
    }

    private static void deleteLocalCopy(File file) throws IOException {
        if (file != null) {
            Files.deleteIfExists(file.toPath());
            File dir = file.getParentFile();
            if (dir != null) {
                Files.deleteIfExists(dir.toPath()); // the per-file download folder
            }
        }
    }
}

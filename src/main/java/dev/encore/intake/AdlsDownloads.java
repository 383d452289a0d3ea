package dev.encore.intake;

import com.azure.storage.file.datalake.models.PathItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * Prepares the download of one lake file. Each file gets a folder of its own: the component
 * names the local copy by the bare file name, so two users' {@code Streaming_History_Audio_2024.json}
 * would otherwise overwrite each other, and it refuses to overwrite a copy left by a crash.
 */
public final class AdlsDownloads {
    /** The header the datalake component reads the download folder from. */
    static final String FILE_DIR_HEADER = "CamelAzureStorageDataLakeFileDir";
    static final String FILE_NAME_HEADER = "CamelAzureStorageDataLakeFileName";

    private final Path root;

    public AdlsDownloads(Path root) {
        this.root = root;
    }

    /** Sets the headers that name the file and its download folder; the body is the listed {@link PathItem}. */
    public void prepare(Exchange exchange) throws IOException, InvalidPayloadException {
        Message in = exchange.getMessage();
        PathItem item = in.getMandatoryBody(PathItem.class);
        Path dir = Files.createDirectories(root).resolve(exchange.getExchangeId().replaceAll("[^A-Za-z0-9-]", "_"));
        Files.createDirectories(dir);
        in.setHeader(FILE_NAME_HEADER, item.getName());
        in.setHeader(FILE_DIR_HEADER, dir.toString());
    }

    /** The claim key of a lake file: a new upload under the same name has a new ETag and is taken again. */
    public static String claimKey(String fileSystem, PathItem item) {
        return "adls:" + fileSystem + "/" + item.getName() + ":" + item.getETag() + ":" + item.getContentLength();
    }
}

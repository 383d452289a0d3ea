package dev.encore.intake;

import com.azure.storage.file.datalake.models.DataLakeRequestConditions;
import com.azure.storage.file.datalake.models.PathItem;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;

/**
 * The lake side of a file's intake: whether a listed file is ready, its claim key, and its
 * download.
 *
 * <p>Each file is downloaded into a folder of its own: the component names the local copy by the
 * bare file name, so two users' {@code Streaming_History_Audio_2024.json} would otherwise
 * overwrite each other, and it refuses to overwrite a copy left by a crash. The download is
 * pinned to the listed ETag, so a file replaced meanwhile fails the download instead of being
 * loaded under the old version's claim.
 */
public final class AdlsDownloads {
    /** Headers the datalake component reads. */
    static final String FILE_DIR_HEADER = "CamelAzureStorageDataLakeFileDir";
    static final String FILE_NAME_HEADER = "CamelAzureStorageDataLakeFileName";
    static final String CONDITIONS_HEADER = "CamelAzureStorageDataLakeRequestCondition";
    /** The listed ETag, which the mover's rename is pinned to as well. */
    static final String ETAG_HEADER = "EncoreETag";

    private final Path root;
    private final Duration settle;
    private final Clock clock;

    public AdlsDownloads(Path root, Duration settle, Clock clock) {
        this.root = root;
        this.settle = settle;
        this.clock = clock;
    }

    /**
     * A file still being uploaded (an ADLS upload is create, append, flush, each of which
     * touches it) was modified moments ago; it is left for a later poll.
     */
    public boolean isSettled(PathItem item) {
        OffsetDateTime modified = item.getLastModified();
        return modified == null || !modified.toInstant().isAfter(clock.instant().minus(settle));
    }

    /** The claim key of a lake file: a new upload under the same name has a new ETag and is taken again. */
    public static String claimKey(String fileSystem, PathItem item) {
        return "adls:" + fileSystem + "/" + item.getName() + ":" + item.getETag() + ":" + item.getContentLength();
    }

    /** Sets the headers that name the file, its download folder and the version to read; the body is the listed {@link PathItem}. */
    public void prepare(Exchange exchange) throws IOException, InvalidPayloadException {
        Message in = exchange.getMessage();
        PathItem item = in.getMandatoryBody(PathItem.class);
        Path dir = Files.createDirectories(root.resolve(exchange.getExchangeId().replaceAll("[^A-Za-z0-9-]", "_")));
        in.setHeader(FILE_NAME_HEADER, item.getName());
        in.setHeader(FILE_DIR_HEADER, dir.toString());
        in.setHeader(ETAG_HEADER, item.getETag());
        in.setHeader(CONDITIONS_HEADER, new DataLakeRequestConditions().setIfMatch(item.getETag()));
    }

    /** Deletes the local copy and its folder, whatever became of the import. */
    public void cleanUp(Exchange exchange) throws IOException {
        String dir = exchange.getMessage().getHeader(FILE_DIR_HEADER, String.class);
        if (dir == null) {
            return;
        }
        File[] files = new File(dir).listFiles();
        if (files != null) {
            for (File f : files) {
                Files.deleteIfExists(f.toPath());
            }
        }
        Files.deleteIfExists(Path.of(dir));
    }
}

package dev.encore.adls;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.common.ParallelTransferOptions;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.file.datalake.DataLakeDirectoryClient;
import com.azure.storage.file.datalake.DataLakeFileClient;
import com.azure.storage.file.datalake.DataLakeFileSystemClient;
import com.azure.storage.file.datalake.DataLakeServiceClient;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import com.azure.storage.file.datalake.models.DataLakeStorageException;
import com.azure.storage.file.datalake.models.FileSystemItem;
import com.azure.storage.file.datalake.options.FileParallelUploadOptions;
import com.azure.storage.file.datalake.models.ListPathsOptions;
import com.azure.storage.file.datalake.models.PathItem;
import com.azure.storage.file.datalake.models.PathProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.azure.storage.datalake.DataLakeConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Drives {@link FakeDataLakeServer} with the real Azure DataLake SDK (and, in the last tests, the real Camel
 * component) so we know the fake speaks the wire protocol the production code will meet.
 */
class FakeDataLakeServerTest {

    private static final String ACCOUNT = "devstoreaccount1";
    private static final String FS = "exports";
    /** Any base64 string works: the fake ignores signatures, but the SDK needs a decodable key to sign. */
    private static final String KEY = Base64.getEncoder().encodeToString("not-a-real-key".getBytes(StandardCharsets.UTF_8));

    private FakeDataLakeServer fake;
    private DataLakeServiceClient service;
    private DataLakeFileSystemClient fileSystem;

    @BeforeEach
    void startFake() {
        fake = FakeDataLakeServer.start(ACCOUNT);
        service = new DataLakeServiceClientBuilder()
                .endpoint(fake.endpoint())
                .credential(new StorageSharedKeyCredential(ACCOUNT, KEY))
                .buildClient();
        fileSystem = service.getFileSystemClient(FS);
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    @Test
    void endpointIsLoopbackWithAccountSegment() {
        assertThat(fake.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+/" + ACCOUNT);
        assertThat(fake.accountName()).isEqualTo(ACCOUNT);
    }

    @Test
    void createsFileSystemOnceAndListsIt() {
        assertThat(fileSystem.exists()).isFalse();

        fileSystem.create();

        assertThat(fileSystem.exists()).isTrue();
        assertThatThrownBy(fileSystem::create)
                .isInstanceOfSatisfying(DataLakeStorageException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(409);
                    assertThat(e.getErrorCode()).isEqualTo("ContainerAlreadyExists");
                });
        assertThat(service.listFileSystems().stream().map(FileSystemItem::getName)).containsExactly(FS);
        assertThat(fake.requests()).contains("GET /" + FS + "?restype=container", "PUT /" + FS + "?restype=container");
        assertThat(fake.listFiles(FS)).isEmpty();
    }

    @Test
    void uploadsSmallFileThroughCreateAppendFlush() {
        fileSystem.create();
        DataLakeFileClient file = fileSystem.getFileClient("incoming/tracks 1.json");

        file.upload(BinaryData.fromString("[{\"id\":1}]"), true);

        assertThat(new String(fake.read(FS, "incoming/tracks 1.json"), StandardCharsets.UTF_8)).isEqualTo("[{\"id\":1}]");
        assertThat(fake.exists(FS, "incoming")).as("parent directory materialised").isTrue();
        assertThat(fake.requests()).containsSubsequence(
                "PUT /" + FS + "/incoming/tracks 1.json?resource=file",
                "PATCH /" + FS + "/incoming/tracks 1.json?action=append",
                "PATCH /" + FS + "/incoming/tracks 1.json?action=flush");

        String firstEtag = fake.etag(FS, "incoming/tracks 1.json");
        file.upload(BinaryData.fromString("[]"), true);
        assertThat(fake.read(FS, "incoming/tracks 1.json")).isEqualTo("[]".getBytes(StandardCharsets.UTF_8));
        assertThat(fake.etag(FS, "incoming/tracks 1.json")).isNotEqualTo(firstEtag);

        assertThatThrownBy(() -> file.upload(BinaryData.fromString("x"), false))
                .isInstanceOfSatisfying(DataLakeStorageException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(409);
                    assertThat(e.getErrorCode()).isEqualTo("PathAlreadyExists");
                });
    }

    @Test
    void uploadsLargeFileInOneAppendByDefault() {
        fileSystem.create();
        byte[] big = randomBytes(9 * 1024 * 1024 + 123);

        fileSystem.getFileClient("big/blob.bin").upload(BinaryData.fromBytes(big), true);

        assertThat(fake.read(FS, "big/blob.bin")).isEqualTo(big);
        assertThat(fake.requestCount("PATCH /" + FS + "/big/blob.bin?action=append")).isEqualTo(1);
    }

    @Test
    void stitchesParallelAppendsArrivingOutOfOrder() {
        fileSystem.create();
        byte[] big = randomBytes(5 * 1024 * 1024 + 7);
        ParallelTransferOptions chunked = new ParallelTransferOptions()
                .setBlockSizeLong(512L * 1024).setMaxSingleUploadSizeLong(512L * 1024).setMaxConcurrency(8);

        fileSystem.getFileClient("big/chunked.bin").uploadWithResponse(
                new FileParallelUploadOptions(BinaryData.fromBytes(big)).setParallelTransferOptions(chunked),
                null, Context.NONE);

        assertThat(fake.read(FS, "big/chunked.bin")).isEqualTo(big);
        assertThat(fake.requestCount("PATCH /" + FS + "/big/chunked.bin?action=append")).isEqualTo(11);
        assertThat(fake.requestCount("PATCH /" + FS + "/big/chunked.bin?action=flush")).isEqualTo(1);
    }

    @Test
    void listsRecursivelyWithMaterialisedDirectories() {
        fake.putFile(FS, "incoming/a.json", bytes("aaa"));
        fake.putFile(FS, "incoming/2024/b.json", bytes("bbbbb"));
        fake.putFile(FS, "other/c.json", bytes("c"));

        List<PathItem> recursive = fileSystem.listPaths(new ListPathsOptions().setPath("incoming").setRecursive(true), null)
                .stream().collect(Collectors.toList());

        assertThat(recursive).extracting(PathItem::getName)
                .containsExactly("incoming/2024", "incoming/2024/b.json", "incoming/a.json");
        assertThat(recursive).extracting(PathItem::isDirectory).containsExactly(true, false, false);
        assertThat(recursive).extracting(PathItem::getContentLength).containsExactly(0L, 5L, 3L);
        assertThat(recursive.get(2).getETag()).isEqualTo(fake.etag(FS, "incoming/a.json")).startsWith("0x8DC");
        assertThat(recursive.get(0).getETag()).isNotBlank();
        assertThat(recursive.get(2).getLastModified()).isNotNull();

        List<String> flat = fileSystem.listPaths(new ListPathsOptions().setPath("incoming"), null)
                .stream().map(PathItem::getName).collect(Collectors.toList());
        assertThat(flat).containsExactly("incoming/2024", "incoming/a.json");

        List<String> root = fileSystem.listPaths().stream().map(PathItem::getName).collect(Collectors.toList());
        assertThat(root).containsExactly("incoming", "other");
    }

    @Test
    void listingAMissingDirectoryIs404PathNotFound() {
        fileSystem.create();

        assertThatThrownBy(() -> fileSystem.listPaths(new ListPathsOptions().setPath("nope").setRecursive(true), null)
                .stream().count())
                .isInstanceOfSatisfying(DataLakeStorageException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getErrorCode()).isEqualTo("PathNotFound");
                });
    }

    @Test
    void pagesListingThroughContinuationTokens() {
        for (int i = 1; i <= 5; i++) {
            fake.putFile(FS, "incoming/f" + i + ".json", bytes("{}"));
        }
        ListPathsOptions options = new ListPathsOptions().setPath("incoming").setRecursive(true).setMaxResults(2);

        List<Integer> pageSizes = new ArrayList<>();
        for (PagedResponse<PathItem> page : fileSystem.listPaths(options, null).iterableByPage()) {
            pageSizes.add(page.getValue().size());
        }
        List<String> all = fileSystem.listPaths(options, null).stream().map(PathItem::getName).collect(Collectors.toList());

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(all).containsExactly("incoming/f1.json", "incoming/f2.json", "incoming/f3.json",
                "incoming/f4.json", "incoming/f5.json");
        assertThat(fake.rawRequests()).filteredOn(r -> r.contains("resource=filesystem"))
                .hasSize(6)
                .filteredOn(r -> r.contains("continuation=")).hasSize(4);
    }

    @Test
    void getPropertiesOfFileAndDirectory() {
        fake.putFile(FS, "incoming/a.json", bytes("hello"));

        PathProperties file = fileSystem.getFileClient("incoming/a.json").getProperties();
        PathProperties dir = fileSystem.getDirectoryClient("incoming").getProperties();

        assertThat(file.getFileSize()).isEqualTo(5);
        assertThat(file.isDirectory()).isFalse();
        // the fake sends ETag: "0x8DC..." with quotes like Azure; the SDK hands it out without them,
        // i.e. in the same form as PathItem.getETag() from a listing
        assertThat(file.getETag()).isEqualTo(fake.etag(FS, "incoming/a.json"));
        assertThat(file.getLastModified()).isNotNull();
        // dir.isDirectory() is false against the fake: see the x-ms-meta-hdi_isfolder note in FakeDataLakeServer
        assertThat(dir.getFileSize()).isZero();
        assertThat(dir.getETag()).isEqualTo(fake.etag(FS, "incoming"));
        assertThat(fileSystem.getFileClient("incoming/a.json").exists()).isTrue();
        assertThat(fileSystem.getFileClient("incoming/missing.json").exists()).isFalse();
        assertThatThrownBy(() -> fileSystem.getFileClient("incoming/missing.json").getProperties())
                .isInstanceOfSatisfying(DataLakeStorageException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
    }

    @Test
    void readsToFileAndToOutputStream(@TempDir Path tmp) throws Exception {
        fake.putFile(FS, "incoming/a.json", bytes("{\"tracks\":[]}"));
        fake.putFile(FS, "incoming/empty.json", new byte[0]);
        DataLakeFileClient file = fileSystem.getFileClient("incoming/a.json");

        Path target = tmp.resolve("a.json");
        PathProperties props = file.readToFile(target.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        file.read(out);

        assertThat(Files.readString(target)).isEqualTo("{\"tracks\":[]}");
        assertThat(props.getFileSize()).isEqualTo(13);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"tracks\":[]}");

        Path emptyTarget = tmp.resolve("empty.json");
        fileSystem.getFileClient("incoming/empty.json").readToFile(emptyTarget.toString());
        assertThat(Files.size(emptyTarget)).isZero();
    }

    @Test
    void readsLargeFileWithRangedRequests(@TempDir Path tmp) throws Exception {
        byte[] big = randomBytes(5 * 1024 * 1024 + 17);
        fake.putFile(FS, "big/export.json", big);
        DataLakeFileClient file = fileSystem.getFileClient("big/export.json");

        byte[] streamed;
        try (InputStream in = file.openInputStream().getInputStream()) {
            streamed = in.readAllBytes();
        }
        assertThat(streamed).isEqualTo(big);
        assertThat(fake.rawRequests()).filteredOn(r -> r.startsWith("GET") && r.contains("x-ms-range: bytes="))
                .hasSizeGreaterThanOrEqualTo(2);

        fake.clearRequests();
        Path target = tmp.resolve("export.json");
        file.readToFile(target.toString());
        assertThat(Files.readAllBytes(target)).isEqualTo(big);
        assertThat(fake.requestCount("GET /" + FS + "/big/export.json")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void readingAFileChangedMidDownloadFailsWithConditionNotMet() throws Exception {
        byte[] big = randomBytes(5 * 1024 * 1024);
        fake.putFile(FS, "big/x.bin", big);
        InputStream in = fileSystem.getFileClient("big/x.bin").openInputStream().getInputStream();
        in.read(new byte[1024]); // first 4 MiB chunk fetched, ETag pinned

        fake.putFile(FS, "big/x.bin", big);

        assertThatThrownBy(in::readAllBytes).hasStackTraceContaining("412");
    }

    @Test
    void renamesIntoAnotherDirectoryOverwritingTheTarget() {
        fake.putFile(FS, "incoming/x.json", bytes("new"));
        fake.putFile(FS, "processed/y.json", bytes("old"));
        fake.putFile(FS, "processed/x.json", bytes("stale"));
        String etag = fake.etag(FS, "incoming/x.json");

        DataLakeFileClient renamed = fileSystem.getFileClient("incoming/x.json").rename(null, "processed/x.json");

        // the returned client points at the new path (its getFilePath() is URL-encoded, "processed%2Fx.json")
        assertThat(renamed.getProperties().getFileSize()).isEqualTo(3);
        assertThat(fake.exists(FS, "incoming/x.json")).isFalse();
        assertThat(fake.read(FS, "processed/x.json")).isEqualTo(bytes("new"));
        assertThat(fake.etag(FS, "processed/x.json")).isEqualTo(etag);
        assertThat(fake.listFiles(FS)).containsExactly("processed/x.json", "processed/y.json");
        assertThat(fake.requests()).contains("PUT /" + FS + "/processed/x.json?mode=legacy");

        // Destination parents are created on the fly (see setStrictRenameParents for Azure's behaviour).
        // Use a fresh client: the one rename() returns re-encodes its path in x-ms-rename-source
        // ("processed%252Fx.json"), which real Azure would reject as SourcePathNotFound too.
        fileSystem.getFileClient("processed/x.json").rename(null, "archive/2024/x.json");
        assertThat(fake.listFiles(FS)).containsExactly("archive/2024/x.json", "processed/y.json");

        assertThatThrownBy(() -> fileSystem.getFileClient("incoming/gone.json").rename(null, "processed/gone.json"))
                .isInstanceOfSatisfying(DataLakeStorageException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getErrorCode()).isEqualTo("SourcePathNotFound");
                });
    }

    @Test
    void strictRenameRequiresExistingDestinationParent() {
        fake.putFile(FS, "incoming/x.json", bytes("x"));
        fake.setStrictRenameParents(true);
        DataLakeFileClient file = fileSystem.getFileClient("incoming/x.json");

        assertThatThrownBy(() -> file.rename(null, "processed/x.json"))
                .isInstanceOfSatisfying(DataLakeStorageException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("RenameDestinationParentPathNotFound"));

        fileSystem.createDirectoryIfNotExists("processed");
        fileSystem.createDirectoryIfNotExists("processed"); // If-None-Match: * -> 409 swallowed by the SDK
        file.rename(null, "processed/x.json");
        assertThat(fake.listFiles(FS)).containsExactly("processed/x.json");
    }

    @Test
    void renamesAWholeDirectory() {
        fake.putFile(FS, "in/a/1.json", bytes("1"));
        fake.putFile(FS, "in/a/2.json", bytes("2"));

        DataLakeDirectoryClient moved = fileSystem.getDirectoryClient("in/a").rename(null, "done/a");

        assertThat(moved.exists()).isTrue();
        assertThat(fake.listFiles(FS)).containsExactly("done/a/1.json", "done/a/2.json");
        assertThat(fake.exists(FS, "in/a")).isFalse();
        assertThat(fake.exists(FS, "in")).isTrue();
    }

    @Test
    void createsDirectoriesAndRejectsDuplicatesWithIfNoneMatch() {
        fileSystem.create();

        fileSystem.createDirectory("processed");

        assertThat(fake.exists(FS, "processed")).isTrue();
        assertThatThrownBy(() -> fileSystem.createDirectory("processed", false))
                .isInstanceOfSatisfying(DataLakeStorageException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(409);
                    assertThat(e.getErrorCode()).isEqualTo("PathAlreadyExists");
                });
        assertThat(fake.requests()).contains("PUT /" + FS + "/processed?resource=directory");
    }

    @Test
    void deletesFilesAndDirectories() {
        fake.putFile(FS, "incoming/a.json", bytes("a"));
        fake.putFile(FS, "old/x/b.json", bytes("b"));

        fileSystem.getFileClient("incoming/a.json").delete();

        assertThat(fake.exists(FS, "incoming/a.json")).isFalse();
        assertThat(fake.exists(FS, "incoming")).isTrue();
        assertThatThrownBy(() -> fileSystem.getFileClient("incoming/a.json").delete())
                .isInstanceOfSatisfying(DataLakeStorageException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getErrorCode()).isEqualTo("PathNotFound");
                });
        assertThatThrownBy(() -> fileSystem.getDirectoryClient("old").delete())
                .isInstanceOfSatisfying(DataLakeStorageException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("DirectoryNotEmpty"));

        fileSystem.getDirectoryClient("old").deleteRecursively();

        assertThat(fake.exists(FS, "old")).isFalse();
        assertThat(fake.listFiles(FS)).isEmpty();
    }

    @Test
    void vanishOnNextReadKeepsTheFileListedButReadsFailWith404() {
        fake.putFile(FS, "incoming/a.json", bytes("a"));
        fake.vanishOnNextRead(FS, "incoming/a.json");

        assertThat(fileSystem.listPaths().stream().map(PathItem::getName)).contains("incoming");
        assertThat(fileSystem.listPaths(new ListPathsOptions().setRecursive(true), null).stream()
                .map(PathItem::getName)).contains("incoming/a.json");

        assertThatThrownBy(() -> fileSystem.getFileClient("incoming/a.json").read(new ByteArrayOutputStream()))
                .isInstanceOfSatisfying(DataLakeStorageException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getErrorCode()).isEqualTo("BlobNotFound");
                });
        assertThat(fake.exists(FS, "incoming/a.json")).isFalse();
        assertThat(fake.listFiles(FS)).isEmpty();
    }

    @Test
    void camelConsumerDownloadsToFileDirAndProducerListsPaths(@TempDir Path tmp) throws Exception {
        fake.putFile(FS, "incoming/a.json", bytes("[1,2,3]"));
        fake.putFile(FS, "incoming/notes.txt", bytes("skip me"));
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind("adlsClient", service);
            camel.start();
            ConsumerTemplate consumer = camel.createConsumerTemplate();
            ProducerTemplate producer = camel.createProducerTemplate();
            String base = "azure-storage-datalake:" + ACCOUNT + "/" + FS + "?serviceClient=#adlsClient";

            Exchange received = consumer.receive(base + "&path=incoming&regex=.*\\.json&fileDir=" + tmp, 10_000);

            assertThat(received).isNotNull();
            assertThat(received.getMessage().getHeader(DataLakeConstants.FILE_NAME)).isEqualTo("incoming/a.json");
            assertThat(received.getMessage().getBody()).isInstanceOf(File.class);
            assertThat(received.getMessage().getBody(String.class)).isEqualTo("[1,2,3]");

            @SuppressWarnings("unchecked")
            List<PathItem> listed = producer.requestBodyAndHeader(base + "&operation=listPaths&recursive=true", null,
                    DataLakeConstants.PATH, "incoming", List.class);
            assertThat(listed).extracting(PathItem::getName).containsExactly("incoming/a.json", "incoming/notes.txt");

            producer.requestBodyAndHeader(base + "&operation=deleteFile", null, DataLakeConstants.FILE_NAME, "incoming/notes.txt");
            assertThat(fake.listFiles(FS)).containsExactly("incoming/a.json");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int size) {
        byte[] data = new byte[size];
        new Random(42).nextBytes(data);
        return data;
    }
}

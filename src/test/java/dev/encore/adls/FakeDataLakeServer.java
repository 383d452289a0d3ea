package dev.encore.adls;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * In-memory fake of the Azure Data Lake Storage Gen2 REST API (DFS + the few Blob calls the DataLake SDK
 * routes to the blob endpoint), good enough for the real {@code azure-storage-file-datalake} SDK and the
 * Camel {@code azure-storage-datalake} component to run against it over plain HTTP on 127.0.0.1.
 *
 * <p>Why it exists: Azurite has no hierarchical namespace / DFS endpoint, so listPaths, rename and
 * create-file all fail there (see shared/reference/camel.md section 3).
 *
 * <p>Use the IP-style endpoint {@link #endpoint()} ({@code http://127.0.0.1:PORT/<account>}) with a
 * {@code StorageSharedKeyCredential} carrying any base64 key: the signature is not checked. Token credentials
 * will not work because the SDK refuses to send bearer tokens over http.
 *
 * <p>Model: every file system holds a flat map "path -> node". Like a real hierarchical namespace, creating
 * a file (or renaming into a folder) materialises its parent directories as real directory nodes, so
 * listings show them with their own ETag. Query acceleration ({@code comp=query}), ACLs, leases, metadata
 * and SAS checks are not implemented; unsupported requests answer 400 with error code
 * {@code UnsupportedByFake} so a test fails loudly instead of silently passing.
 */
public final class FakeDataLakeServer implements AutoCloseable {

    /** x-ms-version echoed when the client sends none; the value camel.md observed from SDK 12.25.0. */
    private static final String DEFAULT_VERSION = "2025-11-05";

    /** RFC 1123 with a two-digit day: the SDK's date parser expects fixed positions ("Tue, 03 Jun ..."),
     * which {@link DateTimeFormatter#RFC_1123_DATE_TIME} does not produce for days 1-9. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** -Dfake.adls.debug=true prints every request to stderr (useful when an SDK call fails obscurely). */
    private static final boolean DEBUG = Boolean.getBoolean("fake.adls.debug");

    private final String account;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, FileSystem> fileSystems = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> rawRequests = new CopyOnWriteArrayList<>();
    /** ETags look like Azure's ("0x8DC" + 13 hex digits) and are unique per server instance. */
    private final AtomicLong etagSequence = new AtomicLong((System.currentTimeMillis() & 0xFFFFFFFFFFL) << 8);
    /** Multi-key changes (create with parents, rename, recursive delete, flush) run under this one lock so
     * they are atomic; plain reads go straight to the concurrent maps. */
    private final Object lock = new Object();
    private volatile boolean strictRenameParents;

    private FakeDataLakeServer(String account) throws IOException {
        this.account = account;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // A pool rather than the default single thread: the SDK downloads and uploads chunks in parallel.
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-adls-" + account);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake for {@code account} on a free loopback port. */
    public static FakeDataLakeServer start(String account) {
        if (account == null || account.isBlank() || account.contains("/")) {
            throw new IllegalArgumentException("account name must be a single path segment: " + account);
        }
        try {
            return new FakeDataLakeServer(account);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start fake ADLS server", e);
        }
    }

    /** {@code http://127.0.0.1:PORT/<account>}: pass it to {@code DataLakeServiceClientBuilder.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + account;
    }

    public String accountName() {
        return account;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------
    // Test helpers (bypass HTTP)
    // ------------------------------------------------------------------------------------------------

    /** Creates the file system if it does not exist yet. */
    public void createFileSystem(String fileSystem) {
        fileSystems.computeIfAbsent(fileSystem, name -> new FileSystem(nextEtag(), Instant.now()));
    }

    /** Stores a committed file (creating the file system and parent directories when missing); every call
     * gives the file a new ETag and Last-Modified, like an upload would. */
    public void putFile(String fileSystem, String path, byte[] content) {
        String normalized = normalize(path);
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        synchronized (lock) {
            createFileSystem(fileSystem);
            FileSystem fs = fileSystems.get(fileSystem);
            Node existing = fs.nodes.get(normalized);
            if ((existing != null && existing.directory()) || parentIsFile(fs, normalized)) {
                throw new IllegalArgumentException(normalized + " conflicts with an existing directory or file");
            }
            ensureParents(fs, normalized);
            fs.nodes.put(normalized, Node.file(content.clone(), nextEtag(), Instant.now(),
                    existing == null ? Instant.now() : existing.created()));
            fs.uncommitted.remove(normalized);
        }
    }

    /** True if a file or directory exists at {@code path}. */
    public boolean exists(String fileSystem, String path) {
        FileSystem fs = fileSystems.get(fileSystem);
        return fs != null && fs.nodes.containsKey(normalize(path));
    }

    /** The committed content of a file, or {@code null} if there is no such file. */
    public byte[] read(String fileSystem, String path) {
        Node node = node(fileSystem, path);
        return node == null || node.directory() ? null : node.content().clone();
    }

    /** The ETag (without quotes) of a file or directory, or {@code null}. */
    public String etag(String fileSystem, String path) {
        Node node = node(fileSystem, path);
        return node == null ? null : node.etag();
    }

    /** All file paths (no directories) of the file system, sorted; empty if it does not exist. */
    public List<String> listFiles(String fileSystem) {
        FileSystem fs = fileSystems.get(fileSystem);
        if (fs == null) {
            return List.of();
        }
        return fs.nodes.entrySet().stream()
                .filter(e -> !e.getValue().directory())
                .map(Map.Entry::getKey)
                .sorted()
                .collect(Collectors.toList());
    }

    /**
     * Simulates a file deleted by someone else between listing and reading: it stays in listings, but the
     * next GET or HEAD of it removes it and answers 404 BlobNotFound, as Azure would.
     */
    public void vanishOnNextRead(String fileSystem, String path) {
        Node node = node(fileSystem, path);
        if (node == null || node.directory()) {
            throw new IllegalArgumentException("no such file: " + fileSystem + "/" + path);
        }
        fileSystems.get(fileSystem).vanishing.add(normalize(path));
    }

    /**
     * When true, a rename whose destination parent directory does not exist fails with 404
     * RenameDestinationParentPathNotFound (what real ADLS Gen2 does). Default false: the parents are created.
     */
    public void setStrictRenameParents(boolean strict) {
        this.strictRenameParents = strict;
    }

    /**
     * Log of handled requests, one entry per request, as {@code METHOD /fs/decoded/path?kind} where kind is
     * the parameter that selects the operation, e.g. {@code GET /data?resource=filesystem},
     * {@code PATCH /data/in/a.json?action=append}, {@code PUT /data?restype=container},
     * {@code PUT /data/processed/a.json?mode=legacy}, {@code GET /data/in/a.json} (a read).
     */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Number of {@link #requests()} entries that start with {@code prefix}, e.g. {@code "GET /data?resource"}. */
    public int requestCount(String prefix) {
        return (int) requests.stream().filter(r -> r.startsWith(prefix)).count();
    }

    /** Verbatim request lines plus the headers that matter for debugging (range, rename source, conditions). */
    public List<String> rawRequests() {
        return List.copyOf(rawRequests);
    }

    public void clearRequests() {
        requests.clear();
        rawRequests.clear();
    }

    // ------------------------------------------------------------------------------------------------
    // HTTP dispatch
    // ------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        Request request = null;
        try {
            request = parse(exchange);
            log(request);
            dispatch(request);
        } catch (Exception e) {
            // A bug in the fake must show up in the test, not hang the SDK's retry loop for minutes.
            e.printStackTrace();
            if (request != null && !request.responded) {
                try {
                    error(request, 500, "InternalError", "Fake ADLS server failed: " + e);
                } catch (IOException ignored) {
                    // connection already gone
                }
            }
        } finally {
            exchange.close();
        }
    }

    private void dispatch(Request r) throws IOException {
        if (r.accountMismatch) {
            error(r, 400, "InvalidUri", "Expected the first path segment to be the account '" + account + "'.");
            return;
        }
        if (r.fileSystem.isEmpty()) {
            if (r.is("GET") && "list".equals(r.query.get("comp"))) {
                listContainers(r);
            } else {
                unsupported(r);
            }
            return;
        }
        if (r.path.isEmpty()) {
            dispatchFileSystem(r);
            return;
        }
        switch (r.method) {
            case "PUT":
                if (r.header("x-ms-rename-source") != null) {
                    rename(r);
                } else if (r.query.containsKey("resource")) {
                    createPath(r);
                } else {
                    unsupported(r);
                }
                break;
            case "PATCH":
                String action = r.query.getOrDefault("action", "");
                if (action.equals("append")) {
                    append(r);
                } else if (action.equals("flush")) {
                    flush(r);
                } else {
                    unsupported(r);
                }
                break;
            case "GET":
            case "HEAD":
                if (r.query.containsKey("comp") || r.query.containsKey("action")) {
                    unsupported(r);
                } else {
                    readPath(r);
                }
                break;
            case "DELETE":
                deletePath(r);
                break;
            default:
                // includes POST ?comp=query (query acceleration), which the fake deliberately does not emulate
                unsupported(r);
        }
    }

    private void dispatchFileSystem(Request r) throws IOException {
        String restype = r.query.get("restype");
        String resource = r.query.get("resource");
        boolean container = "container".equals(restype) && !r.query.containsKey("comp");
        boolean filesystem = "filesystem".equals(resource);
        if (r.is("GET") && filesystem) {
            listPaths(r);
        } else if ((r.is("GET") || r.is("HEAD")) && (container || filesystem)) {
            fileSystemProperties(r);
        } else if (r.is("PUT") && (container || filesystem)) {
            createFileSystem(r, container);
        } else if (r.is("DELETE") && (container || filesystem)) {
            deleteFileSystem(r);
        } else {
            unsupported(r);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // File system (container) operations
    // ------------------------------------------------------------------------------------------------

    private void fileSystemProperties(Request r) throws IOException {
        FileSystem fs = fileSystems.get(r.fileSystem);
        if (fs == null) {
            fileSystemNotFound(r);
            return;
        }
        Map<String, String> headers = etagHeaders(fs.etag, fs.lastModified);
        headers.put("x-ms-lease-state", "available");
        headers.put("x-ms-lease-status", "unlocked");
        headers.put("x-ms-has-immutability-policy", "false");
        headers.put("x-ms-has-legal-hold", "false");
        headers.put("x-ms-namespace-enabled", "true");
        send(r, 200, headers, null);
    }

    private void createFileSystem(Request r, boolean blobStyle) throws IOException {
        FileSystem created = new FileSystem(nextEtag(), Instant.now());
        if (fileSystems.putIfAbsent(r.fileSystem, created) != null) {
            if (blobStyle) {
                error(r, 409, "ContainerAlreadyExists", "The specified container already exists.");
            } else {
                error(r, 409, "FilesystemAlreadyExists", "The specified filesystem already exists.");
            }
            return;
        }
        send(r, 201, etagHeaders(created.etag, created.lastModified), null);
    }

    private void deleteFileSystem(Request r) throws IOException {
        if (fileSystems.remove(r.fileSystem) == null) {
            fileSystemNotFound(r);
            return;
        }
        send(r, 202, new LinkedHashMap<>(), null);
    }

    /** Blob "List Containers" (XML): what {@code DataLakeServiceClient.listFileSystems()} calls. */
    private void listContainers(Request r) throws IOException {
        String prefix = r.query.getOrDefault("prefix", "");
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
                .append("<EnumerationResults ServiceEndpoint=\"").append(xmlEscape(endpoint())).append("/\">")
                .append("<Containers>");
        new TreeMap<>(fileSystems).forEach((name, fs) -> {
            if (name.startsWith(prefix)) {
                xml.append("<Container><Name>").append(xmlEscape(name)).append("</Name><Properties>")
                        .append("<Last-Modified>").append(HTTP_DATE.format(fs.lastModified)).append("</Last-Modified>")
                        .append("<Etag>\"").append(fs.etag).append("\"</Etag>")
                        .append("<LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState>")
                        .append("</Properties></Container>");
            }
        });
        xml.append("</Containers><NextMarker /></EnumerationResults>");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/xml");
        send(r, 200, headers, xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * DFS "List Paths": JSON {"paths":[...]} sorted by name, paged by an opaque {@code x-ms-continuation}
     * token (here: the next name to return, base64url) whenever more than {@code maxResults} remain.
     */
    private void listPaths(Request r) throws IOException {
        FileSystem fs = fileSystems.get(r.fileSystem);
        if (fs == null) {
            fileSystemNotFound(r);
            return;
        }
        String directory = normalize(r.query.getOrDefault("directory", ""));
        boolean recursive = Boolean.parseBoolean(r.query.get("recursive"));
        int maxResults = parseInt(r.query.get("maxResults"), 5000);
        if (maxResults <= 0) {
            error(r, 400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the request URI is invalid.");
            return;
        }
        String startAfterToken = r.query.get("continuation");
        String startName = startAfterToken == null || startAfterToken.isEmpty() ? "" : decodeToken(startAfterToken);

        if (!directory.isEmpty()) {
            Node dir = fs.nodes.get(directory);
            if (dir == null || !dir.directory()) {
                error(r, 404, "PathNotFound", "The specified path does not exist.");
                return;
            }
        }
        String prefix = directory.isEmpty() ? "" : directory + "/";
        // TreeMap snapshot: a consistent sorted view even while other requests modify the map.
        TreeMap<String, Node> matches = new TreeMap<>();
        fs.nodes.forEach((name, node) -> {
            if (name.startsWith(prefix) && (recursive || name.indexOf('/', prefix.length()) < 0)) {
                matches.put(name, node);
            }
        });
        List<Map.Entry<String, Node>> page = new ArrayList<>();
        String nextName = null;
        for (Map.Entry<String, Node> entry : matches.tailMap(startName, true).entrySet()) {
            if (page.size() == maxResults) {
                nextName = entry.getKey();
                break;
            }
            page.add(entry);
        }
        StringBuilder json = new StringBuilder("{\"paths\":[");
        for (int i = 0; i < page.size(); i++) {
            String name = page.get(i).getKey();
            Node node = page.get(i).getValue();
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"name\":\"").append(jsonEscape(name)).append('"');
            if (node.directory()) {
                json.append(",\"isDirectory\":\"true\"");
            }
            json.append(",\"contentLength\":\"").append(node.directory() ? 0 : node.content().length).append('"')
                    .append(",\"etag\":\"").append(node.etag()).append('"')
                    .append(",\"lastModified\":\"").append(HTTP_DATE.format(node.lastModified())).append('"')
                    .append(",\"owner\":\"$superuser\",\"group\":\"$superuser\"")
                    .append(",\"permissions\":\"").append(node.directory() ? "rwxr-x---" : "rw-r-----").append('"')
                    .append('}');
        }
        json.append("]}");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json;charset=utf-8");
        if (nextName != null) {
            headers.put("x-ms-continuation", encodeToken(nextName));
        }
        send(r, 200, headers, json.toString().getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------
    // Path operations
    // ------------------------------------------------------------------------------------------------

    /** {@code PUT ?resource=file|directory}; a file create truncates (the SDK then appends and flushes). */
    private void createPath(Request r) throws IOException {
        String resource = r.query.get("resource");
        boolean directory = "directory".equals(resource);
        if (!directory && !"file".equals(resource)) {
            unsupported(r);
            return;
        }
        Node created;
        synchronized (lock) {
            FileSystem fs = fileSystems.get(r.fileSystem);
            if (fs == null) {
                fileSystemNotFound(r);
                return;
            }
            Node existing = fs.nodes.get(r.path);
            if (!checkWriteConditions(r, existing)) {
                return;
            }
            if (existing != null && existing.directory() != directory) {
                pathConflict(r);
                return;
            }
            if (parentIsFile(fs, r.path)) {
                pathConflict(r);
                return;
            }
            ensureParents(fs, r.path);
            Instant now = Instant.now();
            Instant createdAt = existing == null ? now : existing.created();
            created = directory ? Node.directory(nextEtag(), now, createdAt)
                    : Node.file(new byte[0], nextEtag(), now, createdAt);
            fs.nodes.put(r.path, created);
            fs.uncommitted.remove(r.path);
            fs.vanishing.remove(r.path);
        }
        Map<String, String> headers = etagHeaders(created.etag(), created.lastModified());
        headers.put("x-ms-request-server-encrypted", "true");
        send(r, 201, headers, null);
    }

    /**
     * {@code PATCH ?action=append&position=P}: stages bytes at absolute offset P. The SDK uploads large
     * files as parallel appends, so chunks may arrive in any order; flush stitches them together.
     */
    private void append(Request r) throws IOException {
        long position = parseLong(r.query.get("position"), -1);
        byte[] body = r.body();
        FileSystem fs = fileSystems.get(r.fileSystem);
        Node node = existingPath(r, fs);
        if (node == null) {
            return;
        }
        if (node.directory()) {
            pathConflict(r);
            return;
        }
        if (position < node.content().length) {
            invalidPosition(r);
            return;
        }
        fs.uncommitted.computeIfAbsent(r.path, p -> new ConcurrentSkipListMap<>()).put(position, body);
        if (Boolean.parseBoolean(r.query.get("flush"))) {
            // newer SDKs can append and commit in one call (append ... &flush=true)
            Node committed = commit(r, position + body.length, false);
            if (committed != null) {
                send(r, 200, etagHeaders(committed.etag(), committed.lastModified()), null);
            }
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ms-request-server-encrypted", "true");
        send(r, 202, headers, null);
    }

    /** {@code PATCH ?action=flush&position=N}: commits the staged bytes so the file is exactly N long. */
    private void flush(Request r) throws IOException {
        long position = parseLong(r.query.get("position"), -1);
        boolean retain = Boolean.parseBoolean(r.query.get("retainUncommittedData"));
        Node committed = commit(r, position, retain);
        if (committed != null) {
            Map<String, String> headers = etagHeaders(committed.etag(), committed.lastModified());
            headers.put("x-ms-request-server-encrypted", "true");
            send(r, 200, headers, null);
        }
    }

    /** Returns the new node, or null after having sent an error response. */
    private Node commit(Request r, long length, boolean retainUncommitted) throws IOException {
        synchronized (lock) {
            FileSystem fs = fileSystems.get(r.fileSystem);
            Node node = existingPath(r, fs);
            if (node == null) {
                return null;
            }
            if (!checkWriteConditions(r, node)) {
                return null;
            }
            byte[] old = node.content();
            if (node.directory() || length < old.length || length > Integer.MAX_VALUE) {
                invalidPosition(r);
                return null;
            }
            ConcurrentSkipListMap<Long, byte[]> staged = fs.uncommitted.getOrDefault(r.path, new ConcurrentSkipListMap<>());
            byte[] content = new byte[(int) length];
            System.arraycopy(old, 0, content, 0, old.length);
            long cursor = old.length;
            while (cursor < length) {
                byte[] chunk = staged.get(cursor);
                if (chunk == null || chunk.length == 0 || cursor + chunk.length > length) {
                    // gap in the appended data, or the flush position cuts a chunk: Azure rejects both
                    invalidPosition(r);
                    return null;
                }
                System.arraycopy(chunk, 0, content, (int) cursor, chunk.length);
                cursor += chunk.length;
            }
            if (retainUncommitted) {
                staged.headMap(length).clear();
            } else {
                fs.uncommitted.remove(r.path);
            }
            Node updated = Node.file(content, nextEtag(), Instant.now(), node.created());
            fs.nodes.put(r.path, updated);
            return updated;
        }
    }

    /** {@code GET} (read, optionally ranged) and {@code HEAD} (properties) of a file or directory. */
    private void readPath(Request r) throws IOException {
        FileSystem fs = fileSystems.get(r.fileSystem);
        if (fs == null) {
            fileSystemNotFound(r);
            return;
        }
        if (fs.vanishing.remove(r.path)) {
            synchronized (lock) {
                fs.nodes.remove(r.path);
                fs.uncommitted.remove(r.path);
            }
        }
        Node node = fs.nodes.get(r.path);
        if (node == null) {
            error(r, 404, "BlobNotFound", "The specified blob does not exist.");
            return;
        }
        String ifMatch = r.header("If-Match");
        if (ifMatch != null && !etagMatches(ifMatch, node.etag())) {
            error(r, 412, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met.");
            return;
        }
        String ifNoneMatch = r.header("If-None-Match");
        if (ifNoneMatch != null && etagMatches(ifNoneMatch, node.etag())) {
            Map<String, String> headers = etagHeaders(node.etag(), node.lastModified());
            send(r, 304, headers, null);
            return;
        }
        byte[] content = node.directory() ? new byte[0] : node.content();
        Map<String, String> headers = etagHeaders(node.etag(), node.lastModified());
        headers.put("Content-Type", "application/octet-stream");
        headers.put("Accept-Ranges", "bytes");
        headers.put("x-ms-creation-time", HTTP_DATE.format(node.created()));
        headers.put("x-ms-blob-type", "BlockBlob");
        headers.put("x-ms-lease-state", "available");
        headers.put("x-ms-lease-status", "unlocked");
        headers.put("x-ms-server-encrypted", "true");
        headers.put("x-ms-resource-type", node.directory() ? "directory" : "file");
        if (node.directory()) {
            // How HNS accounts mark a directory in the blob API. Known limitation: the JDK server sends it as
            // "X-ms-meta-hdi_isfolder" (it capitalises header names) and the SDK collects x-ms-meta-* with a
            // case-sensitive prefix match, so PathProperties.isDirectory() stays false here. Use listPaths.
            headers.put("x-ms-meta-hdi_isfolder", "true");
        }
        String range = r.header("x-ms-range") != null ? r.header("x-ms-range") : r.header("Range");
        long[] bounds = range == null || r.is("HEAD") ? null : parseRange(range);
        if (bounds == null) {
            // No range, or one that does not parse: HTTP says ignore it and send everything. The SDK relies on
            // this: after a 416 on an empty file it retries with "x-ms-range: bytes=0--1" and expects 200.
            send(r, 200, headers, content);
            return;
        }
        long start = bounds[0];
        if (start >= content.length) {
            // Azure answers 416 for any range on an empty blob; the SDK retries without a range
            headers.clear();
            headers.put("Content-Range", "bytes */" + content.length);
            error(r, 416, "InvalidRange", "The range specified is invalid for the current size of the resource.", headers);
            return;
        }
        long end = bounds[1] < 0 ? content.length - 1 : Math.min(bounds[1], content.length - 1);
        byte[] slice = new byte[(int) (end - start + 1)];
        System.arraycopy(content, (int) start, slice, 0, slice.length);
        headers.put("Content-Range", "bytes " + start + "-" + end + "/" + content.length);
        send(r, 206, headers, slice);
    }

    /** The node at the request's path, or null after answering 404 for a missing filesystem or path. */
    private Node existingPath(Request r, FileSystem fs) throws IOException {
        if (fs == null) {
            fileSystemNotFound(r);
            return null;
        }
        Node node = fs.nodes.get(r.path);
        if (node == null) {
            error(r, 404, "PathNotFound", "The specified path does not exist.");
        }
        return node;
    }

    /** {@code DELETE /fs/path[?recursive=true]}. */
    private void deletePath(Request r) throws IOException {
        boolean recursive = Boolean.parseBoolean(r.query.get("recursive"));
        synchronized (lock) {
            FileSystem fs = fileSystems.get(r.fileSystem);
            Node node = existingPath(r, fs);
            if (node == null) {
                return;
            }
            if (!checkWriteConditions(r, node)) {
                return;
            }
            List<String> children = descendants(fs, r.path);
            if (node.directory() && !children.isEmpty() && !recursive) {
                error(r, 409, "DirectoryNotEmpty", "The recursive query parameter value must be true to delete a non-empty directory.");
                return;
            }
            for (String path : children) {
                removePath(fs, path);
            }
            removePath(fs, r.path);
        }
        send(r, 200, new LinkedHashMap<>(), null);
    }

    /**
     * {@code PUT /fs/newPath?mode=legacy} with {@code x-ms-rename-source: /srcFs/url%2Fencoded%2Fpath[?sas]}.
     * Moves a file or a whole directory; an existing destination of the same kind is overwritten (an existing
     * directory only if empty). Properties and ETag move with the path.
     */
    private void rename(Request r) throws IOException {
        String source = r.header("x-ms-rename-source");
        int queryStart = source.indexOf('?');
        if (queryStart >= 0) {
            source = source.substring(0, queryStart);
        }
        source = source.startsWith("/") ? source.substring(1) : source;
        int slash = source.indexOf('/');
        String sourceFsName = percentDecode(slash < 0 ? source : source.substring(0, slash));
        String sourcePath = normalize(percentDecode(slash < 0 ? "" : source.substring(slash + 1)));
        Node moved;
        synchronized (lock) {
            FileSystem target = fileSystems.get(r.fileSystem);
            FileSystem origin = fileSystems.get(sourceFsName);
            if (target == null) {
                fileSystemNotFound(r);
                return;
            }
            Node node = origin == null || sourcePath.isEmpty() ? null : origin.nodes.get(sourcePath);
            if (node == null) {
                error(r, 404, "SourcePathNotFound", "The source path for a rename operation does not exist.");
                return;
            }
            if (origin == target && (r.path.equals(sourcePath) || r.path.startsWith(sourcePath + "/"))) {
                if (r.path.equals(sourcePath)) {
                    send(r, 201, etagHeaders(node.etag(), node.lastModified()), null);
                    return;
                }
                error(r, 400, "InvalidDestinationPath", "The specified path, or an element of the path, is invalid.");
                return;
            }
            Node existing = target.nodes.get(r.path);
            if (!checkWriteConditions(r, existing)) {
                return;
            }
            if (existing != null && (existing.directory() != node.directory()
                    || (existing.directory() && !descendants(target, r.path).isEmpty()))) {
                pathConflict(r);
                return;
            }
            if (parentIsFile(target, r.path)) {
                pathConflict(r);
                return;
            }
            String parent = parentOf(r.path);
            if (strictRenameParents && !parent.isEmpty() && !target.nodes.containsKey(parent)) {
                error(r, 404, "RenameDestinationParentPathNotFound", "The parent directory of the destination path does not exist.");
                return;
            }
            ensureParents(target, r.path);
            List<String> children = node.directory() ? descendants(origin, sourcePath) : List.of();
            for (String child : children) {
                target.nodes.put(r.path + child.substring(sourcePath.length()), origin.nodes.get(child));
                removePath(origin, child);
            }
            removePath(origin, sourcePath);
            target.nodes.put(r.path, node);
            moved = node;
        }
        send(r, 201, etagHeaders(moved.etag(), moved.lastModified()), null);
    }

    // ------------------------------------------------------------------------------------------------
    // Model helpers
    // ------------------------------------------------------------------------------------------------

    private Node node(String fileSystem, String path) {
        FileSystem fs = fileSystems.get(fileSystem);
        return fs == null ? null : fs.nodes.get(normalize(path));
    }

    /** Materialises missing parent directories, as a hierarchical namespace does. Caller holds the lock. */
    private void ensureParents(FileSystem fs, String path) {
        Instant now = Instant.now();
        for (String parent = parentOf(path); !parent.isEmpty(); parent = parentOf(parent)) {
            if (fs.nodes.containsKey(parent)) {
                break; // its own parents exist already
            }
            fs.nodes.put(parent, Node.directory(nextEtag(), now, now));
        }
    }

    private static boolean parentIsFile(FileSystem fs, String path) {
        for (String parent = parentOf(path); !parent.isEmpty(); parent = parentOf(parent)) {
            Node node = fs.nodes.get(parent);
            if (node != null) {
                return !node.directory();
            }
        }
        return false;
    }

    private static List<String> descendants(FileSystem fs, String directory) {
        String prefix = directory + "/";
        return fs.nodes.keySet().stream().filter(p -> p.startsWith(prefix)).collect(Collectors.toList());
    }

    private static void removePath(FileSystem fs, String path) {
        fs.nodes.remove(path);
        fs.uncommitted.remove(path);
        fs.vanishing.remove(path);
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** "/a//b/" -> "a/b": Azure treats these the same; keys are kept in this form. */
    private static String normalize(String path) {
        return List.of(path.split("/")).stream().filter(s -> !s.isEmpty()).collect(Collectors.joining("/"));
    }

    private String nextEtag() {
        return String.format("0x8DC%013X", etagSequence.incrementAndGet());
    }

    /** If-Match / If-None-Match for writes: 409 PathAlreadyExists for "If-None-Match: *" on an existing
     * path (what createIfNotExists relies on), 412 ConditionNotMet otherwise. */
    private boolean checkWriteConditions(Request r, Node existing) throws IOException {
        String ifNoneMatch = r.header("If-None-Match");
        if (ifNoneMatch != null && existing != null) {
            if (ifNoneMatch.trim().equals("*")) {
                error(r, 409, "PathAlreadyExists", "The specified path already exists.");
                return false;
            }
            if (etagMatches(ifNoneMatch, existing.etag())) {
                error(r, 412, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met.");
                return false;
            }
        }
        String ifMatch = r.header("If-Match");
        if (ifMatch != null && (existing == null || !etagMatches(ifMatch, existing.etag()))) {
            error(r, 412, "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met.");
            return false;
        }
        return true;
    }

    /** The SDK echoes ETags with their quotes; listPaths hands them out without. Compare unquoted. */
    private static boolean etagMatches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String value = candidate.trim();
            if (value.equals("*") || unquote(value).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String value) {
        String v = value.startsWith("W/") ? value.substring(2) : value;
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    /** "bytes=S-E" or "bytes=S-" -> {S, E or -1}; null if malformed. */
    private static long[] parseRange(String header) {
        String value = header.trim();
        if (!value.startsWith("bytes=")) {
            return null;
        }
        String[] parts = value.substring("bytes=".length()).split("-", -1);
        if (parts.length != 2) {
            return null; // e.g. the SDK's "bytes=0--1"
        }
        try {
            long start = Long.parseLong(parts[0].trim());
            long end = parts.length > 1 && !parts[1].isBlank() ? Long.parseLong(parts[1].trim()) : -1;
            return start < 0 || (end >= 0 && end < start) ? null : new long[] {start, end};
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    private static String encodeToken(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    }

    private static int parseInt(String value, int fallback) {
        return (int) parseLong(value, fallback);
    }

    private static long parseLong(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Request parsing and responses
    // ------------------------------------------------------------------------------------------------

    private Request parse(HttpExchange exchange) {
        // getRawPath: getPath() would already have turned "%2F" inside a file name into a separator
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        String[] segments = rawPath.split("/", 4); // "", account, fs, rest
        Request r = new Request(exchange);
        r.accountMismatch = segments.length < 2 || !percentDecode(segments[1]).equals(account);
        r.fileSystem = segments.length > 2 ? percentDecode(segments[2]) : "";
        r.path = segments.length > 3 ? normalize(percentDecode(segments[3])) : "";
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                r.query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        // Blob-endpoint calls get XML errors, DFS calls JSON ones; the SDK reads the code from the header either way.
        r.blobStyle = r.query.containsKey("restype") || r.query.containsKey("comp")
                || ((r.is("GET") || r.is("HEAD")) && !r.query.containsKey("resource") && !r.query.containsKey("action"));
        return r;
    }

    private void log(Request r) {
        StringBuilder entry = new StringBuilder(r.method).append(" /").append(r.fileSystem);
        if (!r.path.isEmpty()) {
            entry.append('/').append(r.path);
        }
        for (String kind : List.of("restype", "resource", "action", "comp", "mode")) {
            String value = r.query.get(kind);
            if (value != null) {
                entry.append('?').append(kind).append('=').append(value);
                break;
            }
        }
        requests.add(entry.toString());
        StringBuilder raw = new StringBuilder(r.method).append(' ').append(r.exchange.getRequestURI().getRawPath());
        if (r.exchange.getRequestURI().getRawQuery() != null) {
            raw.append('?').append(r.exchange.getRequestURI().getRawQuery());
        }
        for (String name : List.of("x-ms-range", "Range", "x-ms-rename-source", "If-Match", "If-None-Match")) {
            if (r.header(name) != null) {
                raw.append(" [").append(name).append(": ").append(r.header(name)).append(']');
            }
        }
        rawRequests.add(raw.toString());
        if (DEBUG) {
            System.err.println("[fake-adls] " + raw);
        }
    }

    private static Map<String, String> etagHeaders(String etag, Instant lastModified) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", "\"" + etag + "\"");
        headers.put("Last-Modified", HTTP_DATE.format(lastModified));
        return headers;
    }

    private void fileSystemNotFound(Request r) throws IOException {
        if (r.blobStyle) {
            error(r, 404, "ContainerNotFound", "The specified container does not exist.");
        } else {
            error(r, 404, "FilesystemNotFound", "The specified filesystem does not exist.");
        }
    }

    private void pathConflict(Request r) throws IOException {
        error(r, 409, "PathConflict", "The specified path, or an element of the path, exists and its resource type is invalid for this operation.");
    }

    private void invalidPosition(Request r) throws IOException {
        error(r, 400, "InvalidFlushPosition", "The uploaded data is not contiguous or the position query parameter value is not equal to the length of the file after appending the uploaded data.");
    }

    private void unsupported(Request r) throws IOException {
        error(r, 400, "UnsupportedByFake", "FakeDataLakeServer does not implement " + r.method + " "
                + r.exchange.getRequestURI());
    }

    private void error(Request r, int status, String code, String message) throws IOException {
        error(r, status, code, message, new LinkedHashMap<>());
    }

    private void error(Request r, int status, String code, String message, Map<String, String> headers)
            throws IOException {
        String full = message + "\nRequestId:" + r.requestId + "\nTime:" + Instant.now();
        byte[] body;
        if (r.blobStyle) {
            headers.put("Content-Type", "application/xml");
            body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + xmlEscape(code) + "</Code><Message>"
                    + xmlEscape(full) + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        } else {
            headers.put("Content-Type", "application/json;charset=utf-8");
            body = ("{\"error\":{\"code\":\"" + jsonEscape(code) + "\",\"message\":\"" + jsonEscape(full) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
        }
        headers.put("x-ms-error-code", code);
        send(r, status, headers, body);
    }

    private void send(Request r, int status, Map<String, String> headers, byte[] body) throws IOException {
        Headers out = r.exchange.getResponseHeaders();
        headers.forEach(out::set);
        out.set("x-ms-request-id", r.requestId);
        out.set("x-ms-version", r.header("x-ms-version") != null ? r.header("x-ms-version") : DEFAULT_VERSION);
        if (r.header("x-ms-client-request-id") != null) {
            out.set("x-ms-client-request-id", r.header("x-ms-client-request-id"));
        }
        out.set("Server", "FakeDataLakeServer");
        byte[] payload = body == null ? new byte[0] : body;
        r.responded = true;
        if (r.is("HEAD") || status == 304) {
            // No body allowed; the JDK server would not derive Content-Length, so it must be set before
            // sendResponseHeaders(..., -1). The SDK reads the file size from it.
            out.set("Content-Length", String.valueOf(payload.length));
            r.exchange.sendResponseHeaders(status, -1);
        } else if (payload.length == 0) {
            r.exchange.sendResponseHeaders(status, -1); // -1 = no body; 0 would mean chunked
        } else {
            r.exchange.sendResponseHeaders(status, payload.length);
            try (OutputStream os = r.exchange.getResponseBody()) {
                os.write(payload);
            }
        }
    }

    /** Percent-decoding for paths: unlike URLDecoder, a '+' in a path is a literal plus. */
    private static String percentDecode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.toString();
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ------------------------------------------------------------------------------------------------
    // Types
    // ------------------------------------------------------------------------------------------------

    /** Immutable snapshot of a path; content arrays are never mutated after construction. */
    private record Node(boolean directory, byte[] content, String etag, Instant lastModified, Instant created) {
        static Node file(byte[] content, String etag, Instant lastModified, Instant created) {
            return new Node(false, content, etag, lastModified, created);
        }

        static Node directory(String etag, Instant lastModified, Instant created) {
            return new Node(true, new byte[0], etag, lastModified, created);
        }
    }

    private static final class FileSystem {
        final String etag;
        final Instant lastModified;
        final Map<String, Node> nodes = new ConcurrentHashMap<>();
        /** Appended but not yet flushed data per file: absolute position -> bytes. */
        final Map<String, ConcurrentSkipListMap<Long, byte[]>> uncommitted = new ConcurrentHashMap<>();
        final Set<String> vanishing = ConcurrentHashMap.newKeySet();

        FileSystem(String etag, Instant lastModified) {
            this.etag = etag;
            this.lastModified = lastModified;
        }
    }

    private static final class Request {
        final HttpExchange exchange;
        final String method;
        final String requestId = UUID.randomUUID().toString();
        final Map<String, String> query = new LinkedHashMap<>();
        String fileSystem;
        String path;
        boolean accountMismatch;
        boolean blobStyle;
        boolean responded;

        Request(HttpExchange exchange) {
            this.exchange = exchange;
            this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        }

        boolean is(String m) {
            return method.equals(m);
        }

        String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        byte[] body() throws IOException {
            try (InputStream in = exchange.getRequestBody()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toByteArray();
            }
        }
    }
}

package dev.encore.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Reads a streaming-history JSON file one record at a time (Jackson's streaming parser: memory
 * stays flat whatever the file size). {@link #open} reads up to the first record and decides
 * what the file is; {@link #next} then hands out records until the end.
 *
 * <p>A problem with the file as a whole (not JSON, truncated, not an array, empty) is an
 * {@link UnreadableExportException}; a bad value inside one record skips that record and is
 * remembered as a {@link RecordRejection}.
 */
public final class StreamingHistoryReader implements Closeable {
    /** Kept detailed reasons per file; the count covers all of them. */
    public static final int MAX_KEPT_REJECTIONS = 100;

    private static final JsonFactory JSON = JsonFactory.builder()
            // Room for a freak 10 MB value, which the mapper then refuses as one record. A longer value in
            // a field Encore reads fails the file: the parser cannot resume inside a value it gave up on.
            // (Values of fields it does not read are skipped unbuffered, whatever their size.) Nesting is
            // checked even while skipping, one small context a level: Jackson's default of 1000 levels.
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(32_000_000).maxNestingDepth(1000).build())
            .build();
    private static final Set<String> STREAM_KEYS = Set.of("ts", "ms_played", "endTime", "msPlayed");
    /** How many leading records may be damaged before the file is given up as unreadable. */
    private static final int DETECTION_WINDOW = 100;

    private final JsonParser parser;
    private final String fileName;
    private final RawRecord raw = new RawRecord();
    private ExportFormat format;
    private String notHistoryReason;
    private RecordMapper mapper;
    private StreamRecord pending;
    private int recordsRead;
    private int recordsRejected;
    private final List<RecordRejection> rejections = new ArrayList<>();

    private StreamingHistoryReader(JsonParser parser, String fileName) {
        this.parser = parser;
        this.fileName = fileName;
    }

    /**
     * @param fileName the file's name, for messages and for the two facts no key carries (see {@link RecordMapper})
     */
    public static StreamingHistoryReader open(InputStream in, String fileName) throws UnreadableExportException, IOException {
        StreamingHistoryReader reader = new StreamingHistoryReader(JSON.createParser(in), fileName);
        try {
            reader.start();
        } catch (UnreadableExportException | IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    /** The schema of the records, or null when the file is valid JSON but not a streaming history. */
    public ExportFormat format() {
        return format;
    }

    /** Why the file is not a streaming history (when {@link #format()} is null). */
    public String notHistoryReason() {
        return notHistoryReason;
    }

    /** The next good record, or null at the end of the file. */
    public StreamRecord next() throws UnreadableExportException, IOException {
        if (pending != null) {
            StreamRecord r = pending;
            pending = null;
            return r;
        }
        try {
            while (true) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    if (parser.nextToken() != null) {
                        throw new UnreadableExportException("has more JSON after the closing ] of the array" + at(parser.currentLocation()));
                    }
                    return null;
                }
                if (token == null) {
                    throw new UnreadableExportException("ends before the closing ] of its array: the file is truncated");
                }
                recordsRead++;
                if (token != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    reject("is " + describe(token) + ", not a JSON object");
                    continue;
                }
                raw.read(parser, false);
                StreamRecord r = mapOrReject();
                if (r != null) {
                    return r;
                }
            }
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
    }

    public int recordsRead() {
        return recordsRead;
    }

    public int recordsRejected() {
        return recordsRejected;
    }

    public List<RecordRejection> rejections() {
        return Collections.unmodifiableList(rejections);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    private void start() throws UnreadableExportException, IOException {
        try {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new UnreadableExportException("is empty: it holds no JSON at all");
            }
            if (first == JsonToken.START_OBJECT) {
                classifyObject();
                return;
            }
            if (first != JsonToken.START_ARRAY) {
                throw new UnreadableExportException("is " + describe(first) + ", not a JSON array of streams");
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                throw new UnreadableExportException("holds an empty JSON array: there are no streams in it");
            }
            if (token != JsonToken.START_OBJECT) {
                throw new UnreadableExportException("is an array of " + plural(token) + ", not of stream records");
            }
            detect(token);
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
    }

    /**
     * Decides the format from the keys of the first record. A first record that has some of the
     * stream keys but not enough for any format is a damaged record, not a sign of another kind
     * of file: it is rejected and the next records are looked at, up to {@link #DETECTION_WINDOW}.
     */
    private void detect(JsonToken first) throws IOException, UnreadableExportException {
        JsonToken token = first;
        List<RecordRejection> damaged = new ArrayList<>();
        while (true) {
            recordsRead++;
            if (token != JsonToken.START_OBJECT) {
                parser.skipChildren();
                damaged.add(new RecordRejection(recordsRead, "is " + describe(token) + ", not a JSON object"));
            } else {
                raw.read(parser, true);
                format = ExportFormat.detect(raw.keys()).orElse(null);
                if (format != null) {
                    break;
                }
                if (damaged.isEmpty() && raw.keys().stream().noneMatch(STREAM_KEYS::contains)) {
                    notHistoryReason = "is not a streaming history: its records have the keys " + keyList(raw.keys());
                    return;
                }
                damaged.add(new RecordRejection(recordsRead,
                        "has the keys " + keyList(raw.keys()) + ", not those of any streaming history format"));
            }
            token = parser.nextToken();
            if (token == JsonToken.END_ARRAY || token == null || recordsRead >= DETECTION_WINDOW) {
                throw new UnreadableExportException("has no record with the keys of a streaming history format among its first "
                        + recordsRead + " records; the first has: " + (raw.keys() == null ? "no keys" : keyList(raw.keys())));
            }
        }
        damaged.forEach(d -> reject(d.recordNumber(), d.reason()));
        mapper = new RecordMapper(format, fileName);
        pending = mapOrReject();
    }

    /** A top-level object is either another file of the export (skipped) or a record outside its array (an error). */
    private void classifyObject() throws IOException, UnreadableExportException {
        Set<String> keys = new java.util.LinkedHashSet<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            keys.add(parser.currentName());
            parser.nextToken();
            parser.skipChildren();
        }
        if (keys.stream().anyMatch(STREAM_KEYS::contains)) {
            throw new UnreadableExportException(
                    "holds a single JSON object where a JSON array of stream records was expected");
        }
        notHistoryReason = "is not a streaming history: it is a JSON object with the keys " + keyList(keys);
    }

    private StreamRecord mapOrReject() {
        try {
            return mapper.map(raw);
        } catch (RejectedRecordException e) {
            reject(e.getMessage());
            return null;
        }
    }

    private void reject(String reason) {
        reject(recordsRead, reason);
    }

    private void reject(int recordNumber, String reason) {
        recordsRejected++;
        if (rejections.size() < MAX_KEPT_REJECTIONS) {
            rejections.add(new RecordRejection(recordNumber, reason));
        }
    }

    private static UnreadableExportException unreadable(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e instanceof JsonEOFException || (message != null && message.startsWith("Unexpected end-of-input"))) {
            return new UnreadableExportException("ends in the middle of a JSON value" + at(e.getLocation())
                    + ": the file is truncated", e);
        }
        if (e instanceof StreamConstraintsException) {
            return new UnreadableExportException("has a value larger than Encore reads: " + e.getOriginalMessage(), e);
        }
        return new UnreadableExportException("is not valid JSON" + at(e.getLocation()) + ": " + message, e);
    }

    private static String at(JsonLocation loc) {
        return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static String keyList(Set<String> keys) {
        List<String> shown = keys.stream().limit(8).toList();
        return String.join(", ", shown) + (keys.size() > shown.size() ? ", ..." : "");
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String plural(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "arrays";
            case VALUE_STRING -> "texts";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "numbers";
            case VALUE_TRUE, VALUE_FALSE -> "booleans";
            case VALUE_NULL -> "nulls";
            default -> t.toString();
        };
    }
}

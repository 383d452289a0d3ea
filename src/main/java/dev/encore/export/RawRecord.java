package dev.encore.export;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The values of one JSON record, read with the streaming parser into a reused holder: only the
 * keys Encore knows are kept, so memory stays flat whatever the file holds. A value of an
 * unexpected shape (object, array, huge number) is kept as a {@link Malformed} marker so the
 * mapper can name it when it refuses the record.
 */
final class RawRecord {

    /** Every key of every export generation that Encore reads. */
    enum Key {
        TS("ts"), MS_PLAYED("ms_played"), PLATFORM("platform"), CONN_COUNTRY("conn_country"),
        TRACK_NAME("master_metadata_track_name"), ALBUM_ARTIST_NAME("master_metadata_album_artist_name"),
        ALBUM_NAME("master_metadata_album_album_name"), TRACK_URI("spotify_track_uri"),
        EPISODE_NAME("episode_name"), EPISODE_SHOW_NAME("episode_show_name"), EPISODE_URI("spotify_episode_uri"),
        AUDIOBOOK_TITLE("audiobook_title"), AUDIOBOOK_URI("audiobook_uri"),
        AUDIOBOOK_CHAPTER_URI("audiobook_chapter_uri"), AUDIOBOOK_CHAPTER_TITLE("audiobook_chapter_title"),
        REASON_START("reason_start"), REASON_END("reason_end"), SHUFFLE("shuffle"), SKIPPED("skipped"),
        OFFLINE("offline"), OFFLINE_TIMESTAMP("offline_timestamp"), INCOGNITO_MODE("incognito_mode"),
        END_TIME("endTime"), MS_PLAYED_ACCOUNT("msPlayed"), ARTIST_NAME("artistName"), TRACK_NAME_ACCOUNT("trackName"),
        PODCAST_NAME("podcastName"), EPISODE_NAME_ACCOUNT("episodeName"),
        AUDIOBOOK_NAME("audiobookName"), CHAPTER_NAME("chapterName"), AUTHOR_NAME("authorName");

        private static final Map<String, Key> BY_JSON_NAME = new HashMap<>();

        static {
            for (Key k : values()) {
                BY_JSON_NAME.put(k.jsonName, k);
            }
        }

        final String jsonName;

        Key(String jsonName) {
            this.jsonName = jsonName;
        }

        static Key of(String jsonName) {
            return BY_JSON_NAME.get(jsonName);
        }
    }

    /** A value whose JSON shape no key of a stream record can have. */
    record Malformed(String description) {
    }

    private final Object[] values = new Object[Key.values().length];
    private final boolean[] present = new boolean[Key.values().length];
    private Set<String> allKeys;

    /** Reads the object whose START_OBJECT the parser is on; with {@code collectKeys} it also keeps every key name. */
    void read(JsonParser parser, boolean collectKeys) throws IOException {
        Arrays.fill(values, null);
        Arrays.fill(present, false);
        allKeys = collectKeys ? new LinkedHashSet<>() : null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (allKeys != null) {
                allKeys.add(name);
            }
            JsonToken token = parser.nextToken();
            Key key = Key.of(name);
            if (key == null) {
                parser.skipChildren();
                continue;
            }
            present[key.ordinal()] = true;
            values[key.ordinal()] = switch (token) {
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? new Malformed("a number too large (" + parser.getText() + ")")
                        : (Object) parser.getLongValue();
                case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case START_OBJECT, START_ARRAY -> {
                    parser.skipChildren();
                    yield new Malformed(token == JsonToken.START_OBJECT ? "an object" : "an array");
                }
                default -> new Malformed("an unexpected " + token);
            };
        }
    }

    Set<String> keys() {
        return allKeys;
    }

    boolean has(Key key) {
        return present[key.ordinal()];
    }

    Object value(Key key) {
        return values[key.ordinal()];
    }
}

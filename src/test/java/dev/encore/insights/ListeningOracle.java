package dev.encore.insights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The expected answers, worked out from the raw export JSON by a second, deliberately plain
 * implementation of the rules in docs/insights.md. It shares no code with Encore.
 */
final class ListeningOracle {
    private static final DateTimeFormatter ACCOUNT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** One stream as the export states it. */
    record Stream(Instant end, int ms, boolean music, boolean podcast, String artist, String track, String album,
            String uri, String show, String episode, Boolean skipped, boolean incognito) {
    }

    record Totals(long ms, int plays, int streams, int tracks, int artists, int albums, int days) {
    }

    /** One row of a top list: the normalised key, ms and plays. */
    record Top(String key, long ms, int plays) {
    }

    private final List<Stream> streams;

    private ListeningOracle(List<Stream> streams) {
        this.streams = streams;
    }

    /** Reads the files as they are, and keeps one of each (end, ms, creator, title), as a re-upload would. */
    static ListeningOracle read(List<Path> files) throws IOException {
        Map<String, Stream> unique = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (Path file : files) {
            boolean video = file.getFileName().toString().contains("Video");
            String name = file.getFileName().toString();
            for (JsonNode r : json.readTree(file.toFile())) {
                Stream s = r.has("ts") ? extended(r, video) : account(r, name);
                String creator = s.podcast() ? s.show() : s.artist();
                String title = s.podcast() ? s.episode() : s.track();
                unique.putIfAbsent(s.end() + "|" + s.ms() + "|" + norm(creator) + "|" + norm(title), s);
            }
        }
        return new ListeningOracle(new ArrayList<>(unique.values()));
    }

    private static Stream extended(JsonNode r, boolean video) {
        String track = text(r, "master_metadata_track_name");
        String uri = text(r, "spotify_track_uri");
        boolean audiobook = text(r, "audiobook_title") != null || text(r, "audiobook_uri") != null
                || text(r, "audiobook_chapter_uri") != null;
        boolean music = !audiobook && (track != null || uri != null);
        boolean podcast = !audiobook && !music && !video && (text(r, "episode_name") != null || text(r, "spotify_episode_uri") != null);
        JsonNode skipped = r.get("skipped");
        return new Stream(Instant.parse(r.get("ts").asText()), r.get("ms_played").asInt(), music, podcast,
                text(r, "master_metadata_album_artist_name"), track, text(r, "master_metadata_album_album_name"), uri,
                text(r, "episode_show_name"), text(r, "episode_name"),
                skipped == null || skipped.isNull() ? null : skipped.asBoolean(),
                r.path("incognito_mode").asBoolean(false));
    }

    private static Stream account(JsonNode r, String fileName) {
        Instant end = LocalDateTime.parse(r.get("endTime").asText(), ACCOUNT_TIME).toInstant(ZoneOffset.UTC);
        int ms = r.get("msPlayed").asInt();
        if (fileName.contains("podcast")) {
            return new Stream(end, ms, false, true, null, null, null, null, text(r, "podcastName"), text(r, "episodeName"),
                    null, false);
        }
        if (fileName.contains("audiobook")) {
            return new Stream(end, ms, false, false, text(r, "authorName"), null, null, null, null, null, null, false);
        }
        return new Stream(end, ms, true, false, text(r, "artistName"), text(r, "trackName"), null, null, null, null,
                null, false);
    }

    /** A play the Web API's recently-played listed: its track, Spotify's played_at, and the track's duration. */
    record Polled(Instant playedAt, String uri, String artist, String track, String album, int durationMs) {
    }

    /**
     * The exports' streams and every polled play that none of them is, the rule of
     * docs/reconciliation.md stated plainly: a polled play is an export stream of the same track
     * (URI or names) whose [end - ms played - 90 s, end + 90 s] holds its played_at, each export
     * stream at most once, earlier plays choosing first among the earliest-ending streams. A polled
     * play that is no export stream counts as music of the track's full duration.
     */
    ListeningOracle withPolled(List<Polled> polled) {
        List<Stream> exported = new ArrayList<>(streams);
        exported.sort(Comparator.comparing(Stream::end));
        boolean[] used = new boolean[exported.size()];
        List<Stream> all = new ArrayList<>(streams);
        List<Polled> inOrder = new ArrayList<>(polled);
        inOrder.sort(Comparator.comparing(Polled::playedAt));
        for (Polled p : inOrder) {
            boolean found = false;
            for (int i = 0; i < exported.size() && !found; i++) {
                Stream s = exported.get(i);
                boolean sameTrack = p.uri().equals(s.uri())
                        || (norm(p.artist()) + "|" + norm(p.track())).equals(norm(s.artist()) + "|" + norm(s.track()));
                Instant earliest = s.end().minusMillis(s.ms()).minusSeconds(90);
                Instant latest = s.end().plusSeconds(90);
                if (!used[i] && s.music() && sameTrack && !p.playedAt().isBefore(earliest) && !p.playedAt().isAfter(latest)) {
                    used[i] = true;
                    found = true;
                }
            }
            if (!found) {
                all.add(new Stream(p.playedAt(), p.durationMs(), true, false, p.artist(), p.track(), p.album(), p.uri(),
                        null, null, null, false));
            }
        }
        return new ListeningOracle(all);
    }

    private List<Stream> music(LocalDate from, LocalDate to, ZoneId zone) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.atStartOfDay(zone).toInstant();
        return streams.stream().filter(s -> s.music() && !s.incognito() && !s.end().isBefore(start) && s.end().isBefore(end))
                .toList();
    }

    static boolean play(Stream s) {
        return s.ms() >= 30_000;
    }

    Totals totals(LocalDate from, LocalDate to, ZoneId zone) {
        List<Stream> in = music(from, to, zone);
        List<Stream> plays = in.stream().filter(ListeningOracle::play).toList();
        return new Totals(in.stream().mapToLong(Stream::ms).sum(), plays.size(), in.size(),
                distinct(plays, s -> trackKey(s)), distinct(plays, s -> norm(s.artist())),
                distinct(plays, s -> s.album() == null ? "" : norm(s.album()) + "|" + norm(s.artist())),
                distinct(plays, s -> s.end().atZone(zone).toLocalDate().toString()));
    }

    long[] msByHour(LocalDate from, LocalDate to, ZoneId zone) {
        long[] hours = new long[24];
        music(from, to, zone).forEach(s -> hours[s.end().atZone(zone).getHour()] += s.ms());
        return hours;
    }

    long[] msByWeekday(LocalDate from, LocalDate to, ZoneId zone) {
        long[] days = new long[7];
        music(from, to, zone).forEach(s -> days[s.end().atZone(zone).getDayOfWeek().getValue() - 1] += s.ms());
        return days;
    }

    Map<String, Long> msByDay(LocalDate from, LocalDate to, ZoneId zone) {
        Map<String, Long> days = new java.util.TreeMap<>();
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
            days.put(d.toString(), 0L);
        }
        music(from, to, zone).forEach(s -> days.merge(s.end().atZone(zone).toLocalDate().toString(), (long) s.ms(), Long::sum));
        return days;
    }

    List<Top> topTracks(LocalDate from, LocalDate to, ZoneId zone, boolean byPlays, int limit) {
        return top(music(from, to, zone), ListeningOracle::trackKey, s -> norm(s.track()), byPlays, limit);
    }

    List<Top> topArtists(LocalDate from, LocalDate to, ZoneId zone, boolean byPlays, int limit) {
        return top(music(from, to, zone).stream().filter(s -> !norm(s.artist()).isEmpty()).toList(),
                s -> norm(s.artist()), s -> norm(s.artist()), byPlays, limit);
    }

    /** Artists with a play in the period and no music stream at all before it. */
    int newArtists(LocalDate from, LocalDate to, ZoneId zone) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Set<String> before = streams.stream().filter(s -> s.music() && !s.incognito() && s.end().isBefore(start))
                .map(s -> norm(s.artist())).collect(Collectors.toSet());
        return (int) music(from, to, zone).stream().filter(ListeningOracle::play).map(s -> norm(s.artist()))
                .filter(a -> !a.isEmpty() && !before.contains(a)).distinct().count();
    }

    int longestStreak(LocalDate from, LocalDate to, ZoneId zone) {
        TreeSet<LocalDate> days = music(from, to, zone).stream().filter(ListeningOracle::play)
                .map(s -> s.end().atZone(zone).toLocalDate()).collect(Collectors.toCollection(TreeSet::new));
        int best = 0;
        int run = 0;
        LocalDate last = null;
        for (LocalDate d : days) {
            run = last != null && last.plusDays(1).equals(d) ? run + 1 : 1;
            best = Math.max(best, run);
            last = d;
        }
        return best;
    }

    Double skipRate(LocalDate from, LocalDate to, ZoneId zone) {
        List<Stream> known = music(from, to, zone).stream().filter(s -> s.skipped() != null).toList();
        return known.isEmpty() ? null : known.stream().filter(Stream::skipped).count() / (double) known.size();
    }

    long podcastMs(LocalDate from, LocalDate to, ZoneId zone) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.atStartOfDay(zone).toInstant();
        return streams.stream().filter(s -> s.podcast() && !s.incognito() && !s.end().isBefore(start) && s.end().isBefore(end))
                .mapToLong(Stream::ms).sum();
    }

    ZonedDateTime first(ZoneId zone) {
        return streams.stream().map(Stream::end).min(Comparator.naturalOrder()).orElseThrow().atZone(zone);
    }

    private static List<Top> top(List<Stream> in, Function<Stream, String> key, Function<Stream, String> name,
            boolean byPlays, int limit) {
        Map<String, long[]> tally = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Stream s : in) {
            long[] t = tally.computeIfAbsent(key.apply(s), k -> new long[2]);
            t[0] += s.ms();
            t[1] += play(s) ? 1 : 0;
            names.putIfAbsent(key.apply(s), name.apply(s));
        }
        Comparator<Map.Entry<String, long[]>> order = Comparator.comparingLong(e -> -e.getValue()[byPlays ? 1 : 0]);
        return tally.entrySet().stream().sorted(order.thenComparing(e -> names.get(e.getKey())))
                .limit(limit).map(e -> new Top(names.get(e.getKey()), e.getValue()[0], (int) e.getValue()[1])).toList();
    }

    private static int distinct(List<Stream> in, Function<Stream, String> key) {
        return (int) in.stream().map(key).filter(k -> !k.isEmpty()).distinct().count();
    }

    private static String trackKey(Stream s) {
        String artist = norm(s.artist());
        String track = norm(s.track());
        return artist.isEmpty() && track.isEmpty() ? "uri:" + s.uri() : artist + "|" + track;
    }

    static String norm(String s) {
        if (s == null) {
            return "";
        }
        String n = s.trim().toLowerCase(Locale.ROOT);
        return n.equals("unknown artist") || n.equals("unknown track") ? "" : n;
    }

    private static String text(JsonNode r, String key) {
        JsonNode n = r.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }
}

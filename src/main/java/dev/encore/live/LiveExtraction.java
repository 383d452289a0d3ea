package dev.encore.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.connect.ReconnectNeededException;
import dev.encore.connect.UserTokens;
import dev.encore.lake.RawFile;
import dev.encore.lake.RawZone;
import dev.encore.live.LiveTicks.Claim;
import dev.encore.spotify.SpotifyCaller;
import dev.encore.spotify.SpotifyPause;
import dev.encore.spotify.SpotifyUnavailableException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hourly extraction's steps for the routes (routes/live-extraction.camel.yaml): a user's
 * poll begins with a token and a plan from the cursors, each call gets its share of the budget
 * and its headers, and each 200 answer is written to the raw zone, then moves its cursor and
 * plans what it calls for (next pages, the items of a changed playlist).
 */
public final class LiveExtraction {
    private static final Logger LOG = LoggerFactory.getLogger(LiveExtraction.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The exchange property holding the claim of the poll under way. */
    static final String CLAIM = "EncoreLiveClaim";
    private static final List<String> TIME_RANGES = List.of("short_term", "medium_term", "long_term");

    private final LiveTicks ticks;
    private final LiveCursors cursors;
    private final UserTokens tokens;
    private final RawZone lake;
    private final SpotifyPause pause;
    private final LiveStats stats;
    private final Clock clock;
    private final Duration topInterval;
    private final Duration libraryInterval;
    private final int concurrency;

    public LiveExtraction(LiveTicks ticks, LiveCursors cursors, UserTokens tokens, RawZone lake, SpotifyPause pause,
            LiveStats stats, Clock clock, Duration topInterval, Duration libraryInterval, int concurrency) {
        this.ticks = ticks;
        this.cursors = cursors;
        this.tokens = tokens;
        this.lake = lake;
        this.pause = pause;
        this.stats = stats;
        this.clock = clock;
        this.topInterval = topInterval;
        this.libraryInterval = libraryInterval;
        this.concurrency = concurrency;
    }

    /** One item per worker of this replica ({@code encore.live.concurrency}), for the parallel split. */
    public List<Integer> workers() {
        return IntStream.rangeClosed(1, concurrency).boxed().toList();
    }

    /** Starts a claimed user's poll: a token, then the calls the cursors ask for. */
    public UserPoll begin(Claim claim) throws SQLException, InterruptedException {
        UserPoll poll = new UserPoll(claim, tokens, stats);
        Optional<Instant> paused = pause.activeUntil();
        if (paused.isPresent()) {
            poll.stop(UserPoll.PAUSED, "Spotify asked for a pause until " + paused.get());
            return poll;
        }
        String user = claim.user();
        try {
            poll.authorize(tokens.bearer(user));
        } catch (ReconnectNeededException e) {
            poll.stop(UserPoll.RECONNECT, e.getMessage());
            return poll;
        } catch (SpotifyUnavailableException e) {
            poll.stop(UserPoll.FAILED, e.getMessage());
            return poll;
        }
        poll.plan(LiveRequest.recentlyPlayed(cursors.get(user, LiveCursors.RECENTLY_PLAYED).orElse(null)));
        if (due(user, LiveCursors.LIBRARY, libraryInterval)) {
            poll.plan(LiveRequest.playlists(0));
            poll.savedStored = cursors.get(user, LiveCursors.SAVED_TRACKS).orElse(null);
            poll.plan(LiveRequest.savedTracks(0));
        }
        if (due(user, LiveCursors.TOP, topInterval)) {
            for (String range : TIME_RANGES) {
                poll.plan(LiveRequest.top(LiveKind.TOP_TRACKS, range));
                poll.plan(LiveRequest.top(LiveKind.TOP_ARTISTS, range));
                poll.topPlanned += 2;
            }
        }
        return poll;
    }

    /** Whether what {@code cursor} records the last full read of is due again. */
    private boolean due(String user, String cursor, Duration interval) throws SQLException {
        Optional<String> last = cursors.get(user, cursor);
        return last.isEmpty() || !clock.instant().isBefore(Instant.parse(last.get()).plus(interval));
    }

    /** The playlists listing and the saved tracks scan both ended: the library was read now. */
    private void libraryPartDone(UserPoll poll, Instant fetched) throws SQLException {
        if (++poll.libraryPartsDone == 2) {
            cursors.set(poll.user(), LiveCursors.LIBRARY, fetched.toString());
        }
    }

    /** Whether the poll has calls left that may go now: none during a pause (any flow's, any replica's). */
    public boolean hasNextCall(UserPoll poll) throws SQLException {
        if (!poll.going()) {
            return false;
        }
        Optional<Instant> paused = pause.activeUntil();
        if (paused.isPresent()) {
            poll.stop(UserPoll.PAUSED, "Spotify asked for a pause until " + paused.get());
            return false;
        }
        return true;
    }

    /**
     * The next call, once the tick's budget granted it; null when it was deferred (then the rest of
     * its kind waits for a later tick too, and no cursor of it moves).
     */
    public LiveRequest nextCall(UserPoll poll) throws SQLException {
        LiveRequest request = poll.take();
        if (ticks.reserve(poll.claim().tickId(), request.kind().essential())) {
            return request;
        }
        int dropped = 1 + switch (request.kind()) {
            case TOP_TRACKS, TOP_ARTISTS -> poll.drop(LiveKind.TOP_TRACKS, null) + poll.drop(LiveKind.TOP_ARTISTS, null);
            case PLAYLIST_ITEMS -> poll.drop(LiveKind.PLAYLIST_ITEMS, request.playlistId());
            default -> poll.drop(request.kind(), null);
        };
        poll.deferred(dropped);
        LOG.info("{} for {} deferred to a later tick: the daily call budget is spent", request.kind().endpoint(), poll.user());
        return null;
    }

    /** The body (a LiveRequest) as the headers camel-http sends, with the user's bearer token. */
    public void prepare(Exchange exchange) throws Exception {
        UserPoll poll = exchange.getProperty(SpotifyCaller.PROPERTY, UserPoll.class);
        Message in = exchange.getMessage();
        LiveRequest request = in.getMandatoryBody(LiveRequest.class);
        in.setHeader("Authorization", poll.authorization());
        in.setHeader(Exchange.HTTP_METHOD, "GET");
        in.setHeader(Exchange.HTTP_PATH, request.path());
        in.setHeader(Exchange.HTTP_QUERY, request.query());
        in.setHeader("Accept", "application/json");
        in.setBody(null);
        poll.called();
    }

    /**
     * A 200 answer: written to the raw zone as it came, and only then the cursor it stands for moves
     * and what it calls for is planned.
     */
    public void store(Exchange exchange) throws Exception {
        UserPoll poll = exchange.getProperty(SpotifyCaller.PROPERTY, UserPoll.class);
        LiveRequest request = poll.current();
        byte[] bytes = exchange.getMessage().getMandatoryBody(byte[].class);
        exchange.getMessage().setBody(null);
        Instant fetched = clock.instant();
        RawFile file = new RawFile(request.kind().raw(), poll.user(), fetched, request.detail());
        try {
            lake.write(file, bytes);
        } catch (IOException e) {
            // not a Spotify failure: no retry of the call; the cursor stays, the next tick asks again
            throw new IllegalStateException("Could not write " + file.path() + " to the lake: " + e, e);
        }
        poll.written(file.path());
        JsonNode answer = JSON.readTree(bytes);
        String user = poll.user();
        switch (request.kind()) {
            case RECENTLY_PLAYED -> recentlyPlayed(poll, answer);
            case PLAYLISTS -> {
                if (playlists(poll, request, answer)) {
                    libraryPartDone(poll, fetched);
                }
            }
            case PLAYLIST_ITEMS -> {
                if (hasNext(answer)) {
                    poll.plan(LiveRequest.playlistItems(request.playlistId(), request.snapshotId(), request.offset() + LiveRequest.LIMIT));
                } else {
                    cursors.set(user, LiveCursors.PLAYLIST + request.playlistId(), request.snapshotId());
                }
            }
            case TOP_TRACKS, TOP_ARTISTS -> {
                if (++poll.topWritten == poll.topPlanned) {
                    cursors.set(user, LiveCursors.TOP, fetched.toString());
                }
            }
            case SAVED_TRACKS -> {
                if (savedTracks(poll, request, answer)) {
                    libraryPartDone(poll, fetched);
                }
            }
        }
    }

    private void recentlyPlayed(UserPoll poll, JsonNode answer) throws SQLException {
        JsonNode items = answer.path("items");
        poll.played(items.size());
        Instant newest = null;
        for (JsonNode item : items) {
            Instant playedAt = instant(item.path("played_at").asText(null));
            if (playedAt != null && (newest == null || playedAt.isAfter(newest))) {
                newest = playedAt;
            }
        }
        if (newest != null) {
            cursors.set(poll.user(), LiveCursors.RECENTLY_PLAYED, Long.toString(newest.toEpochMilli()));
        }
        if (items.size() >= LiveRequest.LIMIT) {
            poll.fullPage();
            LOG.info("{} played {} or more tracks since the last tick: plays older than the 50 most recent may be missing "
                    + "until an export fills the gap", poll.user(), LiveRequest.LIMIT);
        }
    }

    /** The user's playlists: the items of those whose items they may read and whose snapshot changed. True on the last page. */
    private boolean playlists(UserPoll poll, LiveRequest request, JsonNode answer) throws SQLException {
        for (JsonNode playlist : answer.path("items")) {
            String id = playlist.path("id").asText(null);
            String snapshot = playlist.path("snapshot_id").asText(null);
            // Spotify sends "items" (the reference to them) only for playlists the user owns or collaborates on;
            // asking for another's items is a 403 (reference/spotify.md 1.4, 3)
            boolean readable = playlist.path("items").isObject() || playlist.path("collaborative").asBoolean(false);
            if (id == null || snapshot == null || !readable) {
                continue;
            }
            if (!cursors.get(poll.user(), LiveCursors.PLAYLIST + id).map(snapshot::equals).orElse(false)) {
                poll.plan(LiveRequest.playlistItems(id, snapshot, 0));
            }
        }
        if (hasNext(answer)) {
            poll.plan(LiveRequest.playlists(request.offset() + LiveRequest.LIMIT));
            return false;
        }
        return true;
    }

    /** Saved tracks come newest first: read on until one is not newer than the newest already read. True when done. */
    private boolean savedTracks(UserPoll poll, LiveRequest request, JsonNode answer) throws SQLException {
        Instant stored = instant(poll.savedStored);
        boolean reachedStored = false;
        for (JsonNode item : answer.path("items")) {
            Instant added = instant(item.path("added_at").asText(null));
            if (added == null) {
                continue;
            }
            if (poll.savedNewest == null || added.isAfter(instant(poll.savedNewest))) {
                poll.savedNewest = added.toString();
            }
            if (stored != null && !added.isAfter(stored)) {
                reachedStored = true;
                break;
            }
        }
        if (!reachedStored && hasNext(answer)) {
            poll.plan(LiveRequest.savedTracks(request.offset() + LiveRequest.LIMIT));
            return false;
        }
        if (poll.savedNewest != null && (stored == null || instant(poll.savedNewest).isAfter(stored))) {
            cursors.set(poll.user(), LiveCursors.SAVED_TRACKS, poll.savedNewest);
        }
        return true;
    }

    /** After an unexpected failure (the lake, the database): this user waits for the next tick, the others go on. */
    public void crashed(Exchange exchange) throws SQLException {
        UserPoll poll = exchange.getProperty(SpotifyCaller.PROPERTY, UserPoll.class);
        Claim claim = exchange.getProperty(CLAIM, Claim.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String why = e == null ? "?" : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (poll != null) {
            poll.stop(UserPoll.FAILED, why);
        } else if (claim != null) {
            // the poll could not even begin (the database): its row says so, nobody else waits for the lease
            ticks.finish(claim, UserPoll.FAILED, 0, 0, 0, why);
            stats.user(UserPoll.FAILED);
        }
        LOG.warn("The poll of {} failed ({}); the next tick tries again", claim == null ? "a user" : claim.user(), why);
    }

    /** Records how the poll ended, for the tick and this process's summary. */
    public void finish(UserPoll poll) throws SQLException {
        if (poll == null) {
            return;
        }
        ticks.finish(poll.claim(), poll.status(), poll.calls(), poll.rawFiles(), poll.deferredCalls(), poll.note());
        stats.user(poll.status());
        if (poll.status().equals(UserPoll.FAILED) || poll.status().equals(UserPoll.RECONNECT)) {
            LOG.warn("Live poll of {}: {} ({})", poll.user(), poll.status(), poll.note());
        } else {
            LOG.debug("Live poll of {}: {}, {} call(s), {} raw file(s), {} play(s)", poll.user(), poll.status(), poll.calls(),
                    poll.rawFiles(), poll.plays());
        }
    }

    private static boolean hasNext(JsonNode answer) {
        return answer.hasNonNull("next") && !answer.path("next").asText("").isEmpty();
    }

    private static Instant instant(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

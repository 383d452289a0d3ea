package dev.encore.live;

import dev.encore.connect.ReconnectNeededException;
import dev.encore.connect.UserTokens;
import dev.encore.live.LiveTicks.Claim;
import dev.encore.spotify.SpotifyCaller;
import java.util.Comparator;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user's poll in one tick, carried through the routes as the exchange property
 * {@link SpotifyCaller#PROPERTY}: the calls still to make (by {@link LiveKind} priority), what
 * was done, and how the poll ends. Confined to the one worker that claimed the user.
 */
public final class UserPoll implements SpotifyCaller {
    private static final Logger LOG = LoggerFactory.getLogger(UserPoll.class);

    /** How a poll ends, as {@code live_poll.status}. */
    static final String POLLED = "polled";
    static final String RECONNECT = "reconnect";
    static final String FAILED = "failed";
    static final String PAUSED = "paused";

    private final Claim claim;
    private final UserTokens tokens;
    private final LiveStats stats;
    private final PriorityQueue<Queued> queue = new PriorityQueue<>(
            Comparator.comparingInt((Queued q) -> q.request().kind().priority()).thenComparingInt(Queued::order));
    private int order;
    private String authorization;
    private String status = POLLED;
    private String note;
    private LiveRequest current;
    private int calls;
    private int rawFiles;
    private int deferred;
    private int plays;

    // what the answers so far leave to be done with the cursors
    String savedStored;
    String savedNewest;
    int topWritten;
    int topPlanned;
    int libraryPartsDone;

    private record Queued(LiveRequest request, int order) {
    }

    UserPoll(Claim claim, UserTokens tokens, LiveStats stats) {
        this.claim = claim;
        this.tokens = tokens;
        this.stats = stats;
    }

    public String user() {
        return claim.user();
    }

    Claim claim() {
        return claim;
    }

    void authorize(String authorization) {
        this.authorization = authorization;
    }

    String authorization() {
        return authorization;
    }

    void plan(LiveRequest request) {
        queue.add(new Queued(request, order++));
    }

    boolean going() {
        return status.equals(POLLED) && !queue.isEmpty();
    }

    /** The next planned call, now under way. */
    LiveRequest take() {
        current = queue.poll().request();
        return current;
    }

    LiveRequest current() {
        return current;
    }

    /** Drops what is planned of one kind (for playlist items: of one playlist); how many were dropped. */
    int drop(LiveKind kind, String playlistId) {
        int before = queue.size();
        queue.removeIf(q -> q.request().kind() == kind && (playlistId == null || playlistId.equals(q.request().playlistId())));
        return before - queue.size();
    }

    void deferred(int n) {
        deferred += n;
        stats.deferred(n);
    }

    void called() {
        calls++;
        stats.called(current.kind().endpoint());
    }

    void written(String path) {
        rawFiles++;
        stats.rawFile(path);
    }

    void played(int n) {
        plays += n;
        stats.plays(n);
    }

    void fullPage() {
        stats.fullPage();
    }

    /** Ends the poll: {@link #RECONNECT}, {@link #FAILED} or {@link #PAUSED}, with a reason for operators. */
    void stop(String status, String why) {
        if (this.status.equals(POLLED) || status.equals(RECONNECT)) {
            this.status = status;
            this.note = why;
        }
        queue.clear();
    }

    String status() {
        return status;
    }

    String note() {
        return note;
    }

    int calls() {
        return calls;
    }

    int rawFiles() {
        return rawFiles;
    }

    int deferredCalls() {
        return deferred;
    }

    int plays() {
        return plays;
    }

    // ---- what a failed call means (SpotifyFailures, routes/spotify-errors.camel.yaml) ----

    /** 401: the token Spotify refused is forgotten; one new one (a refresh) for the one retry. */
    @Override
    public String renewedAuthorization() throws Exception {
        tokens.invalidate(user());
        stats.tokenRenewed();
        try {
            authorization = tokens.bearer(user());
        } catch (ReconnectNeededException e) {
            stop(RECONNECT, e.getMessage());
        }
        calls++;
        stats.called(current.kind().endpoint());
        return authorization;
    }

    /** 4xx: a playlist whose items are not the user's to read (403) or gone (404) is skipped; anything else ends the poll. */
    @Override
    public void refused(int status, String message) {
        if (current.kind() == LiveKind.PLAYLIST_ITEMS && (status == 403 || status == 404)) {
            drop(LiveKind.PLAYLIST_ITEMS, current.playlistId());
            LOG.info("Playlist {} of {} skipped: {}", current.playlistId(), user(), message);
            return;
        }
        stop(FAILED, current.kind().endpoint() + " refused: " + message);
    }

    @Override
    public void failed(String why) {
        stop(FAILED, (current == null ? "" : current.kind().endpoint() + ": ") + why);
    }

    @Override
    public void retrying() {
        calls++;
        stats.called(current.kind().endpoint());
    }
}

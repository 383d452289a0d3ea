package dev.encore.lake;

import com.azure.storage.file.datalake.models.ListPathsOptions;
import com.azure.storage.file.datalake.models.PathItem;
import java.io.File;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which raw files a poll of the lake looks at. The raw zone only grows (about 100 files a day for
 * a user, 36,000 a year), so listing all of it on every poll would cost more every day; and
 * the extraction writes into the folder of the hour it fetched. So:
 *
 * <ul>
 *   <li>the first listing after start walks the whole raw zone (what was written while Encore was
 *       down is loaded), and every later one only the day folders of the last
 *       {@code encore.raw.window-days} (UTC), skipping older year, month and day folders unopened;</li>
 *   <li>a file already loaded is recognised in memory ({@link RawClaims}), never by a database
 *       round trip, and never becomes an exchange.</li>
 * </ul>
 *
 * <p>Bound to the local lake's file consumer as its {@code filter} (which Camel asks about every
 * folder and file it walks) and {@code pollStrategy} (told when a poll ends), and called by the
 * ADLS route for each listed path.
 */
public final class RawLakeListing implements GenericFileFilter<File>, PollingConsumerPollStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(RawLakeListing.class);
    private static final Pattern DATED = Pattern.compile("(?:^|.*/)raw/spotify/[^/]+/[^/]+/(\\d{4})(?:/(\\d{2}))?(?:/(\\d{2}))?(?:/.*)?");

    private final RawClaims claims;
    private final int windowDays;
    private final String adlsRoot;
    private final Clock clock;
    private volatile boolean localScanned;
    private volatile boolean adlsScanned;

    /** @param adlsRoot the lake's root in the ADLS filesystem ({@code encore.lake.root}), empty for its root */
    public RawLakeListing(RawClaims claims, int windowDays, String adlsRoot, Clock clock) {
        this.claims = claims;
        this.windowDays = windowDays;
        this.adlsRoot = LakeRoot.prefix(adlsRoot);
        this.clock = clock;
    }

    // ---- the local lake's file consumer

    @Override
    public boolean accept(GenericFile<File> file) {
        String path = file.getRelativeFilePath().replace('\\', '/');
        if (file.getFileNameOnly().startsWith(".")) {
            return false; // hidden: a file being written (.<name>.part)
        }
        if (file.isDirectory()) {
            if (path.equals("raw") || path.equals("raw/spotify")) {
                return true; // on the way down
            }
            return path.startsWith("raw/spotify/") && (!localScanned || withinWindow(path));
        }
        return path.startsWith("raw/spotify/") && wanted(path, localScanned);
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        if (!localScanned) {
            localScanned = true;
            LOG.info("The local raw zone was listed whole once; from now on only its last {} days are", windowDays);
        }
        claims.forgetBefore(windowStart());
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        LOG.warn("Listing the local raw zone failed, trying again at the next poll: {}", cause.toString());
        return false;
    }

    // ---- the ADLS route

    /** What the ADLS route lists: everything below the lake's raw zone. */
    public ListPathsOptions adlsListing() {
        return new ListPathsOptions().setPath(adlsRoot + "raw/spotify").setRecursive(true);
    }

    /** Whether a listed lake path is a raw file to load now. */
    public boolean isWanted(PathItem item) {
        return !Boolean.TRUE.equals(item.isDirectory()) && wanted(item.getName(), adlsScanned);
    }

    /** Called when a listing has been gone through. */
    public void adlsListed() {
        adlsScanned = true;
    }

    // ----

    private boolean wanted(String path, boolean windowed) {
        if (!path.endsWith(".json") || path.substring(path.lastIndexOf('/') + 1).startsWith(".")) {
            return false;
        }
        return (!windowed || withinWindow(path)) && !claims.isLoaded(path);
    }

    /** Whether a folder or file below raw/spotify/&lt;kind&gt;/&lt;user&gt;/ may hold files of the window's days. */
    boolean withinWindow(String path) {
        Matcher m = DATED.matcher(path);
        if (!m.matches()) {
            return true; // above the dated folders, or not dated at all (the intake says what is wrong with it)
        }
        LocalDate start = windowStart();
        int year = Integer.parseInt(m.group(1));
        if (m.group(2) == null) {
            return year >= start.getYear();
        }
        int month = Integer.parseInt(m.group(2));
        if (month < 1 || month > 12) {
            return true;
        }
        YearMonth ym = YearMonth.of(year, month);
        if (m.group(3) == null) {
            return !ym.isBefore(YearMonth.from(start));
        }
        LocalDate day = RawZonePath.dayOf(path);
        return day == null || !day.isBefore(start);
    }

    private LocalDate windowStart() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(windowDays);
    }
}

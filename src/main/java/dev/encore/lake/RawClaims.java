package dev.encore.lake;

import dev.encore.store.FileClaimRepository;
import java.time.LocalDate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The raw files' claims ({@code file_claim}, key {@code raw:<path>}), with an in-memory copy of the
 * finished ones in front: the raw zone only grows, and every poll lists files loaded long ago,
 * which must cost no database round trip each. Read once from the database on first use; a file
 * another replica loaded joins the copy when its claim is refused here. A raw claim is never
 * released: the raw zone is immutable, so a loaded file is loaded for good.
 */
public final class RawClaims extends ServiceSupport implements IdempotentRepository {
    static final String PREFIX = "raw:";

    private final FileClaimRepository claims;
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private volatile boolean read;

    public RawClaims(FileClaimRepository claims) {
        this.claims = claims;
    }

    /** Whether the file at this path is known to be loaded, without asking the database. */
    public boolean isLoaded(String path) {
        readOnce();
        return done.contains(RawZonePath.claimKey(path));
    }

    @Override
    public boolean add(String key) {
        readOnce();
        if (done.contains(key)) {
            return false;
        }
        boolean claimed = claims.add(key);
        if (!claimed && claims.isDone(key)) {
            done.add(key); // loaded by another replica
        }
        return claimed;
    }

    @Override
    public boolean contains(String key) {
        return done.contains(key) || claims.contains(key);
    }

    @Override
    public boolean remove(String key) {
        done.remove(key);
        return claims.remove(key); // the exchange failed: a later poll tries again
    }

    @Override
    public boolean confirm(String key) {
        boolean confirmed = claims.confirm(key);
        done.add(key);
        return confirmed;
    }

    @Override
    public void clear() {
        done.clear();
        claims.clear();
    }

    /** Forgets (in memory only) the files of days before {@code day}, which the listing no longer walks. */
    void forgetBefore(LocalDate day) {
        done.removeIf(key -> {
            LocalDate d = RawZonePath.dayOf(key.substring(PREFIX.length()));
            return d != null && d.isBefore(day);
        });
    }

    int size() {
        return done.size();
    }

    private void readOnce() {
        if (!read) {
            synchronized (this) {
                if (!read) {
                    done.addAll(claims.doneKeys(PREFIX));
                    read = true;
                }
            }
        }
    }
}

package dev.encore.insights;

import dev.encore.store.ListeningGaps;
import dev.encore.store.ListeningGaps.Gap;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /api/users/{user}/gaps}: the stretches of time whose plays the Web API may have left out. */
public final class GapsApi {
    private final ListeningGaps gaps;
    private final ReportingZones zones;

    public GapsApi(ListeningGaps gaps, ReportingZones zones) {
        this.gaps = gaps;
        this.zones = zones;
    }

    /** The user's open gaps (UTC instants) and the zone the dashboard shows them in. */
    public Map<String, Object> gaps(String user) throws SQLException {
        InsightsApi.known(user);
        Optional<ZoneId> zone = zones.zoneOf(user);
        if (zone.isEmpty()) {
            throw new UnknownUserException(user);
        }
        List<Gap> open = gaps.openGaps(user);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("user", user);
        answer.put("time_zone", zone.get().getId());
        answer.put("gaps", open);
        return answer;
    }
}

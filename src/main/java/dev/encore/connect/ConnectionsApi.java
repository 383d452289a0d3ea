package dev.encore.connect;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.encore.insights.InsightsStore.UserSummary;
import dev.encore.insights.UnknownUserException;
import dev.encore.connect.SpotifyConnections.ConnectionStatus;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The REST API's part of connections: {@code GET /api/users} lists each user with their
 * {@code spotify} connection (null when none), and {@code DELETE /api/users/{user}/connection}
 * disconnects. What it shows is {@link ConnectionStatus}: never a token, ciphertext or verifier.
 */
public final class ConnectionsApi {
    private final SpotifyConnections connections;

    public ConnectionsApi(SpotifyConnections connections) {
        this.connections = connections;
    }

    /** A user as {@code /api/users} lists them, with the Spotify connection beside the history's summary. */
    public record UserWithConnection(@JsonUnwrapped UserSummary summary, ConnectionStatus spotify) {
    }

    /** Adds the connections to the answer of {@code insightsApi.users}. */
    public Map<String, List<UserWithConnection>> users(Map<String, List<UserSummary>> answer) throws SQLException {
        Map<String, ConnectionStatus> all = connections.statuses();
        return Map.of("users", answer.get("users").stream()
                .map(u -> new UserWithConnection(u, all.get(u.user()))).toList());
    }

    /** A 404 of the API (api-errors answers an UnknownUserException so), with its own message. */
    static final class NoConnectionException extends UnknownUserException {
        private final String user;

        NoConnectionException(String user) {
            super(user);
            this.user = user;
        }

        @Override
        public String getMessage() {
            return "No Spotify account is connected to user '" + user + "'";
        }
    }

    /** {@code DELETE /api/users/{user}/connection}: 204, or 404 when there is no such user or connection. */
    public void disconnect(String user, Exchange exchange) throws SQLException {
        if (!connections.disconnect(user)) {
            throw new NoConnectionException(user);
        }
        Message in = exchange.getMessage();
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        in.setBody(null);
    }
}

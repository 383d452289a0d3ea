package dev.encore.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * Someone using Encore's HTTP server as a browser or a script would: keeps the session cookie it
 * is given, sends the CSRF token the page learns from /api/me when told to, or an API token.
 */
final class Visitor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final String baseUrl;
    String cookie;
    String csrf;
    String bearer;
    /** What the browser would say of where the request comes from (Sec-Fetch-Site), or null. */
    String site;

    Visitor(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    record Answer(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        List<String> headers(String name) {
            return response.headers().allValues(name);
        }
    }

    /** Signs in with the API, as the sign-in page does, and learns the CSRF token. */
    Answer signIn(String user, String password) throws Exception {
        Answer a = send("POST", "/api/session", JSON.createObjectNode().put("user", user).put("password", password).toString());
        String set = a.header("Set-Cookie");
        if (a.status() == 200 && set != null) {
            cookie = set.substring(0, set.indexOf(';'));
            csrf = get("/api/me").json().path("csrf_token").asText();
        }
        return a;
    }

    Answer get(String path) throws Exception {
        return send("GET", path, null);
    }

    Answer send(String method, String path, String json) throws Exception {
        return send(method, path, json, true);
    }

    /** @param withCsrf whether to send the CSRF token the visitor learnt (a forged request would not have it) */
    Answer send(String method, String path, String json, boolean withCsrf) throws Exception {
        // the timeout only keeps a server that never answers from hanging the build
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(java.time.Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (withCsrf && csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (site != null) {
            b.header("Sec-Fetch-Site", site);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r);
    }
}

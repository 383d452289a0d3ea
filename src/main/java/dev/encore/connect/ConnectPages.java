package dev.encore.connect;

/**
 * The HTML pages of the connect flow: the success page and every failure page. Whatever they show
 * that came from outside (the user name, Spotify's display name and error texts) is escaped.
 */
final class ConnectPages {
    private ConnectPages() {
    }

    static String connected(String displayName, String spotifyId, String user) {
        String shown = displayName == null || displayName.isBlank() ? spotifyId : displayName;
        return page("Spotify connected", "<h1>Spotify connected</h1>"
                + "<p id=\"connected\">Connected Spotify account <strong>" + escape(shown) + "</strong> (" + escape(spotifyId)
                + ") to Encore user <strong>" + escape(user) + "</strong>.</p>"
                + "<p>Encore now reads this account's recent listening every hour.</p>"
                + back(user));
    }

    static String failure(ConnectFailure failure, String user) {
        return page(failure.title(), "<h1>" + escape(failure.title()) + "</h1>"
                + "<p id=\"what-happened\">" + escape(failure.explanation()) + "</p>"
                + "<p id=\"what-to-do\">" + escape(failure.advice()) + "</p>"
                + "<p class=\"note\">Nothing was stored.</p>"
                + back(user));
    }

    private static String back(String user) {
        String href = user == null ? "/" : "/?user=" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8);
        return "<p><a id=\"back\" class=\"btn btn-primary\" href=\"" + escape(href) + "\">Back to the dashboard</a></p>";
    }

    private static String page(String title, String body) {
        return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"color-scheme\" content=\"dark\">\n"
                // the callback's address holds the code and state: no other site may see it as a referrer
                + "<meta name=\"referrer\" content=\"no-referrer\">\n"
                + "<title>" + escape(title) + " · Encore</title>\n"
                + "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n"
                + "<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n"
                + "<body><section class=\"empty-state connect-page\">\n" + body + "\n</section></body>\n</html>\n";
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}

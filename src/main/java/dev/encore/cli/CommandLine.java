package dev.encore.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The parsed arguments: a command, its options and its operands. */
public record CommandLine(String command, Map<String, String> options, List<String> operands) {
    private static final List<String> COMMANDS = List.of("serve", "import", "enrich", "live", "export", "account", "help");
    /** Options that take no value. */
    private static final Map<String, List<String>> FLAGS = Map.of("account", List.of("--admin"));
    private static final List<String> ACCOUNT_ACTIONS = List.of("add", "list", "remove", "password");
    /** Options that take a value, per command; everything else is a mistake. */
    private static final Map<String, List<String>> OPTIONS = Map.of(
            "serve", List.of("--db", "--profile", "--port", "--management-port"),
            "import", List.of("--db", "--profile", "--user"),
            "enrich", List.of("--db", "--profile"),
            "live", List.of("--db", "--profile"),
            "export", List.of("--db", "--profile", "--user", "--format", "--out", "--from", "--to"),
            "account", List.of("--db", "--profile", "--admin"),
            "help", List.of());

    public static CommandLine parse(String... args) {
        String command = null;
        Map<String, String> options = new TreeMap<>();
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return new CommandLine("help", Map.of(), List.of());
            }
            if (a.startsWith("--") && command != null && FLAGS.getOrDefault(command, List.of()).contains(a)) {
                options.put(a, "true");
            } else if (a.startsWith("--")) {
                String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[++i] : null);
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                options.put(name, value);
            } else if (command == null && COMMANDS.contains(a)) {
                command = a;
            } else if (command == null && !a.startsWith("-")) {
                throw new IllegalArgumentException("unknown command '" + a + "'");
            } else if (a.startsWith("-")) {
                throw new IllegalArgumentException("unknown option '" + a + "'");
            } else {
                operands.add(a);
            }
        }
        command = command == null ? "serve" : command;
        for (String name : options.keySet()) {
            if (!OPTIONS.get(command).contains(name)) {
                throw new IllegalArgumentException("'" + command + "' has no option " + name);
            }
        }
        for (String port : List.of("--port", "--management-port")) {
            if (options.containsKey(port) && !options.get(port).matches("\\d{1,5}")) {
                throw new IllegalArgumentException(port + " needs a port number, not '" + options.get(port) + "'");
            }
        }
        if (command.equals("import") && operands.isEmpty()) {
            throw new IllegalArgumentException("import needs at least one file, folder or ZIP");
        }
        if (command.equals("account")) {
            if (operands.isEmpty() || !ACCOUNT_ACTIONS.contains(operands.get(0))) {
                throw new IllegalArgumentException("account needs one of " + String.join(", ", ACCOUNT_ACTIONS));
            }
            int names = operands.get(0).equals("list") ? 1 : 2;
            if (operands.size() != names) {
                throw new IllegalArgumentException(names == 1 ? "account list takes no name"
                        : "account " + operands.get(0) + " needs one account name");
            }
            if (options.containsKey("--admin") && !operands.get(0).equals("add")) {
                throw new IllegalArgumentException("--admin goes with account add");
            }
        } else if (!command.equals("import") && !operands.isEmpty()) {
            throw new IllegalArgumentException("unexpected argument '" + operands.get(0) + "'");
        }
        return new CommandLine(command, options, operands);
    }

    public String option(String name) {
        return options.get(name);
    }

    public static String usage() {
        return """
                Encore turns your Spotify data export into a SQL warehouse.

                Usage (./encore runs java -jar target/encore.jar, building it first if needed):
                  ./encore [serve] [--port N] [--management-port N] [--db JDBC_URL] [--profile NAME]
                      Run until stopped: the dashboard at http://127.0.0.1:8080/ (--port or
                      ENCORE_HTTP_PORT), the REST API under /api, health and metrics at
                      http://127.0.0.1:8081/observe/ (--management-port or ENCORE_MANAGEMENT_PORT;
                      both on loopback unless ENCORE_HTTP_HOST / ENCORE_MANAGEMENT_HOST say
                      otherwise), and the inbox folder (./inbox
                      by default, or ADLS with --profile azure) watched for exports. Put files
                      for a user called NAME in inbox/NAME/; files directly in inbox/ belong to
                      the default user. Loaded files move to inbox/processed/, bad ones to
                      inbox/rejected/ with a .reason.txt beside them, files that are no
                      Spotify export to inbox/skipped/ with their .reason.txt.

                  ./encore import [--user NAME] [--db JDBC_URL] PATH...
                      Load files, folders or ZIPs once, print what each gave, and exit:
                      0 when every file loaded, 1 when any was rejected or none was a
                      streaming history (a file that is no export), 2 on bad arguments,
                      3 when Encore could not start (the database refused, a port is taken).
                      Your files are left where they are.

                  ./encore enrich [--db JDBC_URL]
                      Describe the tracks, albums and artists your streams reference through the
                      Spotify Web API (needs ENCORE_SPOTIFY_CLIENT_ID and _SECRET), once, and print
                      the calls made. Exit 0 when everything resolvable is described or Spotify
                      asked for a pause, 1 when calls failed.

                  ./encore live [--db JDBC_URL]
                      Poll every connected Spotify account once (recently played, playlists, top
                      items once a day, saved tracks) into the lake's raw zone (./lake), load what
                      came into SQL, and print the calls made, the raw files written, the plays
                      new to the warehouse, the gaps opened and who needs to reconnect. Exit 0
                      when every user was polled or Spotify asked for a pause, 1 when any failed
                      or a raw file was rejected.

                  ./encore export --user NAME --format parquet|csv --out DIR [--from DAY] [--to DAY]
                      Write one user's data into DIR, one file per table (streams, playlists,
                      playlist_items and the tracks, albums, artists and genres they reference),
                      as Parquet or as CSV (UTF-8, a header, RFC 4180 quoting), and print the rows
                      of each. --from and --to (YYYY-MM-DD, --to not included) are days in the
                      user's time zone. Exit 0 when written, 2 on bad arguments or an unknown user.

                  ./encore account add NAME [--admin] | account password NAME | account remove NAME | account list
                      Who may sign in (docs/access.md): sign-in is required once Encore listens
                      beyond loopback (ENCORE_HTTP_HOST=0.0.0.0, the container). An account's
                      name is the Encore user whose listening it sees; an admin sees everyone.
                      The password is read from the terminal (twice), or from the first line of
                      standard input. Removing an account leaves its listening data.

                  ./encore --help

                What Encore reads: my_spotify_data.zip as Spotify sends it, or the JSON files in it
                (Streaming_History_Audio_*.json, endsong_*.json, StreamingHistory*.json, ...).
                A stream is stored once, however often it is uploaded.

                Configuration: application.properties in the working folder; every key can be
                overridden by an environment variable (encore.db.url -> ENCORE_DB_URL).
                The default database is an H2 file under ./data/.
                """;
    }
}

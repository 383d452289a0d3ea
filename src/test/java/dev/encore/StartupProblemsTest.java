package dev.encore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Encore says when it cannot start, and where its servers listen. */
class StartupProblemsTest {
    /** Guards against a start that wrongly succeeds and then serves for ever; not a speed limit. */
    private static final Duration HANG_GUARD = Duration.ofMinutes(3);

    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Encore.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errorLines() {
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void aManagementPortInUseStopsTheStartWithOneLineThatSaysHowToChooseAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int code = assertTimeoutPreemptively(HANG_GUARD, () -> run("serve", "--db", "jdbc:h2:mem:ports-" + System.nanoTime(),
                    "--port", Integer.toString(EncoreApp.freePort()), "--management-port", Integer.toString(taken.getLocalPort())));
            assertThat(code).isEqualTo(StartupFailure.EXIT_CODE);
            assertThat(errorLines()).hasLineCount(1)
                    .contains("port " + taken.getLocalPort(), "management server", "--management-port N or ENCORE_MANAGEMENT_PORT");
        }
    }

    @Test
    void aDashboardPortInUseStopsTheStartWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int code = assertTimeoutPreemptively(HANG_GUARD, () -> run("serve", "--db", "jdbc:h2:mem:ports-" + System.nanoTime(),
                    "--port", Integer.toString(taken.getLocalPort()), "--management-port", Integer.toString(EncoreApp.freePort())));
            assertThat(code).isEqualTo(StartupFailure.EXIT_CODE);
            assertThat(errorLines()).hasLineCount(1).contains("port " + taken.getLocalPort(), "dashboard", "--port N");
        }
    }

    @Test
    void oneNumberForBothServersIsRefusedBeforeEitherStarts() throws Exception {
        String port = Integer.toString(EncoreApp.freePort());
        int code = assertTimeoutPreemptively(HANG_GUARD, () -> run("serve", "--db", "jdbc:h2:mem:ports-" + System.nanoTime(),
                "--port", port, "--management-port", port));
        assertThat(code).isEqualTo(StartupFailure.EXIT_CODE);
        assertThat(errorLines()).hasLineCount(1).contains("port " + port + " is set for both");
    }

    @Test
    void importWhileAnotherProcessHoldsTheEmbeddedDatabaseSaysWhatToDoInOneLine() throws Exception {
        String url = "jdbc:h2:file:" + tmp.resolve("data/encore");
        try (Connection created = DriverManager.getConnection(url, "sa", "")) {
            assertThat(created.isValid(5)).isTrue(); // the file exists before another process locks it
        }
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldsH2File.class.getName(), url)
                .redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(lines.readLine()).isEqualTo(HoldsH2File.READY); // blocks until the other process holds the lock
            int code = run("import", "--db", url, Samples.file("lshatkin", "endvideo.json").toString());
            assertThat(code).isEqualTo(StartupFailure.EXIT_CODE);
            assertThat(errorLines()).hasLineCount(1).contains("is in use by another process", "inbox/<user>/");
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    @Test
    void aDatabaseThatRefusesTheLoginIsOneLineNotAStackTrace() throws Exception {
        try (TestDatabases.TestDatabase pg = TestDatabases.create("postgresql")) {
            // the default user of the embedded database, sa, is no role on PostgreSQL
            int code = run("import", "--db", pg.url(), Samples.file("lshatkin", "endvideo.json").toString());
            assertThat(code).isEqualTo(StartupFailure.EXIT_CODE);
            assertThat(errorLines()).hasLineCount(1).startsWith("encore: cannot start: ").contains("\"sa\"");
        }
    }

    @Test
    void aDatabaseFolderThatCannotBeMadeIsOneLineNamingIt() throws Exception {
        // a plain file where the data folder should go: no one, not even root, can make a folder in it
        Path file = java.nio.file.Files.writeString(tmp.resolve("not-a-folder"), "x");
        int code = run("import", "--db", "jdbc:h2:file:" + file.resolve("data/encore"),
                Samples.file("lshatkin", "endvideo.json").toString());
        assertThat(code).isEqualTo(StartupFailure.EXIT_CODE);
        assertThat(errorLines()).hasLineCount(1).startsWith("encore: cannot start: ").contains(file.toString());
    }

    @Test
    void bothServersListenOnLoopbackOnlyByDefault() throws Exception {
        InetAddress outside = nonLoopbackAddress().orElse(null);
        Assumptions.assumeTrue(outside != null, "this machine has no non-loopback IPv4 address to try");
        int management = EncoreApp.freePort();
        try (EncoreApp app = EncoreApp.start("jdbc:h2:mem:bind-" + System.nanoTime(), "sa",
                Map.of("camel.management.enabled", "true", "camel.management.port", Integer.toString(management)))) {
            int http = Integer.parseInt(app.baseUrl().substring(app.baseUrl().lastIndexOf(':') + 1));
            for (int port : new int[] {http, management}) {
                try (Socket inside = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    assertThat(inside.isConnected()).isTrue();
                }
                assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress(outside, port), 10_000))
                        .isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void aHostOfAllInterfacesIsReachableFromOutsideLoopback() throws Exception {
        InetAddress outside = nonLoopbackAddress().orElse(null);
        Assumptions.assumeTrue(outside != null, "this machine has no non-loopback IPv4 address to try");
        try (EncoreApp app = EncoreApp.start("jdbc:h2:mem:bind-" + System.nanoTime(), "sa", Map.of("encore.http.host", "0.0.0.0"))) {
            int http = Integer.parseInt(app.baseUrl().substring(app.baseUrl().lastIndexOf(':') + 1));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(outside, http), 10_000);
                assertThat(socket.isConnected()).isTrue();
            }
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }
}

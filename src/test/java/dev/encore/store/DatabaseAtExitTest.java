package dev.encore.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At JVM exit the embedded database stays open until Encore closes it: H2's own shutdown hook
 * would otherwise close it under the routes that Camel's hook is still stopping in order, and
 * their last statements fail with "Database is already closed". In a JVM of its own, whose
 * shutdown hook uses the database after H2's hook has had its turn.
 */
class DatabaseAtExitTest {
    @TempDir
    Path dir;

    @Test
    void theEmbeddedDatabaseIsStillOpenForTheOtherShutdownHooks() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), UsedAtExit.class.getName(),
                "jdbc:h2:file:" + dir.resolve("encore"))
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the JVM exited").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(output).contains("at exit: 1 row").doesNotContain("Database is already closed");
    }

    /**
     * Opens the database and holds a connection, as a route in the middle of an exchange does, and
     * queries through it from a shutdown hook once H2's hook has had its turn.
     */
    public static final class UsedAtExit {
        public static void main(String[] args) throws Exception {
            Database database = Database.open(args[0], "sa", "", 2);
            Connection inUse = database.dataSource().getConnection();
            Thread hook = new Thread(() -> {
                try {
                    Thread.sleep(500); // H2's hook, if it had one, would have closed the database by now
                    try (Statement st = inUse.createStatement();
                         ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM schema_state")) {
                        rs.next();
                        System.out.println("at exit: " + rs.getLong(1) + " row");
                    }
                    inUse.close();
                } catch (Exception e) {
                    System.out.println("at exit: " + e);
                } finally {
                    database.close();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            System.exit(0);
        }
    }
}

package dev.encore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A start skips Flyway when the database was last migrated with the very same scripts, and only then. */
class SchemaStateTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aDatabaseMigratedWithTheseScriptsIsNotValidatedAgainButAnyOtherIs(String kind) throws Exception {
        try (TestDatabase db = TestDatabases.create(kind)) {
            Database.open(db.url(), db.user(), "", 2).close();
            assertThat(db.count("SELECT COUNT(*) FROM schema_state WHERE fingerprint = ?",
                    SchemaFingerprint.of(Dialect.fromJdbcUrl(db.url())))).as("recorded after the migration").isEqualTo(1);

            // a history Flyway's validation would refuse: only a start that skips Flyway gets past it
            execute(db, "UPDATE \"flyway_schema_history\" SET \"checksum\" = \"checksum\" + 1 WHERE \"version\" = '1'");
            Database.open(db.url(), db.user(), "", 2).close();

            execute(db, "UPDATE schema_state SET fingerprint = 'migrated with other scripts'");
            assertThatThrownBy(() -> Database.open(db.url(), db.user(), "", 2))
                    .isInstanceOf(FlywayException.class).hasMessageContaining("checksum");
        }
    }

    @Test
    void theFingerprintFollowsEveryScriptOfTheDialectAndNothingElse() throws Exception {
        Path classes = dir.resolve("classes");
        write(classes, "db/migration/V1__a.sql", "CREATE TABLE a (id INT);");
        write(classes, "db/quartz/h2/V6_1__q.sql", "CREATE TABLE q (id INT);");
        String first = SchemaFingerprint.of(classes, Dialect.H2);
        assertThat(SchemaFingerprint.of(classes, Dialect.H2)).isEqualTo(first);

        write(classes, "db/quartz/postgresql/V6_1__q.sql", "CREATE TABLE q (id BIGINT);");
        write(classes, "sql/not-a-migration.sql", "SELECT 1;");
        assertThat(SchemaFingerprint.of(classes, Dialect.H2)).as("another dialect's scripts, other folders").isEqualTo(first);
        assertThat(SchemaFingerprint.of(classes, Dialect.POSTGRESQL)).as("the placeholders and scripts of another dialect")
                .isNotEqualTo(first);

        write(classes, "db/quartz/h2/V6_1__q.sql", "CREATE TABLE q (id BIGINT);");
        String changed = SchemaFingerprint.of(classes, Dialect.H2);
        assertThat(changed).as("a script's bytes").isNotEqualTo(first);

        write(classes, "db/migration/V2__b.sql", "");
        assertThat(SchemaFingerprint.of(classes, Dialect.H2)).as("a new, even empty, script").isNotEqualTo(changed);
    }

    @Test
    void aJarAndAFolderWithTheSameScriptsHaveOneFingerprint() throws Exception {
        Map<String, String> scripts = Map.of("db/migration/V1__a.sql", "CREATE TABLE a (id INT);",
                "db/migration/R__views.sql", "CREATE VIEW v AS SELECT id FROM a;",
                "db/quartz/h2/V6_1__q.sql", "CREATE TABLE q (id INT);");
        Path classes = dir.resolve("classes");
        Path jar = dir.resolve("encore.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, String> script : scripts.entrySet()) {
                write(classes, script.getKey(), script.getValue());
                out.putNextEntry(new JarEntry(script.getKey()));
                out.write(script.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        assertThat(SchemaFingerprint.of(jar, Dialect.H2)).isEqualTo(SchemaFingerprint.of(classes, Dialect.H2));
    }

    private static void write(Path root, String name, String text) throws Exception {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void execute(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }
}

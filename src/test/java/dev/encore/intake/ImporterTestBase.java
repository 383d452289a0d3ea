package dev.encore.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.export.ZipLimits;
import dev.encore.store.Database;
import dev.encore.store.ImportStore;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests of {@link ExportImporter} on a fresh database of one kind (h2, postgresql), which {@link #open} creates. */
abstract class ImporterTestBase {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    TestDatabase db;
    Database database;
    ExportImporter importer;

    void open(String kind) throws SQLException {
        close();
        db = TestDatabases.create(kind);
        database = Database.open(db.url(), db.user(), "", 3);
        importer = new ExportImporter(database, new ImportStore(database.dataSource()), ZipLimits.DEFAULT, 500);
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
            database = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
    }
}

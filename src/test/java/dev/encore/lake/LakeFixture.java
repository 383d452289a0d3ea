package dev.encore.lake;

import dev.encore.TestDatabases;
import dev.encore.TestDatabases.TestDatabase;
import dev.encore.export.ZipLimits;
import dev.encore.intake.ExportImporter;
import dev.encore.intake.FileReport;
import dev.encore.store.Database;
import dev.encore.store.ImportStore;
import dev.encore.store.ListeningGaps;
import dev.encore.store.PlayReconciler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;

/** A real database with the raw-file loader and the export importer over it, sharing one reconciliation rule. */
public final class LakeFixture implements AutoCloseable {
    public final TestDatabase db;
    public final Database database;
    final RawFileLoader loader;
    final ExportImporter importer;
    private final Path tmp;
    private int exportFiles;

    public LakeFixture(String kind, Path tmp) throws SQLException {
        this.db = TestDatabases.create(kind);
        this.database = Database.open(db.url(), db.user(), "", 3);
        this.tmp = tmp;
        ImportStore store = new ImportStore(database.dataSource());
        PlayReconciler reconciler = new PlayReconciler(PlayReconciler.DEFAULT_TOLERANCE);
        ListeningGaps gaps = new ListeningGaps(database.dataSource(), Clock.systemUTC());
        this.loader = new RawFileLoader(database, store, reconciler, gaps);
        this.importer = new ExportImporter(database, store, ZipLimits.DEFAULT, 500, reconciler, gaps);
    }

    public FileReport raw(String path, byte[] content) throws SQLException {
        return loader.load(content, path);
    }

    /** Loads an export file (its name decides the format detection, as Spotify names them). */
    public FileReport export(String user, String fileName, byte[] content) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("export-" + (++exportFiles)));
        Path file = dir.resolve(fileName);
        Files.write(file, content);
        return importer.importFile(file, user + "/" + fileName, user, "cli");
    }

    public long count(String sql, Object... parameters) {
        return db.count(sql, parameters);
    }

    @Override
    public void close() {
        database.close();
        db.close();
    }
}

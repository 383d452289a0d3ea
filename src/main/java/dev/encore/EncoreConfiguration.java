package dev.encore;

import com.azure.storage.file.datalake.DataLakeServiceClient;
import dev.encore.export.ZipLimits;
import dev.encore.intake.AdlsClientFactory;
import dev.encore.intake.AdlsDownloads;
import dev.encore.intake.AdlsFileMover;
import dev.encore.intake.ExportImporter;
import dev.encore.intake.ImportFileProcessor;
import dev.encore.intake.LocalFileMover;
import dev.encore.intake.SourceUsers;
import dev.encore.store.Database;
import dev.encore.store.FileClaimRepository;
import dev.encore.store.ImportStore;
import java.nio.file.Path;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;

/** Binds the beans the YAML routes refer to, built from {@code application.properties}. */
public class EncoreConfiguration implements CamelConfiguration {

    @BindToRegistry("database")
    public Database database(@PropertyInject("encore.db.url") String url,
            @PropertyInject("encore.db.user") String user,
            @PropertyInject("encore.db.password") String password,
            @PropertyInject("encore.db.pool-size") int poolSize) {
        return Database.open(url, user, password, poolSize);
    }

    @BindToRegistry("importStore")
    public ImportStore importStore(@BeanInject("database") Database database) {
        return new ImportStore(database.dataSource());
    }

    @BindToRegistry("importFile")
    public ImportFileProcessor importFile(@BeanInject("database") Database database,
            @BeanInject("importStore") ImportStore store,
            @PropertyInject("encore.import.batch-size") int batchSize,
            @PropertyInject("encore.zip.max-entry-bytes") long maxEntryBytes,
            @PropertyInject("encore.zip.max-total-bytes") long maxTotalBytes,
            @PropertyInject("encore.zip.max-ratio") int maxRatio,
            @PropertyInject("encore.zip.max-entries") int maxEntries) {
        ZipLimits limits = new ZipLimits(maxEntryBytes, maxTotalBytes, maxRatio, maxEntries);
        return new ImportFileProcessor(new ExportImporter(database, store, limits, batchSize));
    }

    @BindToRegistry("fileClaims")
    public FileClaimRepository fileClaims(@BeanInject("database") Database database) {
        return new FileClaimRepository(database.dataSource());
    }

    @BindToRegistry("sourceUsers")
    public SourceUsers sourceUsers(@PropertyInject("encore.default-user") String defaultUser) {
        return new SourceUsers(defaultUser);
    }

    @BindToRegistry("localFileMover")
    public LocalFileMover localFileMover(@PropertyInject("encore.inbox.dir") String inbox) {
        return new LocalFileMover(Path.of(inbox));
    }

    @BindToRegistry("adlsClient")
    public DataLakeServiceClient adlsClient(@PropertyInject("encore.adls.account-name") String account,
            @PropertyInject("encore.adls.endpoint") String endpoint,
            @PropertyInject("encore.adls.auth") String auth,
            @PropertyInject("encore.adls.account-key") String accountKey,
            @PropertyInject("encore.adls.sas-token") String sasToken,
            @PropertyInject("encore.adls.tenant-id") String tenantId,
            @PropertyInject("encore.adls.client-id") String clientId,
            @PropertyInject("encore.adls.client-secret") String clientSecret) {
        return AdlsClientFactory.create(account, endpoint, auth, accountKey, sasToken, tenantId, clientId, clientSecret);
    }

    @BindToRegistry("adlsDownloads")
    public AdlsDownloads adlsDownloads(@PropertyInject("encore.adls.download-dir") String downloadDir) {
        return new AdlsDownloads(Path.of(downloadDir));
    }

    @BindToRegistry("adlsFileMover")
    public AdlsFileMover adlsFileMover(@BeanInject("adlsClient") DataLakeServiceClient client,
            @PropertyInject("encore.adls.filesystem") String fileSystem,
            @PropertyInject("encore.adls.processed-dir") String processedDir,
            @PropertyInject("encore.adls.rejected-dir") String rejectedDir) {
        return new AdlsFileMover(client, fileSystem, processedDir, rejectedDir);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Database database = context.getRegistry().lookupByNameAndType("database", Database.class);
        // close the pool (and so the H2 file) when Camel stops
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                database.close();
            }
        }, true, true);
    }
}

package dev.encore.intake;

import com.azure.core.credential.AzureSasCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.file.datalake.DataLakeServiceClient;
import com.azure.storage.file.datalake.DataLakeServiceClientBuilder;
import java.util.Locale;

/**
 * Builds the ADLS Gen2 client the routes use. The Camel component would build one itself, but
 * only ever for {@code https://<account>.dfs.core.windows.net}; building it here adds the
 * endpoint override that tests and Azure-compatible stores need.
 */
public final class AdlsClientFactory {
    private AdlsClientFactory() {
    }

    /**
     * @param auth {@code shared-key}, {@code sas}, {@code client-secret} or {@code default} (DefaultAzureCredential:
     *             managed identity, workload identity, Azure CLI login...)
     */
    public static DataLakeServiceClient create(String account, String endpoint, String auth, String accountKey,
            String sasToken, String tenantId, String clientId, String clientSecret) {
        String name = account == null || account.isBlank() ? "unconfigured" : account;
        String url = endpoint == null || endpoint.isBlank() ? "https://" + name + ".dfs.core.windows.net" : endpoint;
        DataLakeServiceClientBuilder builder = new DataLakeServiceClientBuilder().endpoint(url);
        if (account == null || account.isBlank()) {
            return builder.buildClient(); // ADLS is not configured; the route using it does not start
        }
        switch (auth.toLowerCase(Locale.ROOT)) {
            case "shared-key" -> builder.credential(new StorageSharedKeyCredential(account, required(accountKey, "account-key")));
            case "sas" -> builder.credential(new AzureSasCredential(required(sasToken, "sas-token")));
            case "client-secret" -> builder.credential(new ClientSecretCredentialBuilder()
                    .tenantId(required(tenantId, "tenant-id"))
                    .clientId(required(clientId, "client-id"))
                    .clientSecret(required(clientSecret, "client-secret"))
                    .build());
            case "default" -> builder.credential(new DefaultAzureCredentialBuilder().build());
            default -> throw new IllegalArgumentException(
                    "encore.adls.auth must be shared-key, sas, client-secret or default, not '" + auth + "'");
        }
        return builder.buildClient();
    }

    private static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("encore.adls." + key + " is required by the chosen encore.adls.auth");
        }
        return value;
    }
}

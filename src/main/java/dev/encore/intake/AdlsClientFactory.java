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
    public static DataLakeServiceClient create(boolean enabled, String account, String endpoint, String auth,
            String accountKey, String sasToken, String tenantId, String clientId, String clientSecret) {
        if (!enabled) {
            // The route is defined but never started; its endpoints still need a client to refer to.
            // Nothing is sent with this one, so it gets a credential that cannot work.
            return new DataLakeServiceClientBuilder().endpoint("https://unconfigured.dfs.core.windows.net")
                    .credential(new AzureSasCredential("sig=unconfigured")).buildClient();
        }
        String name = required(account, "account-name");
        String url = endpoint == null || endpoint.isBlank() ? "https://" + name + ".dfs.core.windows.net" : endpoint;
        DataLakeServiceClientBuilder builder = new DataLakeServiceClientBuilder().endpoint(url);
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
            throw new IllegalArgumentException("encore.adls." + key + " must be set when ADLS is enabled (see application-azure.properties)");
        }
        return value;
    }
}

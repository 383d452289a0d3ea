package dev.encore.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first admin of a new installation, so that a container can be signed in to without a
 * shell: {@code ENCORE_ADMIN_PASSWORD} (or {@code ENCORE_ADMIN_PASSWORD_FILE}, a Docker secret)
 * creates the account {@code encore.auth.admin-user} at start when there is none of that name.
 * An existing account is never changed by it: the password is a first password, not a reset.
 */
public record AdminBootstrap(String user, String password) {
    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    @Override
    public String toString() { // a record would print the password
        return "AdminBootstrap[" + user + "]";
    }

    public static AdminBootstrap fromSettings(String user, String password, String passwordFile) {
        if (!password.isEmpty() || passwordFile.isEmpty()) {
            return new AdminBootstrap(user, password);
        }
        try {
            return new AdminBootstrap(user, Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IllegalStateException("encore.auth.admin-password-file " + passwordFile + " cannot be read: " + e.getMessage());
        }
    }

    public void ensure(Accounts accounts) throws SQLException {
        if (password.isEmpty()) {
            return;
        }
        if (accounts.exists(user)) {
            LOG.debug("The admin password from the environment is ignored: the account {} exists", user);
            return;
        }
        String weakness = PasswordHasher.weakness(password);
        if (weakness != null) {
            throw new IllegalStateException("ENCORE_ADMIN_PASSWORD cannot be used: " + weakness);
        }
        try {
            accounts.create(user, password, true);
            LOG.info("Created the admin account {} with the password from the environment", user);
        } catch (AccountException e) {
            LOG.debug("Another replica created the admin account {} first", user);
        }
    }
}

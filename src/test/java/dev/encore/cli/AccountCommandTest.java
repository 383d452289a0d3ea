package dev.encore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.encore.EncoreTestAccess;
import dev.encore.TestDatabases;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code encore account}: accounts made, listed, changed and removed from the command line. */
class AccountCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** The command, with {@code stdin} as its standard input (no terminal in a test). */
    private int run(String stdin, String... args) throws Exception {
        out.reset();
        err.reset();
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--db";
            all[args.length + 1] = db();
            return EncoreTestAccess.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setIn(before);
        }
    }

    private String db() {
        return "jdbc:h2:file:" + tmp.resolve("db/encore");
    }

    private String hashOf(String user) {
        return String.valueOf(TestDatabases.count(db(), "sa", "SELECT COUNT(*) FROM account WHERE user_id = ?", user));
    }

    @Test
    void anAdminIsAddedWithThePasswordFromStandardInputAndListed() throws Exception {
        assertThat(run("zoe's long password\n", "account", "add", "zoe", "--admin")).isZero();
        assertThat(out.toString()).contains("Account zoe created (admin");
        assertThat(hashOf("zoe")).isEqualTo("1");

        assertThat(run("", "account", "list")).isZero();
        assertThat(out.toString()).contains("zoe  admin");
        assertThat(out.toString()).doesNotContain("pbkdf2");
    }

    @Test
    void aTakenNameOrAShortPasswordIsOneLineAndExit1() throws Exception {
        assertThat(run("a long password\n", "account", "add", "zoe")).isZero();
        assertThat(run("another long one\n", "account", "add", "zoe")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("encore: There is already an account for zoe" + System.lineSeparator());
        assertThat(run("short\n", "account", "add", "yan")).isEqualTo(1);
        assertThat(err.toString()).contains("at least 8 characters");
        assertThat(run("", "account", "add", "yan")).isEqualTo(2);
        assertThat(err.toString()).contains("no password");
    }

    @Test
    void aPasswordChangesAndAnAccountGoes() throws Exception {
        assertThat(run("a long password\n", "account", "add", "zoe")).isZero();
        assertThat(run("a new long password\n", "account", "password", "zoe")).isZero();
        assertThat(out.toString()).contains("Password of zoe changed");
        assertThat(run("a new long password\n", "account", "password", "nobody")).isEqualTo(1);
        assertThat(err.toString()).contains("no account for nobody");

        assertThat(run("", "account", "remove", "zoe")).isZero();
        assertThat(hashOf("zoe")).isEqualTo("0");
        assertThat(run("", "account", "remove", "zoe")).isEqualTo(1);
    }

    @Test
    void wrongUsesAreBadArguments() throws Exception {
        assertThat(run("", "account")).isEqualTo(2);
        assertThat(err.toString()).contains("account needs one of add, list, remove, password");
        assertThat(run("", "account", "add")).isEqualTo(2);
        assertThat(run("", "account", "list", "--admin")).isEqualTo(2);
        assertThat(err.toString()).contains("--admin goes with account add");
    }
}

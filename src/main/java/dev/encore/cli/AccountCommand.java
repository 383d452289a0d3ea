package dev.encore.cli;

import dev.encore.Encore;
import dev.encore.access.AccountException;
import dev.encore.access.Accounts;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.camel.main.Main;

/**
 * {@code encore account add|password|remove|list}: who may sign in (docs/access.md). The
 * password never comes from the command line, where {@code ps} and the shell's history would
 * show it: from the terminal, asked twice, or else the first line of standard input (a script,
 * a Docker secret piped in).
 */
public final class AccountCommand {
    private final CommandLine cmd;
    private final Console console;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public AccountCommand(CommandLine cmd, Console console, InputStream in, PrintStream out, PrintStream err) {
        this.cmd = cmd;
        this.console = console;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public int run() throws Exception {
        String action = cmd.operands().get(0);
        String name = cmd.operands().size() > 1 ? cmd.operands().get(1) : null;
        String password = null;
        if (action.equals("add") || action.equals("password")) {
            password = password(name);
            if (password == null) {
                return 2;
            }
        }
        Main main = Encore.newOneShotMain(cmd);
        Encore.start(main);
        try {
            Accounts accounts = main.getCamelContext().getRegistry().lookupByNameAndType("accounts", Accounts.class);
            switch (action) {
                case "add" -> {
                    Accounts.Account made = accounts.create(name, password, cmd.options().containsKey("--admin"));
                    out.println("Account " + made.user() + " created" + (made.admin() ? " (admin: sees every user)" : "")
                            + "; it signs in at /signin.");
                }
                case "password" -> {
                    accounts.setPassword(name, password);
                    out.println("Password of " + name + " changed; its browsers are signed out.");
                }
                case "remove" -> {
                    if (!accounts.delete(name)) {
                        err.println("encore: there is no account " + name);
                        return 1;
                    }
                    out.println("Account " + name + " removed, with its sessions and API tokens; its listening stays.");
                }
                default -> accounts.list().forEach(a ->
                        out.println(a.user() + (a.admin() ? "  admin" : "") + "  since " + a.createdAt()));
            }
            return 0;
        } catch (AccountException e) {
            err.println("encore: " + e.getMessage());
            return 1;
        } finally {
            main.stop();
        }
    }

    private String password(String name) throws IOException {
        if (console != null) {
            char[] first = console.readPassword("Password for %s: ", name);
            char[] second = console.readPassword("Again: ");
            try {
                if (first == null || !Arrays.equals(first, second)) {
                    err.println("encore: the two passwords differ; nothing changed");
                    return null;
                }
                return new String(first);
            } finally {
                if (first != null) {
                    Arrays.fill(first, ' ');
                }
                if (second != null) {
                    Arrays.fill(second, ' ');
                }
            }
        }
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            err.println("encore: no password: type it at the terminal, or give it on the first line of standard input");
            return null;
        }
        return line;
    }
}

package dev.encore;

import java.io.PrintStream;

/** Lets tests in other packages run the command line without System.exit. */
public final class EncoreTestAccess {
    private EncoreTestAccess() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        return Encore.run(args, out, err);
    }
}

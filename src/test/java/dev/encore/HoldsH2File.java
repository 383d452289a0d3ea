package dev.encore;

import java.sql.Connection;
import java.sql.DriverManager;

/** Run as a second process: opens an H2 file database (which locks it), says so, and holds it until killed. */
public final class HoldsH2File {
    static final String READY = "holding";

    private HoldsH2File() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
            System.out.println(READY);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE); // until the test destroys this process
        }
    }
}

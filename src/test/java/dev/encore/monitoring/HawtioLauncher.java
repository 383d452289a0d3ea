package dev.encore.monitoring;

/**
 * Starts a standalone Hawtio with command-line options: hawtio-embedded 3.0.0's own {@code main}
 * ignores them, its {@code run} does not.
 */
public final class HawtioLauncher {
    private HawtioLauncher() {
    }

    public static void main(String[] args) {
        io.hawt.embedded.Main.run(args);
    }
}

package dev.encore;

import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects every log line (message and stack trace) written while it is open. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private Level rootLevel;

    private LogCapture() {
        super("capture", null, null, true, Property.EMPTY_ARRAY);
    }

    public static LogCapture open() {
        return openAt(Level.INFO);
    }

    /** Captures from {@code level} up, as an operator who starts Encore with that log level would see. */
    public static LogCapture openAt(Level level) {
        LogCapture capture = new LogCapture();
        capture.attach(level);
        return capture;
    }

    private void attach(Level level) {
        start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        // `encore import` lowers the level for its own output; capture everything a server would log
        rootLevel = ctx.getConfiguration().getRootLogger().getLevel();
        ctx.getConfiguration().getRootLogger().setLevel(level);
        ctx.getConfiguration().getRootLogger().addAppender(this, null, null);
        ctx.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder s = new StringBuilder(event.getLoggerName()).append(' ').append(event.getMessage().getFormattedMessage());
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            s.append(" | ").append(t);
        }
        lines.add(s.toString());
    }

    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(getName());
        ctx.getConfiguration().getRootLogger().setLevel(rootLevel);
        ctx.updateLoggers();
        stop();
    }
}

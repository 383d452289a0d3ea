package dev.encore.lake;

import dev.encore.export.PrintableNames;
import dev.encore.intake.FileReport;
import dev.encore.intake.Headers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The raw-intake routes' step that loads the raw file in the body (a lake file, or its
 * download); see {@link RawFileLoader}. Sets the headers the intake routes share: the outcome,
 * the report, the user and the path escaped for the log.
 */
public final class RawIntake implements Processor {
    private final RawFileLoader loader;

    public RawIntake(RawFileLoader loader) {
        this.loader = loader;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        File file = in.getMandatoryBody(File.class);
        String path = in.getHeader(Headers.SOURCE_PATH, file.getPath(), String.class);
        byte[] content;
        try {
            content = Files.readAllBytes(file.toPath()); // a page of at most 50 entries
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(PrintableNames.of(path) + " was listed but is gone: the raw zone never deletes a file", e);
        }
        FileReport report = loader.load(content, path);
        in.setHeader(Headers.OUTCOME, report.outcome().name());
        in.setHeader(Headers.REPORT, report);
        in.setHeader(Headers.USER, report.user());
        in.setHeader(Headers.PRINTABLE_PATH, PrintableNames.of(path));
    }
}

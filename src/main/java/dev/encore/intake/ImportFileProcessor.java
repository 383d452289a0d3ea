package dev.encore.intake;

import dev.encore.export.PrintableNames;
import java.io.File;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/** The intake routes' step that loads the file in the body; see {@link ExportImporter}. */
public final class ImportFileProcessor implements Processor {
    private final ExportImporter importer;

    public ImportFileProcessor(ExportImporter importer) {
        this.importer = importer;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        File file = in.getMandatoryBody(File.class);
        FileReport report = importer.importFile(file.toPath(),
                in.getHeader(Headers.SOURCE_PATH, file.getPath(), String.class),
                in.getHeader(Headers.USER, String.class),
                in.getHeader(Headers.SOURCE_KIND, "local", String.class));
        in.setHeader(Headers.OUTCOME, report.outcome().name());
        in.setHeader(Headers.REPORT, report);
        in.setHeader(Headers.PRINTABLE_PATH, PrintableNames.of(report.sourcePath()));
        in.setHeader(Headers.PRINTABLE_USER, PrintableNames.of(report.user()));
    }

    /** For the ADLS route: a file that was listed but gone when downloaded. */
    public void recordMissing(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        FileReport report = importer.missing(in.getHeader(Headers.SOURCE_PATH, String.class),
                in.getHeader(Headers.USER, String.class), in.getHeader(Headers.SOURCE_KIND, "adls", String.class));
        in.setHeader(Headers.OUTCOME, report.outcome().name());
        in.setHeader(Headers.REPORT, report);
    }
}

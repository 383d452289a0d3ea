package dev.encore.intake;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a finished inbox file to {@code inbox/processed/} or {@code inbox/rejected/} (see
 * {@link Disposition}), then releases its claim: the file has left the inbox, and the same file
 * dropped in again later (even with the same name, size and time) should be looked at again.
 */
public final class LocalFileMover implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(LocalFileMover.class);

    private final Path inbox;
    private final IdempotentRepository claims;

    public LocalFileMover(Path inbox, IdempotentRepository claims) {
        this.inbox = inbox;
        this.claims = claims;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Message in = exchange.getMessage();
        FileReport report = in.getHeader(Headers.REPORT, FileReport.class);
        String relative = in.getHeader(Exchange.FILE_NAME, String.class);
        Disposition d = Disposition.of(report, relative, "processed", "rejected");
        if (d == null) {
            return;
        }
        Path source = inbox.resolve(relative);
        Path target = inbox.resolve(d.targetPath());
        Files.createDirectories(target.getParent());
        if (d.reasonPath() != null) {
            Files.writeString(inbox.resolve(d.reasonPath()), d.reasonText(), StandardCharsets.UTF_8);
        }
        Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("Moved {} to {}", relative, inbox.relativize(target));
        claims.remove(in.getHeader(Headers.CLAIM_KEY, String.class));
    }
}

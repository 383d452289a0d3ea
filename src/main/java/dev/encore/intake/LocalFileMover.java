package dev.encore.intake;

import dev.encore.export.PrintableNames;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a finished inbox file to {@code inbox/processed/}, {@code inbox/skipped/} or {@code inbox/rejected/} (see
 * {@link Disposition}), beside any earlier file of the same name, then releases its claim: the file has left the inbox, and the same file
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
        Disposition d = Disposition.of(report, relative, "processed", "skipped", "rejected");
        if (d == null) {
            return;
        }
        Path source = inbox.resolve(relative);
        Path wanted = inbox.resolve(d.targetPath());
        Files.createDirectories(wanted.getParent());
        Path target = moveBeside(source, wanted);
        if (d.reasonPath() != null) {
            Files.writeString(target.resolveSibling(target.getFileName() + Disposition.REASON_SUFFIX), d.reasonText(),
                    StandardCharsets.UTF_8);
        }
        LOG.info("Moved {} to {}", PrintableNames.of(relative), PrintableNames.of(inbox.relativize(target).toString()));
        claims.remove(in.getHeader(Headers.CLAIM_KEY, String.class));
    }

    /**
     * Moves the file to {@code wanted}, or, when an earlier file has that name (Spotify calls every
     * export my_spotify_data.zip), to the first free {@code name (2).ext}, {@code name (3).ext}
     * beside it: an earlier upload is never overwritten. A move never replaces, so two replicas
     * moving at once cannot take the same name either.
     */
    static Path moveBeside(Path source, Path wanted) throws IOException {
        Path target = wanted;
        for (int n = 2; ; n++) {
            try {
                return Files.move(source, target);
            } catch (FileAlreadyExistsException taken) {
                target = wanted.resolveSibling(Disposition.numbered(wanted.getFileName().toString(), n));
            }
        }
    }
}

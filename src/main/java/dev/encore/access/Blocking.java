package dev.encore.access;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * A gate's question to the database, asked on a worker thread (never on the event loop), with the
 * request paused meanwhile: a handler after the gate (Jolokia, a body handler) may still read the
 * body, which must not go by while the answer is awaited. A failure is the server's 500.
 */
final class Blocking {
    private Blocking() {
    }

    static <T> void ask(RoutingContext ctx, Callable<T> question, Consumer<T> then) {
        boolean paused = !ctx.request().isEnded();
        if (paused) {
            ctx.request().pause();
        }
        ctx.vertx().executeBlocking(question, false).onComplete(answer -> {
            if (paused) {
                ctx.request().resume();
            }
            if (answer.failed()) {
                ctx.fail(500, answer.cause());
            } else {
                then.accept(answer.result());
            }
        });
    }
}

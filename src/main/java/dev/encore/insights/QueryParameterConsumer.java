package dev.encore.insights;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;

/**
 * platform-http's consumer, with the request's query parameters as headers, which is how the
 * REST DSL's {@code type: query} parameters are read ({@code ${header.from}}).
 * <p>
 * Camel 4.17 copies the request headers and then the query parameters into the same
 * case-insensitive message headers, each through one {@code HeaderFilterStrategy} call that is
 * not told which of the two it is looking at: a {@code From:} header and {@code ?from=} are the
 * same header, and the header alone passes for the parameter. So {@link HttpHeaderPolicy} lets
 * neither in, and this puts the query parameters in afterwards: the first of a repeated name,
 * never over a path parameter or one of Camel's own headers.
 */
final class QueryParameterConsumer extends VertxPlatformHttpConsumer {

    QueryParameterConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
            String routerName) {
        super(endpoint, processor, handlers, routerName);
    }

    @Override
    protected Future<Void> populateCamelMessage(RoutingContext ctx, Exchange exchange, Message message) {
        Future<Void> populated = super.populateCamelMessage(ctx, exchange, message);
        Map<String, Object> headers = message.getHeaders();
        for (Map.Entry<String, String> parameter : ctx.queryParams()) {
            String name = parameter.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("camel") && !lower.startsWith("org.apache.camel")) {
                headers.putIfAbsent(name, parameter.getValue());
            }
        }
        return populated;
    }
}

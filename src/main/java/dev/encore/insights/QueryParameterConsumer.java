package dev.encore.insights;

import dev.encore.access.AccessApi;
import dev.encore.access.AccessGate;
import dev.encore.access.Caller;
import dev.encore.connect.ConnectFlow;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestParamType;
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
 * neither in, and this puts the query parameters in afterwards: only those the REST DSL declares
 * ({@code type: query} in routes/api.camel.yaml), the first of a repeated name, never over a path
 * parameter. Any other name could pose as a header Camel or Vert.x acts on: {@code ?content-type=}
 * would set the answer's type.
 * <p>
 * Of the request's cookies only the connect flow's session cookie comes in, as the header
 * {@link ConnectFlow#SESSION_HEADER}: the Cookie header itself stays out, with any other site's
 * cookies for this host.
 */
final class QueryParameterConsumer extends VertxPlatformHttpConsumer {

    QueryParameterConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
            String routerName) {
        super(endpoint, processor, handlers, routerName);
        this.routerName = routerName;
    }

    private final String routerName;

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // the server exists once the first consumer found it; its refusals are answered as Encore's
        RefusedRequests.installOn(getEndpoint().getCamelContext(), routerName);
    }

    private volatile Set<String> declared;

    @Override
    protected Future<Void> populateCamelMessage(RoutingContext ctx, Exchange exchange, Message message) {
        Future<Void> populated = super.populateCamelMessage(ctx, exchange, message);
        Map<String, Object> headers = message.getHeaders();
        Set<String> names = declaredQueryParameters();
        for (Map.Entry<String, String> parameter : ctx.queryParams()) {
            if (names.contains(parameter.getKey().toLowerCase(Locale.ROOT))) {
                headers.putIfAbsent(parameter.getKey(), parameter.getValue());
            }
        }
        // the connect flow's session cookie, read from the Cookie header itself: never from a query
        // parameter or another header, and no other cookie (docs/connect.md)
        headers.remove(ConnectFlow.SESSION_HEADER);
        // who is asking, as the access gate found (and nothing of the same names from the request)
        headers.remove(Caller.HEADER);
        headers.remove(AccessApi.ADDRESS_HEADER);
        headers.remove(AccessApi.SECURE_HEADER);
        Caller caller = ctx.get(AccessGate.CALLER);
        if (caller != null) {
            headers.put(Caller.HEADER, caller);
        }
        if (ctx.request().remoteAddress() != null) {
            headers.put(AccessApi.ADDRESS_HEADER, ctx.request().remoteAddress().hostAddress());
        }
        headers.put(AccessApi.SECURE_HEADER, ctx.request().isSSL()
                || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto")));
        io.vertx.core.http.Cookie session = ctx.request().getCookie(ConnectFlow.COOKIE);
        if (session != null) {
            headers.put(ConnectFlow.SESSION_HEADER, session.getValue());
        }
        return populated;
    }

    /** The query parameters the REST DSL declares, lower-cased (headers are case-insensitive). */
    private Set<String> declaredQueryParameters() {
        if (declared == null) {
            Model model = getEndpoint().getCamelContext().getCamelContextExtension().getContextPlugin(Model.class);
            declared = model.getRestDefinitions().stream()
                    .flatMap(rest -> rest.getVerbs().stream())
                    .flatMap(verb -> verb.getParams().stream())
                    .filter(param -> param.getType() == RestParamType.query)
                    .map(param -> param.getName().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
        }
        return declared;
    }
}

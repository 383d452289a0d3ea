package dev.encore.insights;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * The HTTP server's header policy (the platform-http component's {@code headerFilterStrategy}):
 * no request header becomes a message header, so none can pass for a parameter, and no message
 * header becomes a response header but {@code Cache-Control}, so nothing internal (Camel's,
 * Encore's, the parameters) leaks out. Content-Type and the status are written by the server
 * itself; the query parameters come in through {@link QueryParameterConsumer}.
 */
public final class HttpHeaderPolicy extends DefaultHeaderFilterStrategy {
    public HttpHeaderPolicy() {
        // what matches is kept, all else is filtered; nothing matches inbound
        setFilterOnMatch(false);
        setCaseInsensitive(true);
        getOutFilter().add("Cache-Control");
    }
}

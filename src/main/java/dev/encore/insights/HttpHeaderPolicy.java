package dev.encore.insights;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * The HTTP server's header policy (the platform-http component's {@code headerFilterStrategy}):
 * no request header becomes a message header, so none can pass for a parameter, and no message
 * header becomes a response header but {@code Cache-Control}, and the connect flow's redirect and
 * session cookie ({@code Location}, {@code Set-Cookie}), so nothing internal (Camel's,
 * Encore's, the parameters) leaks out. (The session cookie comes in through
 * {@link QueryParameterConsumer}, not as the Cookie header.) Content-Type and the status are written by the server
 * itself; the query parameters come in through {@link QueryParameterConsumer}.
 */
public final class HttpHeaderPolicy extends DefaultHeaderFilterStrategy {
    public HttpHeaderPolicy() {
        // what matches is kept, all else is filtered; nothing matches inbound
        setFilterOnMatch(false);
        setCaseInsensitive(true);
        getOutFilter().add("Cache-Control");
        getOutFilter().add("Location");
        getOutFilter().add("Set-Cookie");
        // how long a client turned away by a 503 should wait (WrappedSlots)
        getOutFilter().add("Retry-After");
    }
}

package dev.encore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host that is down in the two ways a network shows it, on a free loopback port: while open it
 * accepts each connection, reads the request's head and resets the connection (a TCP RST:
 * SO_LINGER 0, then close), counting the connections; once closed, the port refuses them.
 */
public final class ResettingPort implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    private ResettingPort(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::accept, "resetting-port");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static ResettingPort open() {
        try {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new ResettingPort(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}; the port stays this one after {@link #close()}, refusing. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Connections accepted (and reset) so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                connections.incrementAndGet();
                s.setSoTimeout(5_000);
                readHead(s.getInputStream());
                s.setSoLinger(true, 0);
            } catch (IOException e) {
                // closed, or the client gave up first: either way the next connection is reset too
            }
        }
    }

    /** Up to the blank line after the headers, so the request was sent before the reset. */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        for (int b; matched < 4 && (b = in.read()) != -1; ) {
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    /**
     * Refuses from now on, once the connection being reset (accepted before, counted already) is
     * done: after this, {@link #connections()} no longer changes.
     */
    @Override
    public void close() {
        try {
            server.close();
            acceptor.join();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the port closed", e);
        }
    }
}

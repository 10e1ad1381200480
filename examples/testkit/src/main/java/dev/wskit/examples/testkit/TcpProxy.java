package dev.wskit.examples.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on the loopback interface in front of one server port, which a test can cut: a network failure between
 * a client (a browser) and the server, with both ends still running.
 *
 * <p>Every accepted connection is forwarded to the target by two threads, one per direction. {@link #cut()} resets
 * every open connection (both sides see a TCP reset, as when a route breaks) and, until {@link #restore()}, resets
 * every new one as soon as it is accepted, so a client trying to reconnect fails at once. Nothing is buffered or
 * replayed: what was in flight when the connection was cut is lost, as on a real network.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(server.httpPort())) {
 *     driver.get(proxy.uri(server.page()).toString());  // the page and its WebSocket go through the proxy
 *     proxy.cut();                                      // the browser sees the connection break
 *     proxy.restore();                                  // its next attempt gets through
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean cut;
    private volatile boolean closed;

    private TcpProxy(ServerSocket listener, int targetPort) {
        this.listener = listener;
        this.targetPort = targetPort;
    }

    /**
     * Listen on a free port of 127.0.0.1 and forward to a port of 127.0.0.1.
     *
     * @param targetPort the server's port
     * @return the running proxy
     */
    public static TcpProxy start(int targetPort) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            TcpProxy proxy = new TcpProxy(listener, targetPort);
            Thread acceptor = new Thread(proxy::accept, "tcp-proxy-" + listener.getLocalPort() + "-accept");
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for a proxy to port " + targetPort, e);
        }
    }

    /** Return the port the proxy listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Return a URI of the target with the proxy's port instead: the same resource, reached through the proxy.
     *
     * @param target a URI on 127.0.0.1 and the target's port
     * @return the URI through the proxy
     */
    public URI uri(URI target) {
        if (target.getPort() != targetPort) {
            throw new IllegalArgumentException(target + " is not on the proxied port " + targetPort);
        }
        return URI.create(target.toString().replaceFirst(":" + targetPort + "/", ":" + port() + "/"));
    }

    /** Reset every open connection, and every new one until {@link #restore()}. */
    public void cut() {
        cut = true;
        for (Socket socket : open) {
            reset(socket);
        }
    }

    /** Forward new connections again after {@link #cut()}. */
    public void restore() {
        cut = false;
    }

    /** Return how many connections were forwarded so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Return how many connections were reset at once because the proxy was cut. */
    public int refused() {
        return refused.get();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (cut) {
                refused.incrementAndGet();
                reset(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
            } catch (IOException e) {
                // the server is down: the client sees its connection reset, as it would see one refused
                reset(client);
                close(server);
                continue;
            }
            accepted.incrementAndGet();
            open.add(client);
            open.add(server);
            pump(client, server, "up");
            pump(server, client, "down");
        }
    }

    /** Copy one direction until either side ends; then end both. */
    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // reset, cut or closed: the connection is over
            } finally {
                close(from);
                close(to);
            }
        }, "tcp-proxy-" + port() + "-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    private void reset(Socket socket) {
        try {
            // linger 0: close sends a TCP reset instead of an orderly FIN
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed
        }
        close(socket);
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stop listening and reset every connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        cut();
    }
}

package dev.wskit.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a Redis that can make subscriber connections deaf without any socket error: the
 * subscription removed behind the client's back while its connection keeps answering PING.
 *
 * <p>{@link #deafen()} replaces, for every connection through the proxy on which the client has sent a
 * {@code SUBSCRIBE}, the proxy's connection to Redis by a new one subscribed only to a decoy channel, and closes the
 * old one (so Redis drops its subscriptions). The client's socket stays open; its PINGs reach Redis on the new
 * connection and are answered in the subscribed form, so no read times out, but no message of its channels arrives
 * any more. Connections opened later are proxied normally. Publisher connections (no {@code SUBSCRIBE}) are left
 * alone.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start(); DeafeningProxy proxy = DeafeningProxy.to(redis.host(), redis.port())) {
 *     RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(proxy.url()).build());
 *     ...
 *     proxy.deafen();
 * }
 * }</pre>
 */
public final class DeafeningProxy implements AutoCloseable {

    private static final byte[] DECOY_SUBSCRIBE = resp("SUBSCRIBE", "__proxy_decoy");
    private static final byte[] DECOY_REPLY = "*3\r\n$9\r\nsubscribe\r\n$13\r\n__proxy_decoy\r\n:1\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final String host;
    private final int port;
    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private DeafeningProxy(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "deafening-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Start a proxy on a free loopback port.
     *
     * @param host Redis's host
     * @param port Redis's port
     * @return the proxy, accepting connections
     */
    public static DeafeningProxy to(String host, int port) {
        try {
            return new DeafeningProxy(host, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the proxy", e);
        }
    }

    /** Return {@code redis://127.0.0.1:<proxy port>}. */
    public String url() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * Make every subscriber connection open now deaf, see the class doc.
     *
     * @return how many connections were made deaf
     */
    public int deafen() {
        int n = 0;
        for (Link link : links) {
            if (link.subscribed) {
                link.swapUpstream();
                n++;
            }
        }
        return n;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(host, port), 5000);
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Link link : links) {
            link.close();
        }
    }

    private static byte[] resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            b.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** One client connection and the proxy's current connection to Redis for it. */
    private final class Link {

        private final Socket client;
        private volatile Socket upstream;
        private volatile boolean subscribed;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            Thread up = new Thread(this::clientToRedis, "deafening-proxy-up");
            up.setDaemon(true);
            up.start();
            startDown(upstream);
        }

        private void startDown(Socket from) {
            Thread down = new Thread(() -> redisToClient(from), "deafening-proxy-down");
            down.setDaemon(true);
            down.start();
        }

        private void clientToRedis() {
            byte[] buffer = new byte[16384];
            try (InputStream in = client.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!subscribed && new String(buffer, 0, n, StandardCharsets.ISO_8859_1)
                            .toUpperCase(Locale.ROOT).contains("SUBSCRIBE")) {
                        subscribed = true;
                    }
                    synchronized (this) {
                        upstream.getOutputStream().write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // either side closed
            }
            close();
        }

        private void redisToClient(Socket from) {
            byte[] buffer = new byte[16384];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = client.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (out) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // either side closed
            }
            if (from == upstream) {
                // not replaced by deafen(): Redis closed the connection
                close();
            }
        }

        synchronized void swapUpstream() {
            try {
                Socket fresh = new Socket();
                fresh.connect(new InetSocketAddress(host, port), 5000);
                fresh.getOutputStream().write(DECOY_SUBSCRIBE);
                byte[] reply = fresh.getInputStream().readNBytes(DECOY_REPLY.length);
                if (!Arrays.equals(reply, DECOY_REPLY)) {
                    throw new IllegalStateException("unexpected reply to the decoy SUBSCRIBE: "
                            + new String(reply, StandardCharsets.US_ASCII));
                }
                Socket old = upstream;
                upstream = fresh;
                startDown(fresh);
                old.close();
            } catch (IOException e) {
                throw new IllegalStateException("cannot replace the connection to Redis", e);
            }
        }

        void close() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing
            }
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}

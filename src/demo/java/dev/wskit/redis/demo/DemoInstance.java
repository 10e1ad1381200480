package dev.wskit.redis.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import jakarta.websocket.server.ServerEndpointConfig;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.cdi.RedisPubSubExtension;
import dev.wskit.redis.websocket.RedisPubSubEndpoints;

/**
 * One instance of the demo application, in its own JVM: CDI (Weld SE) with the library's extension, configured through
 * MicroProfile Config (the launcher passes {@code WSKIT_REDIS_URL} in the environment), a WebSocket server (Tyrus on
 * Grizzly) deploying {@link ChatEndpoint}, and a small HTTP server for the chat page and the library's JavaScript client
 * ({@code /wskit/wskit.js}, which the page uses).
 *
 * <p>Arguments: {@code <name> <http-port> [<bind-address>]}; the HTTP port falls back to a free one when taken. Both
 * servers listen on the bind address only, {@value #DEFAULT_BIND} (this machine) by default: the demo has no
 * authentication, so exposing it to the network is a choice ({@code 0.0.0.0}). When everything is up it prints one
 * line {@code READY http=<port> ws=<port>} on standard output, which the {@link Demo} launcher waits for.
 * It stops on SIGTERM or SIGINT, or when the launcher is gone: the WebSocket sessions are closed, then the CDI
 * container (and with it the {@link RedisPubSub}) is shut down.
 */
public final class DemoInstance {

    /** The address the servers listen on unless told otherwise: the loopback interface, this machine only. */
    static final String DEFAULT_BIND = "127.0.0.1";

    /** Where the library's jar holds its JavaScript client; served at {@code /wskit/wskit.js}. */
    static final String JAVA_SCRIPT_CLIENT = "META-INF/resources/wskit/wskit.js";

    private DemoInstance() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 && args.length != 3) {
            System.err.println("usage: DemoInstance <name> <http-port> [<bind-address>]");
            System.exit(2);
        }
        String name = args[0];
        int requestedPort = Integer.parseInt(args[1]);
        InetAddress bind = InetAddress.getByName(args.length == 3 ? args[2] : DEFAULT_BIND);

        WeldContainer weld = new Weld("wskit-demo-" + name)
                .disableDiscovery()
                .addExtension(new RedisPubSubExtension())
                .addBeanClass(ChatEndpoint.class)
                .initialize();
        RedisPubSub pubsub = weld.select(RedisPubSub.class).get();

        ServerEndpointConfig chat = RedisPubSubEndpoints.config(ChatEndpoint.class);
        BoundWebSocketServer websocket = new BoundWebSocketServer(bind);
        websocket.addEndpoint(chat);
        websocket.start("/", 0);
        int wsPort = websocket.getPort();

        byte[] page = page(name, wsPort);
        byte[] client = javaScriptClient();
        HttpServer http = bind(bind, requestedPort);
        http.createContext("/", exchange -> serve(exchange, page, client, chat, pubsub));
        http.start();
        int httpPort = http.getAddress().getPort();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(0);
            websocket.stop();
            weld.shutdown();
            stopped.countDown();
        }, "wskit-demo-shutdown"));

        Demo.exitWithParent();
        System.out.println("READY http=" + httpPort + " ws=" + wsPort);
        System.out.flush();
        stopped.await();
    }

    private static HttpServer bind(InetAddress address, int port) throws IOException {
        try {
            return HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (BindException e) {
            System.err.println("port " + port + " is taken, using a free one instead");
            return HttpServer.create(new InetSocketAddress(address, 0), 0);
        }
    }

    private static byte[] page(String name, int wsPort) throws IOException {
        try (InputStream in = DemoInstance.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("index.html is missing next to " + DemoInstance.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("{{instance}}", name)
                    .replace("{{wsPort}}", Integer.toString(wsPort))
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The library's JavaScript client, from its jar ({@value #JAVA_SCRIPT_CLIENT}), as an application server serves it
     * from {@code WEB-INF/lib} at {@code /wskit/wskit.js}.
     */
    private static byte[] javaScriptClient() throws IOException {
        try (InputStream in = DemoInstance.class.getClassLoader().getResourceAsStream(JAVA_SCRIPT_CLIENT)) {
            if (in == null) {
                throw new IllegalStateException(JAVA_SCRIPT_CLIENT + " is missing from the class path");
            }
            return in.readAllBytes();
        }
    }

    private static void serve(HttpExchange exchange, byte[] page, byte[] client, ServerEndpointConfig chat,
            RedisPubSub pubsub) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            String type;
            int status = 200;
            if ("/".equals(path) || "/index.html".equals(path)) {
                body = page;
                type = "text/html; charset=utf-8";
            } else if ("/wskit/wskit.js".equals(path)) {
                body = client;
                type = "text/javascript; charset=utf-8";
            } else if ("/stats".equals(path)) {
                body = (Instant.now() + "\nconnected to Redis: " + pubsub.isConnected()
                        + "\nendpoint: " + RedisPubSubEndpoints.stats(chat)
                        + "\nRedis: " + pubsub.stats() + "\n").getBytes(StandardCharsets.UTF_8);
                type = "text/plain; charset=utf-8";
            } else {
                body = "not found\n".getBytes(StandardCharsets.UTF_8);
                type = "text/plain; charset=utf-8";
                status = 404;
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}

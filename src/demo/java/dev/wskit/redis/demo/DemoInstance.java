package dev.wskit.redis.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;
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
 * Grizzly) deploying {@link ChatEndpoint}, and a small HTTP server for the chat page.
 *
 * <p>Arguments: {@code <name> <http-port>}; the HTTP port falls back to a free one when taken. When everything is up it
 * prints one line {@code READY http=<port> ws=<port>} on standard output, which the {@link Demo} launcher waits for.
 * It stops on SIGTERM or SIGINT, or when the launcher is gone: the WebSocket sessions are closed, then the CDI
 * container (and with it the {@link RedisPubSub}) is shut down.
 */
public final class DemoInstance {

    private DemoInstance() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DemoInstance <name> <http-port>");
            System.exit(2);
        }
        String name = args[0];
        int requestedPort = Integer.parseInt(args[1]);

        WeldContainer weld = new Weld("wskit-demo-" + name)
                .disableDiscovery()
                .addExtension(new RedisPubSubExtension())
                .addBeanClass(ChatEndpoint.class)
                .initialize();
        RedisPubSub pubsub = weld.select(RedisPubSub.class).get();

        ServerEndpointConfig chat = RedisPubSubEndpoints.config(ChatEndpoint.class);
        ServerContainer websocket = ServerContainerFactory.createServerContainer(Map.of());
        websocket.addEndpoint(chat);
        websocket.start("/", 0);
        int wsPort = ((TyrusServerContainer) websocket).getPort();

        byte[] page = page(name, wsPort);
        HttpServer http = bind(requestedPort);
        http.createContext("/", exchange -> serve(exchange, page, chat, pubsub));
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

    private static HttpServer bind(int port) throws IOException {
        try {
            return HttpServer.create(new InetSocketAddress(port), 0);
        } catch (BindException e) {
            System.err.println("port " + port + " is taken, using a free one instead");
            return HttpServer.create(new InetSocketAddress(0), 0);
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

    private static void serve(HttpExchange exchange, byte[] page, ServerEndpointConfig chat, RedisPubSub pubsub)
            throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            String type;
            int status = 200;
            if ("/".equals(path) || "/index.html".equals(path)) {
                body = page;
                type = "text/html; charset=utf-8";
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

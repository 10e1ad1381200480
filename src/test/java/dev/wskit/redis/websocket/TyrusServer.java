package dev.wskit.redis.websocket;

import java.net.URI;
import java.util.Map;

import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.ServerContainerFactory;

/**
 * An in-JVM Tyrus (Grizzly) WebSocket server on a free port, deploying endpoints through
 * {@code ServerContainer.addEndpoint}, as the library's servlet container initializer does in an application server.
 */
final class TyrusServer implements AutoCloseable {

    private final ServerContainer container;
    private final int port;

    private TyrusServer(ServerContainer container, int port) {
        this.container = container;
        this.port = port;
    }

    static TyrusServer start(ServerEndpointConfig... configs) throws Exception {
        ServerContainer container = ServerContainerFactory.createServerContainer(Map.of());
        for (ServerEndpointConfig config : configs) {
            container.addEndpoint(config);
        }
        container.start("/", 0);
        int port = ((TyrusServerContainer) container).getPort();
        if (port <= 0) {
            container.stop();
            throw new IllegalStateException("Tyrus did not report its port, was " + port);
        }
        return new TyrusServer(container, port);
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    @Override
    public void close() {
        container.stop();
    }
}

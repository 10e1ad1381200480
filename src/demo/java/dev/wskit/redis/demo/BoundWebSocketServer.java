package dev.wskit.redis.demo;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Map;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;

import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Tyrus on Grizzly, listening on one address. Tyrus's own Grizzly container always listens on every interface
 * ({@code 0.0.0.0}), so this one sets up the same Grizzly server itself: a listener on the given address whose
 * filter chain hands WebSocket upgrades to Tyrus.
 */
final class BoundWebSocketServer extends TyrusServerContainer {

    private final InetAddress address;
    private final WebSocketEngine engine;
    private HttpServer server;
    private NetworkListener listener;

    BoundWebSocketServer(InetAddress address) {
        super(new HashSet<Class<?>>());
        this.address = address;
        this.engine = TyrusWebSocketEngine.builder(this).build();
    }

    @Override
    public void register(Class<?> endpointClass) throws DeploymentException {
        engine.register(endpointClass, "/");
    }

    @Override
    public void register(ServerEndpointConfig config) throws DeploymentException {
        engine.register(config, "/");
    }

    @Override
    public Map<String, Object> getProperties() {
        return Map.of();
    }

    @Override
    public WebSocketEngine getWebSocketEngine() {
        return engine;
    }

    @Override
    public void start(String rootPath, int port) throws IOException, DeploymentException {
        server = new HttpServer();
        listener = new NetworkListener("wskit-demo-ws", address.getHostAddress(), port);
        // WebSocket connections stay open however long they are idle, as in Tyrus's own container
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
        listener.registerAddOn(webSocketAddOn(rootPath));
        server.addListener(listener);
        server.start();
        super.start(rootPath, listener.getPort());
    }

    /**
     * Tyrus's own add-on, which puts its WebSocket filter in front of Grizzly's HTTP filter. Its constructor is
     * package-private (only Tyrus's container, which binds every interface, is meant to create it), hence
     * reflection; on the class path nothing stops it.
     */
    private AddOn webSocketAddOn(String rootPath) throws DeploymentException {
        try {
            Constructor<WebSocketAddOn> constructor = WebSocketAddOn.class.getDeclaredConstructor(
                    ServerContainer.class, String.class);
            constructor.setAccessible(true);
            return constructor.newInstance(this, rootPath);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new DeploymentException("cannot create Tyrus's Grizzly add-on (" + e + "); was Tyrus updated?", e);
        }
    }

    @Override
    public int getPort() {
        return listener.getPort();
    }

    @Override
    public void stop() {
        super.stop();
        server.shutdownNow();
    }
}

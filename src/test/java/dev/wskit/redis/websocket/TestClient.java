package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;

/** A Tyrus WebSocket client that collects the text messages it receives. */
final class TestClient extends Endpoint implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static final ClientManager CLIENT = createClient();

    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private volatile Session session;

    private static ClientManager createClient() {
        ClientManager client = ClientManager.createClient();
        // one Grizzly transport for every connection, so that a thousand clients do not mean a thousand thread pools
        client.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
        // no idle timeout: Tyrus schedules it on the client manager's executor, which the manager shuts down whenever
        // its connection count drops to zero, racing with a connection being opened in the next test
        client.setDefaultMaxSessionIdleTimeout(-1);
        return client;
    }

    static TestClient connect(URI uri) throws Exception {
        TestClient client = new TestClient();
        CLIENT.connectToServer(client, ClientEndpointConfig.Builder.create().build(), uri);
        return client;
    }

    /** Connect with this Origin header, as a browser on a page of that origin would. */
    static TestClient connect(URI uri, String origin) throws Exception {
        TestClient client = new TestClient();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        headers.put("Origin", List.of(origin));
                    }
                })
                .build();
        CLIENT.connectToServer(client, config, uri);
        return client;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        session.setMaxTextMessageBufferSize(1 << 20);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) received::add);
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        closed.complete(closeReason);
    }

    @Override
    public void onError(Session session, Throwable error) {
        // reported through onClose
    }

    void send(String text) throws IOException {
        session.getBasicRemote().sendText(text);
    }

    void sendBinary(byte[] data) throws IOException {
        session.getBasicRemote().sendBinary(ByteBuffer.wrap(data));
    }

    /** Wait for the next message. */
    String next() throws InterruptedException {
        String message = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("a message within %s", TIMEOUT).isNotNull();
        return message;
    }

    /** Wait for the next messages and check them. */
    void expect(String... messages) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < messages.length; i++) {
            got.add(next());
        }
        assertThat(got).containsExactly(messages);
    }

    /** Wait until the server closed the session, and return why. */
    CloseReason awaitClose() throws Exception {
        return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    @Override
    public void close() {
        Session s = session;
        if (s != null && s.isOpen()) {
            try {
                s.close();
            } catch (IOException | RuntimeException e) {
                // the connection is gone already
            }
        }
    }
}

package dev.wskit.redis.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;

/**
 * The {@link Session} of an {@link EndpointTester.Client}: what a WebSocket container would give the endpoint, with
 * text sent to the client recorded instead of written to a socket. Sends complete at once, on the sending thread,
 * unless the client {@linkplain EndpointTester.Client#pauseReading() paused reading}.
 */
final class TestSession implements Session {

    private final String id;
    private final URI requestUri;
    private final String queryString;
    private final Map<String, String> pathParameters;
    private final Map<String, List<String>> requestParameters;
    private final Principal principal;
    private final Supplier<Set<Session>> openSessions;
    private final Map<String, Object> userProperties = new ConcurrentHashMap<>();
    private final Set<MessageHandler> handlers = new LinkedHashSet<>();
    private final Async async = new Async();
    private final Basic basic = new Basic();

    private final Object lock = new Object();
    // guarded by lock
    private final List<String> received = new ArrayList<>();
    private MessageHandler.Whole<String> textHandler;
    private MessageHandler.Whole<ByteBuffer> binaryHandler;
    private Endpoint endpoint;
    private boolean open = true;
    private boolean opening;
    private CloseReason closeReason;
    private CloseReason closeWhileOpening;
    private boolean paused;
    private String pendingText;
    private SendHandler pendingHandler;

    TestSession(String id, URI requestUri, String queryString, Map<String, String> pathParameters,
            Map<String, List<String>> requestParameters, Principal principal,
            Supplier<Set<Session>> openSessions) {
        this.id = id;
        this.requestUri = requestUri;
        this.queryString = queryString;
        this.pathParameters = Map.copyOf(pathParameters);
        this.requestParameters = Map.copyOf(requestParameters);
        this.principal = principal;
        this.openSessions = openSessions;
    }

    /** Run the container's open: {@code onOpen}, then a close the endpoint asked for meanwhile. */
    void open(Endpoint delegate, EndpointConfig config) {
        synchronized (lock) {
            endpoint = delegate;
            opening = true;
        }
        try {
            delegate.onOpen(this, config);
        } finally {
            CloseReason deferred;
            synchronized (lock) {
                opening = false;
                deferred = closeWhileOpening;
            }
            if (deferred != null) {
                delegate.onClose(this, deferred);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ client side

    void receiveText(String text) {
        MessageHandler.Whole<String> handler;
        synchronized (lock) {
            requireOpen();
            handler = textHandler;
        }
        if (handler != null) {
            handler.onMessage(text);
        }
    }

    void receiveBinary(ByteBuffer data) {
        MessageHandler.Whole<ByteBuffer> handler;
        synchronized (lock) {
            requireOpen();
            handler = binaryHandler;
        }
        if (handler != null) {
            handler.onMessage(data);
        }
    }

    private void requireOpen() {
        if (!open) {
            throw new IllegalStateException("session " + id + " is closed (" + closeReason + ")");
        }
    }

    List<String> received() {
        synchronized (lock) {
            return List.copyOf(received);
        }
    }

    void clearReceived() {
        synchronized (lock) {
            received.clear();
        }
    }

    CloseReason closeReason() {
        synchronized (lock) {
            return closeReason;
        }
    }

    void pause() {
        synchronized (lock) {
            paused = true;
        }
    }

    void resume() {
        SendHandler handler;
        boolean sent;
        synchronized (lock) {
            paused = false;
            handler = pendingHandler;
            sent = open;
            if (handler != null && sent) {
                received.add(pendingText);
            }
            pendingText = null;
            pendingHandler = null;
        }
        if (handler != null) {
            // the send queue sends its next message from this callback, on this thread
            handler.onResult(sent ? new SendResult() : new SendResult(new IOException("session " + id + " is closed")));
        }
    }

    // ------------------------------------------------------------------------------------------ Session

    @Override
    public void close(CloseReason reason) {
        Endpoint target;
        synchronized (lock) {
            if (!open) {
                return;
            }
            open = false;
            closeReason = reason;
            if (opening) {
                // as a container would: onClose after onOpen returned
                closeWhileOpening = reason;
                return;
            }
            target = endpoint;
        }
        if (target != null) {
            target.onClose(this, reason);
        }
    }

    @Override
    public void close() {
        close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
    }

    @Override
    public boolean isOpen() {
        synchronized (lock) {
            return open;
        }
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public URI getRequestURI() {
        return requestUri;
    }

    @Override
    public String getQueryString() {
        return queryString;
    }

    @Override
    public Map<String, String> getPathParameters() {
        return pathParameters;
    }

    @Override
    public Map<String, List<String>> getRequestParameterMap() {
        return requestParameters;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public Map<String, Object> getUserProperties() {
        return userProperties;
    }

    @Override
    public Set<Session> getOpenSessions() {
        return openSessions.get();
    }

    @Override
    public void addMessageHandler(MessageHandler handler) {
        throw new UnsupportedOperationException("EndpointTester sessions take typed handlers only:"
                + " addMessageHandler(Class, MessageHandler.Whole)");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> void addMessageHandler(Class<T> type, MessageHandler.Whole<T> handler) {
        synchronized (lock) {
            if (type == String.class) {
                textHandler = (MessageHandler.Whole<String>) handler;
            } else if (type == ByteBuffer.class) {
                binaryHandler = (MessageHandler.Whole<ByteBuffer>) handler;
            } else {
                throw new UnsupportedOperationException("EndpointTester sessions take String and ByteBuffer"
                        + " handlers only, was " + type.getName());
            }
            handlers.add(handler);
        }
    }

    @Override
    public <T> void addMessageHandler(Class<T> type, MessageHandler.Partial<T> handler) {
        throw new UnsupportedOperationException("EndpointTester sessions take whole-message handlers only");
    }

    @Override
    public Set<MessageHandler> getMessageHandlers() {
        synchronized (lock) {
            return Set.copyOf(handlers);
        }
    }

    @Override
    public void removeMessageHandler(MessageHandler handler) {
        synchronized (lock) {
            handlers.remove(handler);
            if (textHandler == handler) {
                textHandler = null;
            }
            if (binaryHandler == handler) {
                binaryHandler = null;
            }
        }
    }

    @Override
    public RemoteEndpoint.Async getAsyncRemote() {
        return async;
    }

    @Override
    public RemoteEndpoint.Basic getBasicRemote() {
        return basic;
    }

    /**
     * Return {@code null}: there is no container.
     *
     * @return {@code null}
     */
    @Override
    public WebSocketContainer getContainer() {
        return null;
    }

    @Override
    public String getProtocolVersion() {
        return "13";
    }

    @Override
    public String getNegotiatedSubprotocol() {
        return "";
    }

    @Override
    public List<Extension> getNegotiatedExtensions() {
        return List.of();
    }

    @Override
    public boolean isSecure() {
        return requestUri.getScheme().equals("wss");
    }

    @Override
    public long getMaxIdleTimeout() {
        return 0;
    }

    @Override
    public void setMaxIdleTimeout(long milliseconds) {
    }

    @Override
    public void setMaxBinaryMessageBufferSize(int length) {
    }

    @Override
    public int getMaxBinaryMessageBufferSize() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void setMaxTextMessageBufferSize(int length) {
    }

    @Override
    public int getMaxTextMessageBufferSize() {
        return Integer.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "TestSession{" + id + " " + requestUri + "}";
    }

    /** Text for the client: recorded, or held while the client does not read. */
    private void send(String text, SendHandler handler) {
        boolean sent;
        synchronized (lock) {
            if (!open) {
                sent = false;
            } else if (paused) {
                if (pendingHandler != null) {
                    throw new IllegalStateException("a send is in flight already on session " + id);
                }
                pendingText = text;
                pendingHandler = handler;
                return;
            } else {
                received.add(text);
                sent = true;
            }
        }
        handler.onResult(sent ? new SendResult() : new SendResult(new IOException("session " + id + " is closed")));
    }

    private abstract class Remote implements RemoteEndpoint {

        @Override
        public void setBatchingAllowed(boolean allowed) {
        }

        @Override
        public boolean getBatchingAllowed() {
            return false;
        }

        @Override
        public void flushBatch() {
        }

        @Override
        public void sendPing(ByteBuffer applicationData) {
        }

        @Override
        public void sendPong(ByteBuffer applicationData) {
        }

        UnsupportedOperationException textOnly() {
            return new UnsupportedOperationException("EndpointTester records text messages only");
        }
    }

    private final class Async extends Remote implements RemoteEndpoint.Async {

        @Override
        public long getSendTimeout() {
            return 0;
        }

        @Override
        public void setSendTimeout(long timeout) {
        }

        @Override
        public void sendText(String text, SendHandler handler) {
            send(text, handler);
        }

        @Override
        public Future<Void> sendText(String text) {
            CompletableFuture<Void> future = new CompletableFuture<>();
            send(text, result -> {
                if (result.isOK()) {
                    future.complete(null);
                } else {
                    future.completeExceptionally(result.getException());
                }
            });
            return future;
        }

        @Override
        public Future<Void> sendBinary(ByteBuffer data) {
            throw textOnly();
        }

        @Override
        public void sendBinary(ByteBuffer data, SendHandler handler) {
            throw textOnly();
        }

        @Override
        public Future<Void> sendObject(Object data) {
            throw textOnly();
        }

        @Override
        public void sendObject(Object data, SendHandler handler) {
            throw textOnly();
        }
    }

    private final class Basic extends Remote implements RemoteEndpoint.Basic {

        @Override
        public void sendText(String text) throws IOException {
            IOException[] failure = new IOException[1];
            send(text, result -> {
                if (!result.isOK()) {
                    failure[0] = new IOException(result.getException());
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        }

        @Override
        public void sendBinary(ByteBuffer data) {
            throw textOnly();
        }

        @Override
        public void sendText(String partialMessage, boolean isLast) {
            throw textOnly();
        }

        @Override
        public void sendBinary(ByteBuffer partialByte, boolean isLast) {
            throw textOnly();
        }

        @Override
        public OutputStream getSendStream() {
            throw textOnly();
        }

        @Override
        public Writer getSendWriter() {
            throw textOnly();
        }

        @Override
        public void sendObject(Object data) {
            throw textOnly();
        }
    }
}

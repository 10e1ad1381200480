package dev.wskit.examples.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A WebSocket client (the JDK's {@code java.net.http.WebSocket}) that collects the text messages it receives and
 * remembers how the server closed the connection.
 */
public final class ChatClient implements AutoCloseable {

    /** How the connection was closed: the close code and reason, or an error. */
    public record Closed(int code, String reason, Throwable error) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private volatile boolean paused;
    private WebSocket socket;

    private ChatClient(String name) {
        this.name = name;
    }

    /**
     * Connect, waiting at most 10 s for the handshake.
     *
     * @param name a name for messages
     * @param uri the WebSocket URI
     * @return the connected client
     */
    public static ChatClient connect(String name, URI uri) {
        try {
            return connectOnce(name, uri);
        } catch (AssertionError e) {
            // Payara Micro 7.2025.1 answers a handshake now and then with 500 after an internal NullPointerException
            // in its web security (RealmAdapter.getResourceName: "contextPath" is null), before the request reaches
            // any application: one more try, said in the log; a second failure fails the test
            if (e.getMessage() != null && e.getMessage().contains("HTTP 5")) {
                System.out.println("[testkit] " + name + ": " + e.getMessage() + "; trying once more");
                return connectOnce(name, uri);
            }
            throw e;
        }
    }

    /**
     * Write this JVM's threads (the clients' side) to a file under {@code target/}, for a failure's diagnosis.
     *
     * @param label a part of the file name
     * @return the file written, or a line that says why there is none
     */
    public static String threadsOfThisJvm(String label) {
        StringBuilder out = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            out.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
            for (StackTraceElement e : stack) {
                out.append("    at ").append(e).append('\n');
            }
            out.append('\n');
        });
        java.nio.file.Path file = java.nio.file.Path.of("target",
                "client-threads-" + label.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + System.nanoTime() + ".txt");
        try {
            java.nio.file.Files.writeString(file, out);
            return file.toAbsolutePath().toString();
        } catch (java.io.IOException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private static ChatClient connectOnce(String name, URI uri) {
        return connectOnce(name, uri, null);
    }

    /**
     * Connect with an {@code Origin} header, as a browser page of that origin would, waiting at most 10 s.
     *
     * @param name a name for messages
     * @param uri the WebSocket URI
     * @param origin the origin, such as {@code https://chat.example}
     * @return the connected client
     * @throws AssertionError if the handshake fails; its message has the HTTP status, such as {@code (HTTP 403)}
     */
    public static ChatClient connectFrom(String name, URI uri, String origin) {
        return connectOnce(name, uri, origin);
    }

    private static ChatClient connectOnce(String name, URI uri, String origin) {
        ChatClient client = new ChatClient(name);
        try {
            WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
            if (origin != null) {
                builder.header("Origin", origin);
            }
            client.socket = builder.buildAsync(uri, client.new Listener()).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted connecting to " + uri, e);
        } catch (ExecutionException e) {
            String status = e.getCause() instanceof WebSocketHandshakeException h
                    ? " (HTTP " + h.getResponse().statusCode() + ")" : "";
            throw new AssertionError(name + ": cannot connect to " + uri + status + ": " + e, e);
        } catch (TimeoutException e) {
            throw new AssertionError(name + ": cannot connect to " + uri + ": " + e, e);
        }
        return client;
    }

    /**
     * Connect a client that reads one message and then stops reading until {@link #resume()}: a stalled client, whose
     * TCP receive buffer fills up, so that the server cannot write to it any more.
     *
     * @param name a name for messages
     * @param uri the WebSocket URI
     * @return the connected, stalled client
     */
    public static ChatClient connectStalled(String name, URI uri) {
        ChatClient client = new ChatClient(name);
        client.paused = true;
        try {
            client.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(uri, client.new Listener()).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted connecting to " + uri, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(name + ": cannot connect to " + uri + ": " + e, e);
        }
        return client;
    }

    /** Read again after {@link #connectStalled}. */
    public void resume() {
        paused = false;
        socket.request(Long.MAX_VALUE);
    }

    /**
     * Send a text message, waiting until the JDK client handed it to the socket.
     *
     * @param text the message
     */
    public void send(String text) {
        try {
            socket.sendText(text, true).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted sending", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(name + ": cannot send \"" + text + "\": " + e, e);
        }
    }

    /**
     * Take received messages until one matches.
     *
     * @param what what is awaited, for the failure message
     * @param matcher the condition
     * @param timeout how long at most
     * @return the matching message
     * @throws AssertionError if none arrives in time
     */
    public String await(String what, Predicate<String> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            String message;
            try {
                message = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(name + ": interrupted", e);
            }
            if (message == null) {
                throw new AssertionError(name + ": no message " + what + " within " + timeout.toMillis() + " ms;"
                        + " received meanwhile: " + skipped + "; closed: " + closed.getNow(null));
            }
            if (matcher.test(message)) {
                return message;
            }
            skipped.add(message);
        }
    }

    /**
     * Wait for an exact message.
     *
     * @param text the message
     * @param timeout how long at most
     */
    public void awaitText(String text, Duration timeout) {
        await("\"" + text + "\"", text::equals, timeout);
    }

    /**
     * Take the next message.
     *
     * @param timeout how long at most
     * @return the message, or {@code null} if none arrived
     */
    public String poll(Duration timeout) {
        try {
            return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Return every message received so far, in order. */
    public synchronized List<String> all() {
        return List.copyOf(all);
    }

    /** Tell whether the server closed the connection or it broke. */
    public boolean isClosed() {
        return closed.isDone();
    }

    /**
     * Wait at most {@code timeout} for the connection to end.
     *
     * @param timeout how long to wait
     * @return how it ended, or {@code null} if it is still open
     */
    public Closed closedWithin(Duration timeout) {
        try {
            return closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    /**
     * Wait until the connection is closed.
     *
     * @param timeout how long at most
     * @return how it was closed
     */
    public Closed awaitClosed(Duration timeout) {
        Closed c = closedWithin(timeout);
        if (c == null) {
            throw new AssertionError(name + ": not closed within " + timeout.toMillis() + " ms; received " + all());
        }
        return c;
    }

    @Override
    public void close() {
        if (socket != null && !closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null);
            closed.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
            socket.abort();
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                synchronized (ChatClient.this) {
                    all.add(message);
                }
                received.add(message);
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason, null));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(-1, null, error));
        }
    }
}

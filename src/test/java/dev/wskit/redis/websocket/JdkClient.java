package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client of the JDK ({@code java.net.http}), which sends the path of its URI as given, percent-encoded
 * (Tyrus's client decodes it into the request line, which Grizzly refuses with 505 for characters beyond ASCII).
 * Sends no {@code Origin} header, like most clients that are not browsers.
 */
final class JdkClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final WebSocket socket;

    private JdkClient(URI uri) throws Exception {
        StringBuilder text = new StringBuilder();
        socket = HTTP.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeReason.complete(reason);
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeCode.complete(-1);
                closeReason.complete(String.valueOf(error));
            }
        }).get(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static JdkClient connect(URI uri) throws Exception {
        return new JdkClient(uri);
    }

    void send(String text) throws Exception {
        socket.sendText(text, true).get(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    void expect(String message) throws InterruptedException {
        String got = received.poll(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(got).as("a message within %s", TestClient.TIMEOUT).isEqualTo(message);
    }

    int awaitCloseCode() throws Exception {
        return closeCode.get(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}

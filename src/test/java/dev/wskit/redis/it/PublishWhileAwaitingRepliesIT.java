package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * A publish is written to Redis at once, even while the replies of earlier publishes have not arrived: the
 * publisher's writes never wait for its reads. Between the library and a private Redis sits a proxy that forwards
 * everything the library writes at once but, once told to, holds back what Redis answers. A plain subscriber directly
 * on Redis must then receive every message although no reply reached the library; when the proxy lets the replies
 * through, every publish completes. (At most two batches wait for their replies; a third accumulates meanwhile,
 * which is how batches grow under load.)
 *
 * <p>A publisher that reads the reply of each batch before it writes the next would write the first message only,
 * and the second after the first reply: a round trip of added latency for every message that comes while one is
 * answered.
 */
class PublishWhileAwaitingRepliesIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private RedisServer server;
    private ReplyHoldingProxy proxy;
    private RedisPubSub pubsub;
    private Jedis subscriberClient;
    private Thread subscriberThread;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.start();
        proxy = new ReplyHoldingProxy(server.port());
        subscriberClient = server.newClient();
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        subscriberThread = new Thread(() -> subscriberClient.subscribe(new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int subscribedChannels) {
                subscribed.complete(null);
            }

            @Override
            public void onMessage(String channel, String message) {
                received.add(message);
            }
        }, "ws:news"), "plain-subscriber");
        subscriberThread.setDaemon(true);
        subscriberThread.start();
        subscribed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url("redis://127.0.0.1:" + proxy.port())
                // the proxy holds the replies of the first connection that gets one: no check connection as well
                .selfCheck(RedisPubSubOptions.SelfCheck.OFF)
                .clientName("held-replies").commandTimeout(Duration.ofSeconds(60)).build());
        pubsub.connected().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // one publish answered before the replies are held: the publisher is idle, nothing is in flight
        Probes.join(pubsub.publish("news", "warm-up"));
        assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("warm-up");
    }

    @AfterEach
    void stop() throws Exception {
        if (pubsub != null) {
            pubsub.destroy();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (subscriberClient != null) {
            subscriberClient.close();
        }
        if (subscriberThread != null) {
            subscriberThread.join(WAIT.toMillis());
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void messagesAreWrittenWhileEarlierRepliesAreOutstanding() throws Exception {
        proxy.holdReplies();
        CompletableFuture<Void> first = pubsub.publish("news", "one").toCompletableFuture();
        assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the first message").isEqualTo("one");
        CompletableFuture<Void> second = pubsub.publish("news", "two").toCompletableFuture();
        CompletableFuture<Void> third = pubsub.publish("news", "three").toCompletableFuture();

        assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("the second message, written while the first one's reply is held back").isEqualTo("two");
        assertThat(first).as("no reply reached the publisher yet").isNotDone();

        // two batches unanswered: the next one accumulates until a reply comes (the batching under load)
        proxy.releaseReplies();
        assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the third message").isEqualTo("three");
        CompletableFuture.allOf(first, second, third).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(pubsub.stats().published()).isEqualTo(4);
        assertThat(pubsub.stats().publishFailures()).isZero();
    }

    /**
     * Forwards each accepted connection to Redis: the client's bytes at once, Redis's bytes at once until
     * {@link #holdReplies()}, then kept until {@link #releaseReplies()}.
     */
    static final class ReplyHoldingProxy implements AutoCloseable {

        private final ServerSocket listener;
        private final int redisPort;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final Object lock = new Object();
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();
        private boolean holding;
        private OutputStream heldFor;

        ReplyHoldingProxy(int redisPort) throws IOException {
            this.redisPort = redisPort;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "proxy-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        void holdReplies() {
            synchronized (lock) {
                holding = true;
            }
        }

        void releaseReplies() throws IOException {
            synchronized (lock) {
                holding = false;
                if (heldFor != null) {
                    heldFor.write(held.toByteArray());
                    heldFor.flush();
                }
                held.reset();
            }
        }

        private void accept() {
            try {
                while (!listener.isClosed()) {
                    Socket client = listener.accept();
                    Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                    client.setTcpNoDelay(true);
                    redis.setTcpNoDelay(true);
                    sockets.add(client);
                    sockets.add(redis);
                    pump(client.getInputStream(), redis.getOutputStream(), false);
                    pump(redis.getInputStream(), client.getOutputStream(), true);
                }
            } catch (IOException closed) {
                // the proxy was closed
            }
        }

        private void pump(InputStream from, OutputStream to, boolean replies) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    int n;
                    while ((n = from.read(buffer)) >= 0) {
                        synchronized (lock) {
                            if (replies && holding) {
                                // one connection's replies are held: the test holds the publisher's (the
                                // subscriber connection's PINGs answer only every few seconds)
                                if (heldFor == null || heldFor == to) {
                                    heldFor = to;
                                    held.write(buffer, 0, n);
                                    continue;
                                }
                            }
                            to.write(buffer, 0, n);
                            to.flush();
                        }
                    }
                } catch (IOException closed) {
                    // one side closed
                }
                closeQuietly(to);
            }, replies ? "proxy-replies" : "proxy-requests");
            t.setDaemon(true);
            t.start();
        }

        private static void closeQuietly(OutputStream out) {
            try {
                out.close();
            } catch (IOException ignored) {
                // closed already
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}

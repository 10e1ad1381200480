package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisCluster;
import dev.wskit.redis.testing.RedisSentinelGroup;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Publishing while the instance connects ({@code holdPublishesWhileConnecting}) and waiting for the connection
 * ({@link RedisPubSub#connected()}), on a standalone Redis, Sentinel and a Cluster (classic and sharded).
 *
 * <p>"Connecting" is made deterministic with a {@link SilentServer}: it accepts TCP connections and never answers,
 * so a connection attempt stays under way until its command timeout. "Down" is a port nothing listens on.
 */
class ConnectingIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int FRESH_INSTANCES = 10;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        resources.clear();
    }

    private RedisPubSub create(String url, Consumer<RedisPubSubOptions.Builder> customizer) {
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder()
                .url(url)
                .reconnectDelay(Duration.ofMillis(50))
                .maxReconnectDelay(Duration.ofMillis(500))
                .onError(errors::add);
        customizer.accept(builder);
        RedisPubSub pubsub = RedisPubSub.create(builder.build());
        resources.add(pubsub);
        return pubsub;
    }

    private RedisPubSub create(String url) {
        return create(url, b -> { });
    }

    // ---------------------------------------------------------------- standalone

    @Test
    void aPublishRightAfterCreateIsSent() {
        RedisServer server = own(RedisServer.start());
        publishRightAfterCreate(server.url(), FRESH_INSTANCES);
    }

    @Test
    void strictFailFastRejectsAPublishWhileConnecting() throws Exception {
        SilentServer silent = own(new SilentServer());
        RedisPubSub pubsub = create(silent.url(), b -> b.holdPublishesWhileConnecting(Duration.ZERO)
                .commandTimeout(Duration.ofSeconds(30)));
        silent.awaitConnection();

        Throwable failure = failureOf(pubsub.publish("news", "too early"));
        assertThat(failure).isInstanceOf(RedisPubSubException.class)
                .hasMessageContaining("Redis is unreachable at " + silent.hostAndPort())
                .hasMessageContaining("still connecting")
                .hasMessageContaining("the message was not sent");
    }

    @Test
    void aHeldPublishFailsWhenTheAttemptFails() throws Exception {
        SilentServer silent = own(new SilentServer());
        RedisPubSub pubsub = create(silent.url(), b -> b.holdPublishesWhileConnecting(Duration.ofMinutes(1))
                .commandTimeout(Duration.ofMillis(300)));
        silent.awaitConnection();

        CompletableFuture<Void> held = pubsub.publish("news", "waits").toCompletableFuture();
        Throwable failure = failureOf(held);
        assertThat(failure).isInstanceOf(RedisPubSubException.class)
                .hasMessageContaining("publish rejected: Redis is unreachable at " + silent.hostAndPort())
                .hasMessageContaining("the message was not sent");
        // the attempt failed: Redis is known to be down now, publishes fail at once
        assertThat(pubsub.publish("news", "later").toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void redisDownAtStartFailsPublishesUntilItComes() throws Exception {
        RedisServer server = own(RedisServer.start());
        server.stop();
        RedisPubSub pubsub = create(server.url());
        CompletionStage<Void> connected = pubsub.connected();

        Throwable failure = failureOf(pubsub.publish("news", "nobody"));
        assertThat(failure).isInstanceOf(RedisPubSubException.class)
                .hasMessageContaining("Redis is unreachable at " + server.host() + ":" + server.port());
        assertThat(connected.toCompletableFuture()).isNotDone();

        server.restart();
        connected.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(pubsub.isConnected()).isTrue();
        pubsub.publish("news", "now").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void publishesAfterALostConnectionAreHeldAndSentInOrder() throws Exception {
        RedisServer server = own(RedisServer.start());
        RedisPubSub receiver = create(server.url());
        Collector received = new Collector();
        receiver.subscribe("news", received).ready().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        RedisPubSub pubsub = create(server.url(), b -> b.clientName("holder"));
        pubsub.connected().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        pubsub.publish("news", "before").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(received.next().message()).isEqualTo("before");

        try (Jedis admin = server.newClient()) {
            String id = admin.clientList().lines().filter(line -> line.contains(" name=holder-pub "))
                    .map(line -> line.substring(3, line.indexOf(' '))).findFirst().orElseThrow();
            admin.clientKill(ClientKillParams.clientKillParams().id(id));
        }
        // the publisher finds out with this write: it was on the wire when the connection broke
        Throwable lost = failureOf(pubsub.publish("news", "on the broken connection"));
        assertThat(lost).hasMessageContaining("may or may not have been delivered");

        // the reconnect is under way: these are held, then sent in order
        List<CompletableFuture<Void>> held = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            held.add(pubsub.publish("news", "held " + i).toCompletableFuture());
        }
        CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (int i = 0; i < 100; i++) {
            Object message = received.next().message();
            if (i == 0 && "on the broken connection".equals(message)) {
                message = received.next().message();
            }
            assertThat(message).isEqualTo("held " + i);
        }
    }

    @Test
    void connectedCompletesAtOnceWhenConnectedAndFailsOnDestroy() throws Exception {
        RedisServer server = own(RedisServer.start());
        RedisPubSub pubsub = create(server.url());
        pubsub.subscribe("news", (channel, message) -> { });
        pubsub.connected().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(pubsub.isConnected()).isTrue();
        assertThat(pubsub.connected().toCompletableFuture()).isCompleted();
        assertThat(server.numsub("ws:news")).as("every subscription was confirmed").isOne();

        server.stop();
        RedisPubSub down = create(server.url());
        CompletableFuture<Void> waiting = down.connected().toCompletableFuture();
        down.destroy();
        Throwable failure = failureOf(waiting);
        assertThat(failure).isInstanceOf(RedisPubSubException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(down.connected().toCompletableFuture()).isCompletedExceptionally();
    }

    // ---------------------------------------------------------------- Sentinel

    @Nested
    @TestInstance(Lifecycle.PER_CLASS)
    class Sentinel {

        private RedisSentinelGroup group;

        @BeforeAll
        void startGroup() {
            group = RedisSentinelGroup.builder().replicas(1).sentinels(1, 1).start();
        }

        @AfterAll
        void stopGroup() {
            if (group != null) {
                group.close();
            }
        }

        @Test
        void aPublishRightAfterCreateIsSent() {
            publishRightAfterCreate(group.url(), FRESH_INSTANCES);
        }

        @Test
        void strictFailFastAndHoldWhileTheSentinelDoesNotAnswer() throws Exception {
            SilentServer silent = own(new SilentServer());
            String url = "redis-sentinel://" + silent.hostAndPort() + "?sentinels=" + group.masterName();
            RedisPubSub strict = create(url, b -> b.holdPublishesWhileConnecting(Duration.ZERO)
                    .connectTimeout(Duration.ofSeconds(30)).commandTimeout(Duration.ofSeconds(30)));
            silent.awaitConnection();
            assertThat(failureOf(strict.publish("news", "x"))).hasMessageContaining("still connecting");

            RedisPubSub holding = create(url, b -> b.commandTimeout(Duration.ofMillis(300)));
            assertThat(failureOf(holding.publish("news", "x"))).isInstanceOf(RedisPubSubException.class)
                    .hasMessageContaining("the message was not sent");
        }

        @Test
        void sentinelsDownAtStartFailPublishes() throws Exception {
            int port = freePort();
            RedisPubSub pubsub = create("redis-sentinel://127.0.0.1:" + port + "?sentinels=" + group.masterName());
            assertThat(failureOf(pubsub.publish("news", "x"))).isInstanceOf(RedisPubSubException.class)
                    .hasMessageContaining("the message was not sent");
            assertThat(pubsub.connected().toCompletableFuture()).isNotDone();
        }
    }

    // ---------------------------------------------------------------- Cluster

    @Nested
    @TestInstance(Lifecycle.PER_CLASS)
    class Cluster {

        private RedisCluster cluster;

        @BeforeAll
        void startCluster() {
            cluster = RedisCluster.builder().masters(3).replicasPerMaster(0).start();
        }

        @AfterAll
        void stopCluster() {
            if (cluster != null) {
                cluster.close();
            }
        }

        @Test
        void aPublishRightAfterCreateIsSentClassic() {
            publishRightAfterCreate(cluster.url(), FRESH_INSTANCES);
        }

        @Test
        void aPublishRightAfterCreateIsSentSharded() {
            publishRightAfterCreate(cluster.url() + "?sharded=true", FRESH_INSTANCES);
        }

        @Test
        void strictFailFastAndHoldWhileTheSeedDoesNotAnswer() throws Exception {
            for (String suffix : List.of("", "?sharded=true")) {
                SilentServer silent = own(new SilentServer());
                String url = "redis-cluster://" + silent.hostAndPort() + suffix;
                RedisPubSub strict = create(url, b -> b.holdPublishesWhileConnecting(Duration.ZERO)
                        .connectTimeout(Duration.ofSeconds(30)).commandTimeout(Duration.ofSeconds(30)));
                silent.awaitConnection();
                assertThat(failureOf(strict.publish("news", "x"))).as(url)
                        .hasMessageContaining("still connecting");

                RedisPubSub holding = create(url, b -> b.commandTimeout(Duration.ofMillis(300)));
                assertThat(failureOf(holding.publish("news", "x"))).as(url)
                        .isInstanceOf(RedisPubSubException.class)
                        .hasMessageContaining("the message was not sent");
            }
        }

        @Test
        void seedsDownAtStartFailPublishes() throws Exception {
            for (String suffix : List.of("", "?sharded=true")) {
                String url = "redis-cluster://127.0.0.1:" + freePort() + suffix;
                RedisPubSub pubsub = create(url);
                assertThat(failureOf(pubsub.publish("news", "x"))).as(url)
                        .isInstanceOf(RedisPubSubException.class)
                        .hasMessageContaining("the message was not sent");
                assertThat(pubsub.connected().toCompletableFuture()).as(url).isNotDone();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Create fresh instances and publish at once, before anything waited for a connection: every publish must be
     * sent (by default a publish is held while the instance connects) and arrive.
     */
    private void publishRightAfterCreate(String url, int instances) {
        RedisPubSub receiver = create(url);
        Collector received = new Collector();
        join(receiver.subscribe("first", received).ready());
        for (int i = 0; i < instances; i++) {
            RedisPubSub fresh = create(url);
            CompletionStage<Void> sent = fresh.publish("first", "message " + i);
            join(sent);
            assertThat(received.next().message()).isEqualTo("message " + i);
            join(fresh.connected());
            fresh.destroy();
        }
        assertThat(received.poll(Duration.ofMillis(50))).isNull();
    }

    private static void join(CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static Throwable failureOf(CompletionStage<Void> stage) throws InterruptedException {
        try {
            stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the publish neither succeeded nor failed within " + WAIT, e);
        }
        throw new AssertionError("the publish succeeded");
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Accepts TCP connections on loopback and never answers: a connection attempt to it stays under way. */
    static final class SilentServer implements AutoCloseable {

        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
        private final Thread acceptor;

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                try {
                    while (!socket.isClosed()) {
                        accepted.add(socket.accept());
                        firstConnection.complete(null);
                    }
                } catch (IOException closed) {
                    // closed
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String hostAndPort() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        String url() {
            return "redis://" + hostAndPort();
        }

        void awaitConnection() throws Exception {
            firstConnection.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}

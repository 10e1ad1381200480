package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;

/**
 * Failures of Redis and of the network, each against a redis-server of its own. Every test asserts that messages
 * flow again, and prints how long that took.
 */
class FaultsIT {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger disconnects = new AtomicInteger();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private RedisServer server(RedisServer.Builder builder) {
        RedisServer server = builder.start();
        resources.add(server);
        return server;
    }

    private RedisPubSub create(RedisServer server, Consumer<RedisPubSubOptions.Builder> customizer) {
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder()
                .url(server.url())
                .reconnectDelay(Duration.ofMillis(50))
                .maxReconnectDelay(Duration.ofMillis(500))
                .onConnect(connects::incrementAndGet)
                .onDisconnect(disconnects::incrementAndGet)
                .onError(errors::add);
        customizer.accept(builder);
        RedisPubSub pubsub = RedisPubSub.create(builder.build());
        resources.add(pubsub);
        return pubsub;
    }

    private static void connected(RedisPubSub pubsub) {
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);
    }

    /** Publish probes through {@code from} until one reaches {@code to}; returns how long it took. */
    private static Duration flowsAgain(RedisPubSub from, Collector to, String channel) {
        long start = System.nanoTime();
        AtomicInteger n = new AtomicInteger();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25)).until(() -> {
            String probe = "probe-" + n.incrementAndGet();
            from.publish(channel, probe);
            Collector.Received r;
            while ((r = to.poll(Duration.ofMillis(20))) != null) {
                if (String.valueOf(r.message()).startsWith("probe-")) {
                    return true;
                }
            }
            return false;
        });
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void report(String what, Duration took) {
        System.out.println("[FaultsIT] " + what + ": messages flowed again after " + took.toMillis() + " ms");
    }

    @Test
    void clientKillOfThePubSubConnectionIsRepaired() {
        RedisServer server = server(RedisServer.builder());
        RedisPubSub a = create(server, b -> b.clientName("killme"));
        RedisPubSub b = create(server, o -> { });
        Collector got = new Collector();
        a.subscribe("news", got);
        connected(a);
        connected(b);
        assertThat(flowsAgain(b, got, "news")).isLessThan(Duration.ofSeconds(10));

        try (Jedis jedis = server.newClient()) {
            long killed = jedis.clientKill(redis.clients.jedis.params.ClientKillParams.clientKillParams()
                    .type(redis.clients.jedis.args.ClientType.PUBSUB));
            assertThat(killed).isGreaterThanOrEqualTo(1);
        }
        Duration took = flowsAgain(b, got, "news");
        report("CLIENT KILL TYPE pubsub", took);
        assertThat(server.numsub("ws:news")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> disconnects.get() >= 1 && connects.get() >= 3);
        assertThat(a.stats().reconnects()).isEqualTo(1);
    }

    @Test
    void redisKilledAndRestartedOnTheSamePort() {
        RedisServer server = server(RedisServer.builder());
        RedisPubSub a = create(server, o -> { });
        RedisPubSub b = create(server, o -> { });
        Collector got = new Collector();
        a.subscribe("news", got);
        a.psubscribe("pat:*", got);
        connected(a);
        connected(b);
        flowsAgain(b, got, "news");

        server.kill9();
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.isConnected() && !b.isConnected());
        assertThatPublishFailsFast(b, server);

        server.restart();
        Duration took = flowsAgain(b, got, "news");
        report("kill -9 and restart", took);
        assertThat(flowsAgain(b, got, "pat:1")).isLessThan(Duration.ofSeconds(10));
        assertThat(server.numsub("ws:news")).isEqualTo(1);
        assertThat(server.numpat()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> disconnects.get() == 2);
    }

    private static void assertThatPublishFailsFast(RedisPubSub pubsub, RedisServer server) {
        long start = System.nanoTime();
        CompletionException failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                CompletionException.class, () -> Probes.join(pubsub.publish("news", "lost")));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(failure).as("publish while disconnected fails").isNotNull();
        assertThat(failure.getCause()).isInstanceOf(RedisPubSubException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining("127.0.0.1:" + server.port());
        assertThat(tookMillis).as("fail fast").isLessThan(1000);
    }

    @Test
    void aPausedRedisIsDetectedByThePingWatchdog() {
        RedisServer server = server(RedisServer.builder());
        RedisPubSub a = create(server, o -> o.pingInterval(Duration.ofMillis(200)).pingTimeout(Duration.ofMillis(300)));
        RedisPubSub b = create(server, o -> { });
        Collector got = new Collector();
        a.subscribe("news", got);
        connected(a);
        connected(b);
        flowsAgain(b, got, "news");

        server.pause();
        long paused = System.nanoTime();
        try {
            // the socket stays open; only the missing PONG tells the subscriber that Redis is gone
            await().atMost(Duration.ofSeconds(10)).until(() -> !a.isConnected());
            long detectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - paused);
            System.out.println("[FaultsIT] SIGSTOP detected after " + detectedMillis + " ms");
            // onError runs on the callback thread
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(errors)
                    .anySatisfy(e -> assertThat(e).hasMessageContaining("did not answer in time")));
        } finally {
            server.resume();
        }
        Duration took = flowsAgain(b, got, "news");
        report("SIGSTOP then SIGCONT", took);
        // the replay reads (and delivers) messages before its last confirmation, which counts the reconnect
        await().atMost(Duration.ofSeconds(5)).until(() -> a.stats().reconnects() >= 1);
    }

    @Test
    void redisDownAtStartupThenUp() {
        RedisServer server = server(RedisServer.builder());
        int port = server.port();
        server.stop();
        RedisPubSub a = create(server, o -> { });
        Collector got = new Collector();
        a.subscribe("news", got);
        await().atMost(Duration.ofSeconds(10)).until(() -> errors.size() >= 2);
        assertThat(a.isConnected()).isFalse();
        assertThat(errors.get(0)).isInstanceOf(RedisPubSubException.class)
                .hasMessageContaining("unreachable at 127.0.0.1:" + port);
        assertThatPublishFailsFast(a, server);

        server.restart();
        assertThat(server.port()).isEqualTo(port);
        connected(a);
        Duration took = flowsAgain(a, got, "news");
        report("Redis down at startup, then up", took);
        assertThat(connects.get()).isEqualTo(1);
        assertThat(disconnects.get()).isZero();
    }

    @Test
    void destroyDuringReconnectStopsEverything() {
        RedisServer server = server(RedisServer.builder());
        RedisPubSub a = create(server, o -> o.clientName("doomed"));
        a.subscribe("news", new Collector());
        connected(a);
        server.kill9();
        await().atMost(Duration.ofSeconds(10)).until(() -> errors.size() >= 2);
        long start = System.nanoTime();
        a.destroy();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).as("destroy while reconnecting").isLessThan(5000);
        assertThat(PubSubIT.threadsNamed("doomed#")).as("threads left after destroy").isZero();
        int errorsAfterDestroy = errors.size();
        server.restart();
        try (Jedis jedis = server.newClient()) {
            assertThat(jedis.clientList()).doesNotContain("name=doomed-");
        }
        assertThat(errors).hasSize(errorsAfterDestroy);
    }

    @Test
    void aclUserWithPasswordConnects() {
        RedisServer server = server(RedisServer.builder().aclUser("app", "s3cret-pw"));
        String url = "redis://app:s3cret-pw@127.0.0.1:" + server.port();
        RedisPubSub a = RedisPubSub.create(RedisPubSubOptions.builder().url(url).build());
        resources.add(a);
        connected(a);
        Collector got = new Collector();
        a.subscribe("acl", got);
        flowsAgain(a, got, "acl");
        assertThat(a.toString()).doesNotContain("s3cret-pw");
    }

    @Test
    void wrongPasswordIsAClearErrorWithoutARetryStorm() {
        RedisServer server = server(RedisServer.builder().requirePass("right-pw"));
        RedisPubSub a = RedisPubSub.create(RedisPubSubOptions.builder()
                .host("127.0.0.1").port(server.port()).password("wrong-pw")
                .onError(errors::add)
                .build());
        resources.add(a);
        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0)).hasMessageContaining("refused the credentials")
                .hasMessageContaining("127.0.0.1:" + server.port())
                .hasMessageNotContaining("wrong-pw");
        long connectionsBefore = totalConnections(server);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !a.isConnected());
        long attempts = totalConnections(server) - connectionsBefore;
        // backoff from 100 ms doubling: at most ~5 attempts per connection in 2 s, two connections
        assertThat(attempts).as("connection attempts in 2 s").isLessThanOrEqualTo(12);
        assertThat(a.isConnected()).isFalse();
    }

    private static long totalConnections(RedisServer server) {
        try (Jedis jedis = new Jedis(server.hostAndPort(), server.clientConfig().password("right-pw").build())) {
            String info = jedis.info("stats");
            return info.lines().filter(l -> l.startsWith("total_connections_received:"))
                    .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim()))
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void tlsWithASelfSignedCertificate() {
        RedisServer server = server(RedisServer.builder().tls());
        assertThat(server.url()).startsWith("rediss://");
        RedisPubSub a = create(server, o -> o.sslContext(server.sslContext()));
        RedisPubSub b = create(server, o -> o.sslContext(server.sslContext()));
        connected(a);
        connected(b);
        Collector got = new Collector();
        a.subscribe("secure", got);
        flowsAgain(b, got, "secure");
        assertThat(server.numsub("ws:secure")).isEqualTo(1);
    }
}

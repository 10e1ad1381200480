package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisSentinelGroup;
import dev.wskit.redis.testing.RedisServer;

/**
 * Redis Sentinel: one master, one replica and three sentinels of their own (down after 1 s), started per test.
 * Takes about 15 s in all, most of it the sentinels finding each other (about 2 s per test) and the failovers
 * themselves (about 2.5 s each).
 */
class SentinelIT {

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

    private RedisSentinelGroup group() {
        RedisSentinelGroup group = RedisSentinelGroup.builder().start();
        resources.add(group);
        return group;
    }

    private RedisPubSub create(String url, Consumer<RedisPubSubOptions.Builder> customizer) {
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder()
                .url(url)
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

    private static boolean hasClient(RedisServer server, String name) {
        return server.clientList().stream().anyMatch(line -> line.contains(" name=" + name + " "));
    }

    @Test
    void subscriberAndPublisherFollowTheMasterAcrossAFailover() {
        RedisSentinelGroup group = group();
        RedisServer master = group.master();
        // the first sentinel listed is down: the next ones are asked
        RedisServer dead = RedisServer.start();
        resources.add(dead);
        dead.kill9();
        String url = "redis-sentinel://127.0.0.1:" + dead.port() + "," + group.url().substring(
                "redis-sentinel://".length());
        RedisPubSub a = create(url, o -> o.clientName("sentinel-a"));
        RedisPubSub b = create(url, o -> o.clientName("sentinel-b"));
        Collector news = new Collector();
        Collector pattern = new Collector();
        a.subscribe("news", news);
        a.psubscribe("pat:*", pattern);
        connected(a);
        connected(b);
        assertThat(Probes.flowsAgain(b, news, "news", Duration.ofSeconds(10))).isLessThan(Duration.ofSeconds(5));
        assertThat(hasClient(master, "sentinel-a-sub")).isTrue();
        assertThat(hasClient(master, "sentinel-b-pub")).isTrue();

        long killed = System.nanoTime();
        master.kill9();
        RedisServer promoted = group.awaitFailover(master);
        Duration failover = Duration.ofNanos(System.nanoTime() - killed);
        Probes.flowsAgain(b, news, "news", Duration.ofSeconds(30));
        Duration outage = Duration.ofNanos(System.nanoTime() - killed);
        System.out.println("[SentinelIT] master killed: sentinels promoted " + promoted.port() + " after "
                + failover.toMillis() + " ms; messages flowed again " + outage.toMillis() + " ms after the kill");

        assertThat(promoted.port()).isNotEqualTo(master.port());
        assertThat(Probes.flowsAgain(b, pattern, "pat:1", Duration.ofSeconds(10)))
                .isLessThan(Duration.ofSeconds(5));
        assertThat(promoted.numsub("ws:news")).isEqualTo(1);
        assertThat(promoted.numpat()).isEqualTo(1);
        assertThat(hasClient(promoted, "sentinel-a-sub")).isTrue();
        assertThat(hasClient(promoted, "sentinel-b-pub")).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.isConnected() && b.isConnected());
        assertThat(disconnects.get()).isGreaterThanOrEqualTo(2);
        assertThat(a.stats().reconnects()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aMasterCutOffButAliveIsLeftAsSoonAsSentinelAnnouncesTheNewOne() {
        RedisSentinelGroup group = group();
        RedisServer master = group.master();
        // a watchdog this slow would need 15 s to notice the paused master: the +switch-master watcher must not
        Consumer<RedisPubSubOptions.Builder> slowWatchdog = o -> o.pingInterval(Duration.ofSeconds(10))
                .pingTimeout(Duration.ofSeconds(5)).commandTimeout(Duration.ofSeconds(10));
        RedisPubSub a = create(group.url(), slowWatchdog.andThen(o -> o.clientName("paused-a")));
        RedisPubSub b = create(group.url(), slowWatchdog.andThen(o -> o.clientName("paused-b")));
        Collector news = new Collector();
        a.subscribe("news", news);
        connected(a);
        connected(b);
        Probes.flowsAgain(b, news, "news", Duration.ofSeconds(10));

        long paused = System.nanoTime();
        master.pause();
        RedisServer promoted = group.awaitFailover(master);
        long switched = System.nanoTime();
        Duration afterSwitch = Probes.flowsAgain(b, news, "news", Duration.ofSeconds(30));
        System.out.println("[SentinelIT] master paused: sentinels promoted " + promoted.port() + " after "
                + (switched - paused) / 1_000_000 + " ms; messages flowed again " + afterSwitch.toMillis()
                + " ms later");

        assertThat(afterSwitch).isLessThan(Duration.ofSeconds(5));
        assertThat(hasClient(promoted, "paused-a-sub")).isTrue();
        assertThat(hasClient(promoted, "paused-b-pub")).isTrue();
        master.resume();
    }

    @Test
    void anUnknownMasterNameIsReportedAndNeverConnects() {
        RedisSentinelGroup group = group();
        String url = group.url().replace("?sentinels=" + group.masterName(), "?master=nosuchmaster");
        RedisPubSub pubsub = create(url, o -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
        assertThat(errors.get(0)).hasMessageContaining("no sentinel named the master nosuchmaster")
                .hasMessageContaining("does not know master nosuchmaster");
        assertThat(pubsub.isConnected()).isFalse();
        assertThat(connects.get()).isZero();
    }
}

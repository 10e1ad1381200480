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

    /**
     * A channel with history across a failover in the middle of a steady stream of publishes: the epoch stays (the
     * replica has the keys), the offsets go on, and the subscriber gets every acknowledged message once, in order,
     * with no loss reported.
     *
     * <p>Redis replicates asynchronously and the library does not use {@code WAIT}: a message acknowledged by a master
     * that dies before its replica received it is lost, and the promoted replica gives its offset to the next message
     * (same epoch), which the library cannot tell apart. So the test makes the replica hold every acknowledged
     * message before killing the master, as a graceful failover does: {@code CLIENT PAUSE WRITE} on the master (the
     * publishes in flight wait, unanswered), until the replica's offset equals the master's, then {@code kill -9}.
     * The publishes in flight at the kill and those refused during the failover fail; they are not published again
     * and may arrive at most once.
     */
    @Test
    void historyStaysWholeAndInOrderAcrossAFailoverMidStream() throws Exception {
        RedisSentinelGroup group = group();
        RedisServer master = group.master();
        RedisServer replica = group.dataNodes().stream().filter(n -> n != master).findFirst().orElseThrow();
        RedisPubSub receiver = create(group.url(), o -> o.clientName("hist-rx"));
        RedisPubSub publisher = create(group.url(), o -> o.clientName("hist-tx"));
        connected(receiver);
        connected(publisher);
        List<dev.wskit.redis.StreamPosition> positions = new CopyOnWriteArrayList<>();
        List<String> payloads = new CopyOnWriteArrayList<>();
        List<dev.wskit.redis.MessageLoss> losses = new CopyOnWriteArrayList<>();
        Probes.join(receiver.subscribeWithHistory("room", String.class, null,
                new dev.wskit.redis.HistoryHandler<String>() {
                    @Override
                    public void onMessage(String channel, String message, dev.wskit.redis.StreamPosition position) {
                        positions.add(position);
                        payloads.add(message);
                    }

                    @Override
                    public void onLoss(dev.wskit.redis.MessageLoss loss) {
                        losses.add(loss);
                    }
                }).ready());
        java.util.Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Set<String> epochs = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<java.util.concurrent.CompletableFuture<?>> answers = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicInteger sequence = new AtomicInteger();
        Thread stream = new Thread(() -> {
            while (publishing.get()) {
                String payload = "m" + sequence.incrementAndGet();
                answers.add(publisher.publishWithHistory("room", payload).toCompletableFuture().handle((p, e) -> {
                    if (e == null) {
                        epochs.add(p.epoch());
                        acknowledged.add(payload);
                    } else {
                        failed.add(payload);
                    }
                    return null;
                }));
                java.util.concurrent.locks.LockSupport.parkNanos(3_000_000);
            }
        }, "history-stream");
        stream.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= 200);

        try (redis.clients.jedis.Jedis admin = master.newClient(); redis.clients.jedis.Jedis r = replica.newClient()) {
            admin.clientPause(10_000, redis.clients.jedis.args.ClientPauseMode.WRITE);
            await("the replica to hold everything acknowledged").atMost(Duration.ofSeconds(10))
                    .until(() -> replicationOffset(admin, "master_repl_offset")
                            == replicationOffset(r, "slave_repl_offset"));
        }
        int beforeKill = acknowledged.size();
        master.kill9();
        RedisServer promoted = group.awaitFailover(master);
        await("publishes acknowledged by the new master").atMost(Duration.ofSeconds(30))
                .until(() -> acknowledged.size() >= beforeKill + 150);
        publishing.set(false);
        stream.join(10_000);
        java.util.concurrent.CompletableFuture.allOf(answers.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                .get(30, java.util.concurrent.TimeUnit.SECONDS);

        dev.wskit.redis.StreamPosition top = Probes.join(publisher.history("room", null, 0)).position();
        await("every message of the history to arrive").atMost(Duration.ofSeconds(30))
                .until(() -> positions.size() >= top.offset() || !losses.isEmpty());
        System.out.println("[SentinelIT] history across a failover to " + promoted.port() + ": "
                + acknowledged.size() + " acknowledged (" + beforeKill + " before the kill), " + failed.size()
                + " failed, history at " + top);
        assertThat(promoted).isEqualTo(replica);
        assertThat(losses).as("no loss reported").isEmpty();
        assertThat(epochs).as("one epoch, kept by the replica").containsExactly(top.epoch());
        assertThat(positions).hasSize((int) top.offset());
        for (int i = 0; i < positions.size(); i++) {
            assertThat(positions.get(i)).isEqualTo(dev.wskit.redis.StreamPosition.of(i + 1, top.epoch()));
        }
        assertThat(payloads).doesNotHaveDuplicates().containsAll(acknowledged)
                .allMatch(p -> acknowledged.contains(p) || failed.contains(p));
        for (int i = 1; i < payloads.size(); i++) {
            assertThat(Integer.parseInt(payloads.get(i).substring(1)))
                    .isGreaterThan(Integer.parseInt(payloads.get(i - 1).substring(1)));
        }
    }

    private static long replicationOffset(redis.clients.jedis.Jedis jedis, String field) {
        return jedis.info("replication").lines().filter(l -> l.startsWith(field + ":"))
                .mapToLong(l -> Long.parseLong(l.substring(field.length() + 1).trim())).findFirst().orElse(-1);
    }
}

package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisCluster;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}) in a Redis Cluster of three masters with a replica each,
 * shared by the tests of this class. Each test that changes the topology works on the shard of another initial
 * master, and every test looks the current owners up, so the order does not matter. About 15 s.
 */
class ClusterShardedIT {

    /** What a history subscription received: positions and payloads in order, and the losses reported. */
    static final class HistoryRecorder implements dev.wskit.redis.HistoryHandler<String> {
        final List<StreamPosition> positions = new CopyOnWriteArrayList<>();
        final List<String> payloads = new CopyOnWriteArrayList<>();
        final List<Object> losses = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(String channel, String message, StreamPosition position) {
            positions.add(position);
            payloads.add(message);
        }

        @Override
        public void onLoss(dev.wskit.redis.MessageLoss loss) {
            losses.add(loss);
        }
    }

    private static RedisCluster cluster;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger disconnects = new AtomicInteger();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.builder().masters(3).replicasPerMaster(1).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private RedisPubSub create(String clientName, Consumer<RedisPubSubOptions.Builder> customizer) {
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder()
                .url(cluster.url() + "?sharded=true")
                .clientName(clientName)
                .reconnectDelay(Duration.ofMillis(50))
                .maxReconnectDelay(Duration.ofMillis(500))
                .onError(errors::add);
        customizer.accept(builder);
        RedisPubSub pubsub = RedisPubSub.create(builder.build());
        resources.add(pubsub);
        return pubsub;
    }

    private RedisPubSub subscriberInstance(String clientName) {
        return create(clientName, o -> o.onConnect(connects::incrementAndGet)
                .onDisconnect(disconnects::incrementAndGet));
    }

    private static void connected(RedisPubSub... instances) {
        for (RedisPubSub pubsub : instances) {
            try {
                await().atMost(Duration.ofSeconds(15)).until(pubsub::isConnected);
            } catch (ConditionTimeoutException e) {
                // seen once in a full build (no warning logged): say which instance and what it counted
                throw new AssertionError(pubsub + " not connected within 15 s; " + pubsub.stats(), e);
            }
        }
    }

    private static long shardNumsub(RedisServer node, String wireChannel) {
        try (Jedis jedis = node.newClient()) {
            List<?> reply = (List<?>) jedis.sendCommand(Protocol.Command.PUBSUB, "SHARDNUMSUB", wireChannel);
            return (Long) reply.get(1);
        }
    }

    private static long clients(RedisServer server, String name) {
        return server.clientList().stream().filter(line -> line.contains(" name=" + name + " ")).count();
    }

    private static void report(String what, long sinceNanos) {
        System.out.println("[ClusterShardedIT] " + what + ": messages flowed again after "
                + (System.nanoTime() - sinceNanos) / 1_000_000 + " ms");
    }

    @Test
    void deliversOnEveryShardWithOneSubscriberConnectionPerMaster() {
        RedisPubSub a = subscriberInstance("sharded-a");
        RedisPubSub b = create("sharded-b", o -> { });
        List<String> channels = new ArrayList<>();
        List<Collector> collectors = new ArrayList<>();
        Set<RedisServer> owners = new HashSet<>();
        for (int shard = 0; shard < 3; shard++) {
            // two channels of different slots on the same master share its connection
            String first = cluster.channelInShard(shard, "ws:", "room-");
            String second = cluster.channelInShard(shard, "ws:", "other-", RedisCluster.slot("ws:" + first));
            RedisServer owner = cluster.masterOf("ws:" + first);
            if (owner != cluster.masterOf("ws:" + second)) {
                // another test moved one of these slots: take one next to the first
                second = cluster.channelOwnedBy(owner, "ws:", "other-", RedisCluster.slot("ws:" + first));
            }
            owners.add(owner);
            for (String channel : List.of(first, second)) {
                Collector collector = new Collector();
                Probes.join(a.subscribe(channel, collector).ready());
                channels.add(channel);
                collectors.add(collector);
            }
        }
        connected(a, b);

        for (int i = 0; i < channels.size(); i++) {
            Probes.join(b.publish(channels.get(i), "hello " + i));
        }
        for (int i = 0; i < channels.size(); i++) {
            assertThat(collectors.get(i).next()).isEqualTo(new Collector.Received(channels.get(i), "hello " + i));
        }
        assertThat(owners).hasSize(3);
        for (String channel : channels) {
            assertThat(shardNumsub(cluster.masterOf("ws:" + channel), "ws:" + channel)).isEqualTo(1);
        }
        for (RedisServer owner : owners) {
            assertThat(clients(owner, "sharded-a-sub")).as("subscriber connections on " + owner.port())
                    .isEqualTo(1);
            assertThat(clients(owner, "sharded-b-pub")).as("publisher connections on " + owner.port())
                    .isEqualTo(1);
        }
        // onConnect runs on the callback thread
        await().atMost(Duration.ofSeconds(10)).until(() -> connects.get() >= 1);
        assertThat(connects.get()).isEqualTo(1);

        // the last handler of a channel goes: SUNSUBSCRIBE on its master, the other channels stay
        a.unsubscribe(channels.get(0), collectors.get(0));
        String gone = "ws:" + channels.get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> shardNumsub(cluster.masterOf(gone), gone) == 0);
        assertThat(Probes.flowsAgain(b, collectors.get(1), channels.get(1), Duration.ofSeconds(5)))
                .isLessThan(Duration.ofSeconds(2));
        assertThat(errors).isEmpty();
    }

    @Test
    void psubscribeIsRejected() {
        RedisPubSub pubsub = create("sharded-p", o -> { });

        assertThatThrownBy(() -> pubsub.psubscribe("room:*", (channel, message) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("psubscribe is not available with sharded pub/sub: Redis has no sharded pattern"
                        + " subscriptions; subscribe to each channel, or use classic pub/sub (shardedPubSub(false))");
        assertThat(pubsub.stats().subscriptions()).isZero();
    }

    @Test
    void aSlotMigrationMovesTheSubscriptionToTheNewOwner() {
        String channel = cluster.channelInShard(0, "ws:", "moving-");
        int slot = RedisCluster.slot("ws:" + channel);
        RedisServer source = cluster.masterOf("ws:" + channel);
        RedisServer target = cluster.masterOf("ws:" + cluster.channelInShard(1, "ws:", "x"));
        RedisPubSub a = subscriberInstance("moving-a");
        RedisPubSub b = create("moving-b", o -> { });
        Collector got = new Collector();
        Probes.join(a.subscribe(channel, got).ready());
        connected(a, b);
        Probes.flowsAgain(b, got, channel, Duration.ofSeconds(10));

        long moved = System.nanoTime();
        cluster.moveSlot(slot, target);
        Probes.flowsAgain(b, got, channel, Duration.ofSeconds(30));
        report("slot " + slot + " moved from " + source.port() + " to " + target.port(), moved);

        await().atMost(Duration.ofSeconds(10)).until(() -> shardNumsub(target, "ws:" + channel) == 1);
        assertThat(shardNumsub(source, "ws:" + channel)).isZero();
        assertThat(a.isConnected()).isTrue();
        assertThat(disconnects.get()).isZero();
    }

    @Test
    void aManualFailoverMovesTheSubscriptionWithoutDuplicates() {
        String channel = cluster.channelInShard(1, "ws:", "failover-");
        int slot = RedisCluster.slot("ws:" + channel);
        RedisServer owner = cluster.masterOf("ws:" + channel);
        RedisServer replica = cluster.replicaOf(owner);
        RedisPubSub a = subscriberInstance("failover-a");
        RedisPubSub b = create("failover-b", o -> { });
        Collector got = new Collector();
        Probes.join(a.subscribe(channel, got).ready());
        connected(a, b);
        Probes.flowsAgain(b, got, channel, Duration.ofSeconds(10));

        long started = System.nanoTime();
        cluster.manualFailover(replica, slot);
        Probes.flowsAgain(b, got, channel, Duration.ofSeconds(30));
        report("CLUSTER FAILOVER of " + owner.port() + " to " + replica.port(), started);

        // the demoted master still gets the shard's messages: the instance must not listen there any more
        await().atMost(Duration.ofSeconds(10)).until(() -> shardNumsub(owner, "ws:" + channel) == 0
                && clients(owner, "failover-a-sub") == 0);
        assertThat(shardNumsub(replica, "ws:" + channel)).isEqualTo(1);
        got.clear();
        for (int i = 0; i < 20; i++) {
            Probes.join(b.publish(channel, "once-" + i));
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> got.size() == 20);
        Set<Object> distinct = new HashSet<>();
        Collector.Received r;
        while ((r = got.pollNow()) != null) {
            distinct.add(r.message());
        }
        assertThat(distinct).hasSize(20);
    }

    @Test
    void aKilledMasterIsReplacedByItsReplicaAndTheSubscriptionsFollow() {
        String channel = cluster.channelInShard(2, "ws:", "killed-");
        int slot = RedisCluster.slot("ws:" + channel);
        // a second slot of the same master: the replay after the failover needs one SSUBSCRIBE per slot
        String other = cluster.channelInShard(2, "ws:", "killed-other-", slot);
        RedisServer owner = cluster.masterOf("ws:" + channel);
        RedisPubSub a = subscriberInstance("killed-a");
        RedisPubSub b = create("killed-b", o -> { });
        Collector got = new Collector();
        Collector gotOther = new Collector();
        Probes.join(a.subscribe(channel, got).ready());
        Probes.join(a.subscribe(other, gotOther).ready());
        connected(a, b);
        Probes.flowsAgain(b, got, channel, Duration.ofSeconds(10));

        long killed = System.nanoTime();
        owner.kill9();
        // the subscriber's link breaks at once (b's idle publisher connection notices at its next PING)
        await().atMost(Duration.ofSeconds(10)).until(() -> !a.isConnected());
        RedisServer promoted = cluster.awaitNewMasterOfSlot(owner, slot);
        Probes.flowsAgain(b, got, channel, Duration.ofSeconds(30));
        report("master " + owner.port() + " killed, " + promoted.port() + " promoted", killed);
        assertThat(Probes.flowsAgain(b, gotOther, other, Duration.ofSeconds(10))).isLessThan(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(10)).until(() -> a.isConnected() && b.isConnected());
        // onConnect runs on the callback thread, after the state changed
        await().atMost(Duration.ofSeconds(10)).until(() -> connects.get() >= 2);
        assertThat(shardNumsub(promoted, "ws:" + channel)).isEqualTo(1);
        assertThat(shardNumsub(promoted, "ws:" + other)).isEqualTo(1);
        assertThat(disconnects.get()).isEqualTo(1);
        assertThat(connects.get()).isEqualTo(2);
        assertThat(a.stats().reconnects()).isEqualTo(1);
        assertThat(errors).noneMatch(e -> String.valueOf(e.getMessage()).contains("CROSSSLOT"));
    }

    @Test
    void historyOnEveryShardAndAcrossAManualFailoverWithoutLossOrDuplicate() {
        List<String> channels = new ArrayList<>(List.of(cluster.channelInShard(0, "ws:", "hist-"),
                cluster.channelInShard(1, "ws:", "hist-"), cluster.channelInShard(2, "ws:", "hist-"),
                "tagged-{" + cluster.channelInShard(1, "ws:", "tag-") + "}-room", "odd}brace"));
        RedisPubSub a = create("history-a", o -> { });
        RedisPubSub b = create("history-b", o -> { });
        Map<String, List<StreamPosition>> got = new java.util.concurrent.ConcurrentHashMap<>();
        for (String channel : channels) {
            List<StreamPosition> positions = new CopyOnWriteArrayList<>();
            got.put(channel, positions);
            Probes.join(a.subscribeWithHistory(channel, String.class, null,
                    (ch, message, position) -> positions.add(position)).ready());
        }
        connected(a, b);
        for (int i = 0; i < 20; i++) {
            for (String channel : channels) {
                Probes.join(b.publishWithHistory(channel, "m" + i));
            }
        }
        for (String channel : channels) {
            await().atMost(Duration.ofSeconds(10)).until(() -> got.get(channel).size() == 20);
        }

        String moving = channels.get(0);
        RedisServer owner = cluster.masterOf("ws:" + moving);
        cluster.manualFailover(cluster.replicaOf(owner), RedisCluster.slot("ws:" + moving));
        for (int i = 20; i < 40; i++) {
            Probes.join(b.publishWithHistory(moving, "m" + i));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> got.get(moving).size() == 40);
        for (String channel : channels) {
            List<StreamPosition> positions = got.get(channel);
            for (int i = 1; i < positions.size(); i++) {
                assertThat(positions.get(i)).as(channel).isEqualTo(StreamPosition.of(positions.get(0).offset() + i,
                        positions.get(0).epoch()));
            }
        }
    }

    /**
     * The slot of a channel with history moves to another master with its keys (the stream and the hash) while a
     * publisher publishes steadily: the offsets go on from where they were, in the same epoch, no publish fails, and
     * the subscriber gets each message once and in order.
     *
     * <p>Publishing goes on after the keys moved while the old owner still owns the slot: it answers {@code ASK}, and
     * the publisher must run the script on the new owner (after {@code ASKING}), where the subscriber is not yet. It
     * stops before the slot is assigned: no live message follows, so only the subscriber reading the history once
     * its channel is confirmed on the new owner can bring those.
     */
    @Test
    void historyFollowsASlotMigratedWithItsKeysWhilePublishing() throws Exception {
        String channel = cluster.channelInShard(2, "ws:", "hmove-");
        int slot = RedisCluster.slot("ws:" + channel);
        RedisServer source = cluster.masterOf("ws:" + channel);
        RedisServer target = cluster.masterOf("ws:" + cluster.channelInShard(0, "ws:", "x"));
        RedisPubSub a = create("hmove-a", o -> { });
        RedisPubSub b = create("hmove-b", o -> { });
        HistoryRecorder received = new HistoryRecorder();
        List<StreamPosition> positions = received.positions;
        List<String> payloads = received.payloads;
        List<Object> losses = received.losses;
        Probes.join(a.subscribeWithHistory(channel, String.class, null, received).ready());
        connected(a, b);
        String epoch = Probes.join(b.publishWithHistory(channel, "m0")).epoch();

        Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<java.util.concurrent.CompletableFuture<?>> answers = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger sequence = new java.util.concurrent.atomic.AtomicInteger();
        Thread publisher = new Thread(() -> {
            while (publishing.get()) {
                String payload = "m" + sequence.incrementAndGet();
                answers.add(b.publishWithHistory(channel, payload).toCompletableFuture().handle((p, e) -> {
                    if (e == null) {
                        acknowledged.add(payload);
                    } else {
                        failures.add(e);
                    }
                    return null;
                }));
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }, "hmove-publisher");
        publisher.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() >= 200);
        int keys = cluster.migrateSlotKeys(slot, target);
        int migrated = acknowledged.size();
        await("publishes acknowledged while the slot is migrating").atMost(Duration.ofSeconds(10))
                .until(() -> acknowledged.size() >= migrated + 100 || !failures.isEmpty());
        publishing.set(false);
        publisher.join(10_000);
        java.util.concurrent.CompletableFuture.allOf(answers.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        cluster.assignSlot(slot, source, target);
        cluster.awaitOwner(slot, target);

        StreamPosition top = Probes.join(b.history(channel, null, 0)).position();
        await("every message of the history to arrive").atMost(Duration.ofSeconds(30))
                .until(() -> positions.size() >= top.offset() || !losses.isEmpty());
        System.out.println("[ClusterShardedIT] slot " + slot + " moved with " + keys + " key(s) from "
                + source.port() + " to " + target.port() + " while publishing: " + acknowledged.size()
                + " acknowledged, " + failures.size() + " failed, history at " + top);
        assertThat(keys).isEqualTo(2);
        assertThat(losses).isEmpty();
        assertThat(top.epoch()).as("the epoch moves with the keys").isEqualTo(epoch);
        for (int i = 0; i < positions.size(); i++) {
            assertThat(positions.get(i)).isEqualTo(StreamPosition.of(i + 1, epoch));
        }
        assertThat(positions).hasSize((int) top.offset());
        assertThat(payloads).doesNotHaveDuplicates().containsAll(acknowledged);
        assertThat(payloads.size()).as("every acknowledged publish and m0, and nothing else")
                .isEqualTo(acknowledged.size() + 1);
        for (int i = 1; i < payloads.size(); i++) {
            assertThat(Integer.parseInt(payloads.get(i).substring(1)))
                    .isGreaterThan(Integer.parseInt(payloads.get(i - 1).substring(1)));
        }
        assertThat(failures).as("no publish failed").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> shardNumsub(target, "ws:" + channel) == 1);
        assertThat(shardNumsub(source, "ws:" + channel)).isZero();
    }
    /**
     * A publish with history, a history read and one more publish of a channel whose slot is half migrated: one of
     * its two keys (the stream) is on the target, the other (the hash) still on the source, so Redis answers the
     * script {@code TRYAGAIN}. The publisher retries after a backoff; the test ends the migration only once the
     * source answered {@code TRYAGAIN}, and then everything completes in the order of the calls: offsets contiguous
     * in one epoch, the read sees the publish queued before it and not the one after, the subscriber gets each
     * message once.
     */
    @Test
    void aPublishWithHistoryAnsweredTryAgainWhileItsSlotIsHalfMigratedIsRetriedInOrder() throws Exception {
        String channel = cluster.channelInShard(2, "ws:", "htry-");
        String wire = "ws:" + channel;
        int slot = RedisCluster.slot(wire);
        RedisServer source = cluster.masterOf(wire);
        RedisServer target = cluster.masterOf("ws:" + cluster.channelInShard(0, "ws:", "x"));
        RedisPubSub a = create("htry-a", o -> { });
        RedisPubSub b = create("htry-b", o -> { });
        HistoryRecorder received = new HistoryRecorder();
        List<StreamPosition> positions = received.positions;
        List<String> payloads = received.payloads;
        List<Object> losses = received.losses;
        Probes.join(a.subscribeWithHistory(channel, String.class, null, received).ready());
        connected(a, b);
        StreamPosition first = Probes.join(b.publishWithHistory(channel, "m0"));
        Probes.join(b.publishWithHistory(channel, "m1"));
        Probes.join(b.publishWithHistory(channel, "m2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> payloads.size() == 3);

        cluster.migrateSomeSlotKeys(slot, target, "{" + wire + "}:h");
        long tryAgainBefore = RedisCluster.errorCount(source, "TRYAGAIN");
        java.util.concurrent.CompletableFuture<StreamPosition> third = b.publishWithHistory(channel, "m3")
                .toCompletableFuture();
        java.util.concurrent.CompletableFuture<dev.wskit.redis.History> read = b.history(channel, first, 10)
                .toCompletableFuture();
        java.util.concurrent.CompletableFuture<StreamPosition> fourth = b.publishWithHistory(channel, "m4")
                .toCompletableFuture();
        await("the source to answer TRYAGAIN").atMost(Duration.ofSeconds(10))
                .until(() -> RedisCluster.errorCount(source, "TRYAGAIN") > tryAgainBefore);
        System.out.println("[ClusterShardedIT] slot " + slot + " half migrated: TRYAGAIN answered "
                + (RedisCluster.errorCount(source, "TRYAGAIN") - tryAgainBefore) + " time(s); publish "
                + (third.isDone() ? "done: " + third.handle((p, e) -> e == null ? p : e).join() : "pending"));
        int rest = cluster.migrateSlotKeys(slot, target);
        cluster.assignSlot(slot, source, target);
        cluster.awaitOwner(slot, target);

        StreamPosition p3 = third.get(30, java.util.concurrent.TimeUnit.SECONDS);
        dev.wskit.redis.History history = read.get(30, java.util.concurrent.TimeUnit.SECONDS);
        StreamPosition p4 = fourth.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(rest).as("the hash was left on the source").isEqualTo(1);
        assertThat(p3).isEqualTo(StreamPosition.of(first.offset() + 3, first.epoch()));
        assertThat(p4).isEqualTo(StreamPosition.of(first.offset() + 4, first.epoch()));
        assertThat(history.position()).as("the read sees the publish before it, not the one after").isEqualTo(p3);
        assertThat(history.entries()).extracting(dev.wskit.redis.History.Entry::position).containsExactly(
                StreamPosition.of(first.offset() + 1, first.epoch()),
                StreamPosition.of(first.offset() + 2, first.epoch()), p3);
        await("every message to arrive").atMost(Duration.ofSeconds(30))
                .until(() -> payloads.size() >= 5 || !losses.isEmpty());
        assertThat(losses).isEmpty();
        assertThat(payloads).containsExactly("m0", "m1", "m2", "m3", "m4");
        for (int i = 0; i < positions.size(); i++) {
            assertThat(positions.get(i)).isEqualTo(StreamPosition.of(first.offset() + i, first.epoch()));
        }
        assertThat(errors).noneMatch(e -> String.valueOf(e.getMessage()).contains("TRYAGAIN"));
    }
    /**
     * A channel with history that has no keys yet, in a slot being migrated: the source answers {@code ASK}, and
     * the target (importing, one call on two keys it does not both have) {@code TRYAGAIN} until the slot is
     * assigned. The publisher retries there (after {@code ASKING}) without spending its redirects; the test assigns
     * the slot only once the target answered {@code TRYAGAIN}. The publish and the read queued behind it complete,
     * in order.
     */
    @Test
    void aPublishWithHistoryOfANewChannelAskedToTheImportingMasterIsRetriedUntilTheSlotIsAssigned()
            throws Exception {
        String channel = cluster.channelInShard(2, "ws:", "hask-");
        String wire = "ws:" + channel;
        int slot = RedisCluster.slot(wire);
        RedisServer source = cluster.masterOf(wire);
        RedisServer target = cluster.masterOf("ws:" + cluster.channelInShard(0, "ws:", "x"));
        RedisPubSub b = create("hask-b", o -> { });
        connected(b);

        cluster.migrateSomeSlotKeys(slot, target);
        long tryAgainBefore = RedisCluster.errorCount(target, "TRYAGAIN");
        java.util.concurrent.CompletableFuture<StreamPosition> first = b.publishWithHistory(channel, "m1")
                .toCompletableFuture();
        java.util.concurrent.CompletableFuture<dev.wskit.redis.History> read = b.history(channel, null, 10)
                .toCompletableFuture();
        await("the target to answer TRYAGAIN").atMost(Duration.ofSeconds(10))
                .until(() -> RedisCluster.errorCount(target, "TRYAGAIN") > tryAgainBefore);
        System.out.println("[ClusterShardedIT] slot " + slot + " migrating, no key: TRYAGAIN answered "
                + (RedisCluster.errorCount(target, "TRYAGAIN") - tryAgainBefore) + " time(s) by the target; publish "
                + (first.isDone() ? "done: " + first.handle((p, e) -> e == null ? p : e).join() : "pending"));
        cluster.assignSlot(slot, source, target);
        cluster.awaitOwner(slot, target);

        StreamPosition p1 = first.get(30, java.util.concurrent.TimeUnit.SECONDS);
        dev.wskit.redis.History history = read.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(p1.offset()).isEqualTo(1);
        assertThat(history.position()).isEqualTo(p1);
        assertThat(history.entries()).extracting(dev.wskit.redis.History.Entry::position).containsExactly(p1);
        assertThat(errors).noneMatch(e -> String.valueOf(e.getMessage()).contains("TRYAGAIN"));
    }

    /**
     * A slot left half migrated (the stream of a channel on the target, its hash on the source): a publish with
     * history is answered {@code TRYAGAIN} again and again and fails once the bound is reached, saying why; the
     * calls of other slots go through meanwhile. Once the migration ends the channel goes on where it was: the
     * failed publish took no offset.
     */
    @Test
    void aPublishWithHistoryAnsweredTryAgainUntilTheBoundFailsWithAClearError() throws Exception {
        String channel = cluster.channelInShard(2, "ws:", "hstuck-");
        String wire = "ws:" + channel;
        int slot = RedisCluster.slot(wire);
        String other = cluster.channelInShard(2, "ws:", "hfree-", slot);
        RedisServer source = cluster.masterOf(wire);
        RedisServer target = cluster.masterOf("ws:" + cluster.channelInShard(0, "ws:", "x"));
        RedisPubSub b = create("hstuck-b", o -> { });
        connected(b);
        StreamPosition before = Probes.join(b.publishWithHistory(channel, "m0"));

        cluster.migrateSomeSlotKeys(slot, target, "{" + wire + "}:h");
        long tryAgainBefore = RedisCluster.errorCount(source, "TRYAGAIN");
        java.util.concurrent.CompletableFuture<StreamPosition> stuck = b.publishWithHistory(channel, "m1")
                .toCompletableFuture();
        await("the source to answer TRYAGAIN").atMost(Duration.ofSeconds(10))
                .until(() -> RedisCluster.errorCount(source, "TRYAGAIN") > tryAgainBefore);
        assertThat(Probes.join(b.publishWithHistory(other, "x")).offset()).as("another slot goes on").isEqualTo(1);
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                () -> stuck.get(60, java.util.concurrent.TimeUnit.SECONDS));
        System.out.println("[ClusterShardedIT] slot " + slot + " stuck half migrated: TRYAGAIN answered "
                + (RedisCluster.errorCount(source, "TRYAGAIN") - tryAgainBefore) + " time(s); " + failure);
        assertThat(failure).isInstanceOf(java.util.concurrent.ExecutionException.class)
                .cause().isInstanceOf(dev.wskit.redis.RedisPubSubException.class)
                .hasMessageContaining("TRYAGAIN")
                .hasMessageContaining("slot " + slot)
                .hasMessageContaining("after 30 retries")
                .hasMessageContaining("the keys of the channel's history are not all on one node yet");
        assertThat(RedisCluster.errorCount(source, "TRYAGAIN") - tryAgainBefore).isEqualTo(31);

        cluster.migrateSlotKeys(slot, target);
        cluster.assignSlot(slot, source, target);
        cluster.awaitOwner(slot, target);
        assertThat(Probes.join(b.publishWithHistory(channel, "m2")))
                .isEqualTo(StreamPosition.of(before.offset() + 1, before.epoch()));
    }
    /**
     * A master joins the cluster without slots (so the slot map does not list it) and a slot moves onto it with
     * the keys of a channel with history: the old owner answers {@code ASK} naming a node the publisher has no
     * connection to. The publish and a history read go there (a connection is opened for it), in order, and the
     * channel goes on in the same epoch once the slot is assigned. A cluster of its own, not to change the shared
     * one.
     */
    @Test
    void aPublishWithHistoryAskedToAMasterThatJoinedWithoutSlotsGoesThere() throws Exception {
        try (RedisCluster small = RedisCluster.builder().masters(1).start()) {
            RedisPubSub b = RedisPubSub.create(RedisPubSubOptions.builder()
                    .url(small.url() + "?sharded=true")
                    .clientName("hjoin-b")
                    .reconnectDelay(Duration.ofMillis(50))
                    .maxReconnectDelay(Duration.ofMillis(500))
                    .onError(errors::add)
                    .build());
            RedisPubSub a = RedisPubSub.create(RedisPubSubOptions.builder()
                    .url(small.url() + "?sharded=true")
                    .clientName("hjoin-a")
                    .reconnectDelay(Duration.ofMillis(50))
                    .maxReconnectDelay(Duration.ofMillis(500))
                    .onError(errors::add)
                    .build());
            try {
                String channel = "hjoin";
                int slot = RedisCluster.slot("ws:" + channel);
                HistoryRecorder received = new HistoryRecorder();
                List<String> payloads = received.payloads;
                List<Object> losses = received.losses;
                Probes.join(a.subscribeWithHistory(channel, String.class, null, received).ready());
                connected(a, b);
                StreamPosition first = Probes.join(b.publishWithHistory(channel, "m0"));
                RedisServer source = small.masterOfSlot(slot);
                RedisServer joined = small.addEmptyMaster();
                assertThat(small.migrateSlotKeys(slot, joined)).isEqualTo(2);

                java.util.concurrent.CompletableFuture<StreamPosition> asked = b.publishWithHistory(channel, "m1")
                        .toCompletableFuture();
                java.util.concurrent.CompletableFuture<dev.wskit.redis.History> read = b.history(channel, first, 10)
                        .toCompletableFuture();
                Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                        () -> asked.get(30, java.util.concurrent.TimeUnit.SECONDS));
                System.out.println("[ClusterShardedIT] slot " + slot + " migrating to " + joined.port()
                        + " (joined without slots): publish " + (failure == null ? asked.join() : failure));
                assertThat(failure).as("the publish asked to the new master").isNull();
                assertThat(asked.join()).isEqualTo(StreamPosition.of(first.offset() + 1, first.epoch()));
                assertThat(read.get(30, java.util.concurrent.TimeUnit.SECONDS).position()).isEqualTo(asked.join());

                small.assignSlot(slot, source, joined);
                small.awaitOwner(slot, joined);
                assertThat(Probes.join(b.publishWithHistory(channel, "m2")))
                        .isEqualTo(StreamPosition.of(first.offset() + 2, first.epoch()));
                await("the subscriber to follow the slot to the new master").atMost(Duration.ofSeconds(30))
                        .until(() -> payloads.size() >= 3 || !losses.isEmpty());
                assertThat(losses).isEmpty();
                assertThat(payloads).containsExactly("m0", "m1", "m2");
            } finally {
                a.close();
                b.close();
            }
        }
    }
}

package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.TypedMessageHandler;
import dev.wskit.redis.testing.RedisCluster;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Sharded pub/sub: only the channels of the shard link that was cut are told of a gap; the channels held by the
 * other masters' links are not.
 */
class ShardedGapsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.builder().masters(3).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Records one channel's messages and gaps. */
    static final class Recorder implements TypedMessageHandler<String> {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final List<SubscriptionGap> gaps = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(String channel, String message) {
            received.add(message);
        }

        @Override
        public void onGap(SubscriptionGap gap) {
            gaps.add(gap);
        }

        void expect(String message) throws InterruptedException {
            assertThat(received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(message);
        }
    }

    private static RedisPubSub create(String name) throws Exception {
        RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(cluster.url() + "?sharded=true")
                .clientName(name).reconnectDelay(Duration.ofMillis(50)).maxReconnectDelay(Duration.ofMillis(500))
                .build());
        return pubsub;
    }

    @Test
    void onlyTheChannelsOfTheCutShardLinkAreToldOfAGap() throws Exception {
        String cut = cluster.channelInShard(0, "ws:", "cut-");
        String kept = cluster.channelInShard(1, "ws:", "kept-");
        try (RedisPubSub publisher = create("sg-pub"); RedisPubSub subscriber = create("sg-sub")) {
            Recorder cutRecorder = new Recorder();
            Recorder keptRecorder = new Recorder();
            subscriber.subscribe(cut, String.class, cutRecorder).ready().toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            subscriber.subscribe(kept, String.class, keptRecorder).ready().toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> publisher.isConnected() && subscriber.isConnected());
            publisher.publish(cut, "before").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            publisher.publish(kept, "before").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            cutRecorder.expect("before");
            keptRecorder.expect("before");

            RedisServer owner = cluster.masterOf("ws:" + cut);
            try (Jedis admin = owner.newClient()) {
                String id = admin.clientList().lines()
                        .filter(line -> (" " + line + " ").contains(" name=sg-sub-sub "))
                        .map(line -> line.substring(3, line.indexOf(' ')))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no subscriber connection on " + owner));
                assertThat(admin.clientKill(ClientKillParams.clientKillParams().id(id))).isOne();
            }

            await("the cut shard's gap").atMost(WAIT).until(() -> !cutRecorder.gaps.isEmpty());
            assertThat(cutRecorder.gaps).singleElement().satisfies(gap -> {
                assertThat(gap.channel()).isEqualTo(cut);
                assertThat(gap.reason()).isEqualTo(SubscriptionGap.Reason.CONNECTION_LOST);
            });
            // both channels deliver again; the gap of the cut one is handed over before the next callbacks run, so a
            // gap of the kept one would have been by now too
            await().atMost(WAIT).until(subscriber::isConnected);
            publisher.publish(cut, "after").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            publisher.publish(kept, "after").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            cutRecorder.expect("after");
            keptRecorder.expect("after");
            assertThat(keptRecorder.gaps).as("the other shard's link was not cut").isEmpty();
            assertThat(subscriber.stats().subscriptionGaps()).isOne();
        }
    }

    @Test
    void aChannelWhoseSlotMovedIsToldOfAResubscribedGapAndTheOthersAreNot() throws Exception {
        String moving = cluster.channelInShard(2, "ws:", "moving-");
        String kept = cluster.channelInShard(1, "ws:", "stays-");
        try (RedisPubSub publisher = create("sm-pub"); RedisPubSub subscriber = create("sm-sub")) {
            Recorder movingRecorder = new Recorder();
            Recorder keptRecorder = new Recorder();
            subscriber.subscribe(moving, String.class, movingRecorder).ready().toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            subscriber.subscribe(kept, String.class, keptRecorder).ready().toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> publisher.isConnected() && subscriber.isConnected());
            publisher.publish(moving, "before").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            movingRecorder.expect("before");
            RedisServer from = cluster.masterOf("ws:" + moving);
            RedisServer to = cluster.masterOf("ws:" + kept);

            cluster.moveSlot(RedisCluster.slot("ws:" + moving), to);

            await("the moved channel's gap").atMost(WAIT).until(() -> !movingRecorder.gaps.isEmpty());
            assertThat(movingRecorder.gaps).singleElement().satisfies(gap -> {
                assertThat(gap.channel()).isEqualTo(moving);
                assertThat(gap.reason()).isEqualTo(SubscriptionGap.Reason.RESUBSCRIBED);
            });
            assertThat(from).isNotSameAs(to);
            await().atMost(WAIT).until(() -> publisher.isConnected() && subscriber.isConnected());
            // publishes follow the slot map; until the publisher's map is fresh one may be redirected: retried bounded
            await("the moved channel delivers again").atMost(WAIT).until(() -> {
                publisher.publish(moving, "after").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                return "after".equals(movingRecorder.received.poll(200, TimeUnit.MILLISECONDS));
            });
            publisher.publish(kept, "after").toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            keptRecorder.expect("after");
            assertThat(keptRecorder.gaps).as("its slot did not move").isEmpty();
        }
    }
}

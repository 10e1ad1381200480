package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.internal.websocket.delivery.RoomRegistry;
import dev.wskit.redis.testing.RedisServer;
import redis.clients.jedis.Jedis;

/**
 * One channel subscribed and closed at once from many threads, in the core and as a WebSocket room (what a busy
 * room does when its last session leaves as another joins): whatever the interleaving, the instance ends subscribed
 * in Redis exactly while a handler (a member) is left, and it receives what is published.
 */
class SubscriptionChurnIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int THREADS = 8;
    private static final int ROUNDS = 30;
    private static final int CYCLES = 50;

    private RedisServer server;
    private RedisPubSub pubsub;
    private ExecutorService threads;

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.start();
        pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(server.url()).clientName("churn").build());
        pubsub.connected().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        pubsub.destroy();
        server.close();
    }

    @Test
    void aChannelSubscribedAndClosedFromManyThreadsIsSubscribedInRedisExactlyWhileAHandlerIsLeft() throws Exception {
        try (Jedis admin = server.newClient()) {
            for (int round = 0; round < ROUNDS; round++) {
                // every thread subscribes and closes again and again; one of them keeps its last subscription
                CountDownLatch go = new CountDownLatch(1);
                BlockingQueue<String> kept = new LinkedBlockingQueue<>();
                List<Future<Subscription>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    boolean keeper = t == round % THREADS;
                    done.add(threads.submit(() -> {
                        go.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                        Subscription last = null;
                        for (int c = 0; c < CYCLES; c++) {
                            last = pubsub.subscribe("churn", String.class, (channel, m) -> kept.add(m));
                            if (!keeper || c < CYCLES - 1) {
                                last.close();
                            }
                        }
                        return keeper ? last : null;
                    }));
                }
                go.countDown();
                Subscription survivor = null;
                for (Future<Subscription> f : done) {
                    Subscription s = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    if (s != null) {
                        survivor = s;
                    }
                }
                assertThat(survivor).isNotNull();
                survivor.ready().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                int r = round;
                await("round " + r + ": one subscriber of ws:churn in Redis").atMost(WAIT)
                        .until(() -> numsub(admin) == 1);
                String text = "round-" + round;
                admin.publish("ws:churn", text);
                assertThat(kept.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("round %d", round).isEqualTo(text);

                survivor.close();
                await("round " + r + ": no subscriber of ws:churn left").atMost(WAIT).until(() -> numsub(admin) == 0);
                assertThat(pubsub.stats().subscriptions()).as("round %d", round).isZero();
            }
        }
    }

    @Test
    void aRoomJoinedAndLeftFromManyThreadsIsSubscribedInRedisExactlyWhileAMemberIsLeft() throws Exception {
        RoomRegistry rooms = new RoomRegistry(pubsub);
        try (Jedis admin = server.newClient()) {
            for (int round = 0; round < ROUNDS; round++) {
                CountDownLatch go = new CountDownLatch(1);
                BlockingQueue<String> kept = new LinkedBlockingQueue<>();
                RoomRegistry.Member stays = kept::add;
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    boolean keeper = t == round % THREADS;
                    done.add(threads.submit(() -> {
                        go.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                        for (int c = 0; c < CYCLES; c++) {
                            RoomRegistry.Member member = c == CYCLES - 1 && keeper ? stays : text -> { };
                            rooms.join(member, "churn");
                            if (member != stays) {
                                rooms.leave(member, "churn");
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
                int r = round;
                await("round " + r + ": one subscriber of ws:churn in Redis").atMost(WAIT)
                        .until(() -> numsub(admin) == 1);
                String text = "room-round-" + round;
                admin.publish("ws:churn", text);
                assertThat(kept.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("round %d", round).isEqualTo(text);

                rooms.leave(stays, "churn");
                await("round " + r + ": no subscriber of ws:churn left").atMost(WAIT).until(() -> numsub(admin) == 0);
            }
        }
    }

    private static long numsub(Jedis admin) {
        return admin.pubsubNumSub("ws:churn").getOrDefault("ws:churn", 0L);
    }
}

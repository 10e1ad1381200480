package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.RedisPubSubStats;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Subscribing again after a reconnect converges whatever the number and length of the channels: Redis answers every
 * channel with a confirmation about as long as its name, and 80,000 names of 1021 characters (channel names are at
 * most 1024) confirmed at once are 84 MB, far more than Redis's default {@code client-output-buffer-limit pubsub
 * 32mb} (with 40,000, 42 MB, a replay written at once failed a few times in a row here, then got through by chance). Written at once, Redis drops the
 * connection at every attempt and the instance stays deaf; replayed in chunks, each written once the one before was
 * answered, it comes back. Runs against a Redis of its own with the default limits, killed or restarted.
 */
class ResubscribeIT {

    private static final int CHANNELS = 80_000;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private RedisServer server;
    private RedisPubSub pubsub;
    private final Collector received = new Collector();
    private final List<String> channels = new ArrayList<>();

    @BeforeEach
    void subscribeMany() throws Exception {
        server = RedisServer.start();
        try (Jedis admin = server.newClient()) {
            assertThat(admin.configGet("client-output-buffer-limit").get("client-output-buffer-limit"))
                    .as("Redis's default limits").contains("pubsub 33554432 8388608 60");
        }
        pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(server.url()).clientName("many")
                .reconnectDelay(Duration.ofMillis(50)).maxReconnectDelay(Duration.ofSeconds(1)).build());
        String padding = "x".repeat(1024 - 12);
        MessageHandler ignore = (channel, message) -> { };
        for (int i = 0; i < CHANNELS; i++) {
            String channel = String.format("%s%09d", padding, i);
            channels.add(channel);
            pubsub.subscribe(channel, i == CHANNELS - 1 ? received : ignore);
        }
        pubsub.connected().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> pubsub.isConnected());
        assertThat(pubsub.stats().subscriptions()).isEqualTo(CHANNELS);
    }

    @AfterEach
    void closeAll() {
        if (pubsub != null) {
            pubsub.destroy();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everySubscriptionComesBackAfterTheConnectionIsKilled() throws Exception {
        RedisPubSubStats before = pubsub.stats();
        try (Jedis admin = server.newClient()) {
            assertThat(admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB))).isOne();
        }
        await("the subscriber to reconnect").atMost(WAIT).until(() -> pubsub.stats().reconnects()
                > before.reconnects() && pubsub.isConnected());
        assertConverged();
    }

    @Test
    void everySubscriptionComesBackAfterRedisRestarts() throws Exception {
        RedisPubSubStats before = pubsub.stats();
        server.restart();
        await("the subscriber to reconnect").atMost(WAIT).until(() -> pubsub.stats().reconnects()
                > before.reconnects() && pubsub.isConnected());
        assertConverged();
    }

    private void assertConverged() throws Exception {
        try (Jedis admin = server.newClient()) {
            String info = admin.info("clients");
            assertThat(admin.pubsubNumSub("ws:" + channels.get(0)).get("ws:" + channels.get(0))).isOne();
            String last = channels.get(CHANNELS - 1);
            assertThat(admin.pubsubNumSub("ws:" + last).get("ws:" + last)).isOne();
            // every channel of this instance is subscribed once again (and nothing else runs on this Redis), and
            // the instance's loopback canary channel
            assertThat(admin.pubsubChannels().stream().filter(c -> !c.startsWith("ws:__wskit:canary:")).count())
                    .as(info).isEqualTo(CHANNELS);
            assertThat(admin.pubsubChannels("ws:__wskit:canary:*")).as(info).hasSize(1);
            admin.publish("ws:" + last, "after");
        }
        assertThat(received.next(Duration.ofSeconds(30)).message()).isEqualTo("after");
    }
}

package dev.wskit.redis.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisTarget;
import dev.wskit.redis.testing.WithRedis;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.params.ClientKillParams;

/** The contract against the Redis implementation and a real Redis. */
@WithRedis
class RedisPubSubContractIT extends RedisPubSubContract {

    private final RedisTarget redis;

    RedisPubSubContractIT(RedisTarget redis) {
        this.redis = redis;
    }

    @Override
    protected RedisPubSub connect(Consumer<RedisPubSubOptions.Builder> customizer) {
        RedisPubSubOptions.Builder builder = RedisPubSubOptions.builder().url(redis.url());
        customizer.accept(builder);
        RedisPubSub pubsub = RedisPubSub.create(builder.build());
        try {
            pubsub.connected().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            pubsub.destroy();
            throw new AssertionError("not connected to " + redis.url() + " within 10 s", e);
        }
        return pubsub;
    }

    @Override
    protected long numsub(String wireChannel) {
        return redis.numsub(wireChannel);
    }

    @Override
    protected long numpat() {
        return redis.numpat();
    }

    @Override
    protected void publishRaw(String wireChannel, String payload) {
        try (Jedis jedis = redis.newClient()) {
            jedis.publish(wireChannel, payload);
        }
    }

    @Override
    protected void interruptSubscriber(RedisPubSub pubsub, String clientName) {
        long reconnects = pubsub.stats().reconnects();
        try (Jedis admin = redis.newClient()) {
            String id = admin.clientList().lines()
                    .filter(line -> (" " + line + " ").contains(" name=" + clientName + "-sub "))
                    .map(line -> line.substring(3, line.indexOf(' ')))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no connection named " + clientName + "-sub"));
            assertThat(admin.clientKill(ClientKillParams.clientKillParams().id(id))).isOne();
        }
        await("the subscriber to reconnect").atMost(Received.TIMEOUT)
                .until(() -> pubsub.stats().reconnects() > reconnects && pubsub.isConnected());
    }

    @Override
    protected RawSubscriber rawSubscribe(String wireChannel) {
        BlockingQueue<String> payloads = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                payloads.add(message);
            }
        };
        Jedis jedis = redis.newClient();
        long before = redis.numsub(wireChannel);
        CompletableFuture<Void> loop = CompletableFuture.runAsync(() -> jedis.subscribe(listener, wireChannel));
        await().atMost(Received.TIMEOUT).until(() -> redis.numsub(wireChannel) > before);
        return new RawSubscriber() {
            @Override
            public String next() {
                try {
                    String payload = payloads.poll(Received.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(payload).as("a payload on " + wireChannel + " within " + Received.TIMEOUT).isNotNull();
                    return payload;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }

            @Override
            public void close() {
                listener.unsubscribe();
                try {
                    loop.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("raw subscriber did not stop", e);
                } finally {
                    jedis.close();
                }
            }
        };
    }
}

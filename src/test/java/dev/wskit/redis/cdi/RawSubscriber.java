package dev.wskit.redis.cdi;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.wskit.redis.testing.RedisTarget;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * A plain Jedis subscriber to one wire channel, to see the exact payloads the library publishes.
 */
public final class RawSubscriber implements AutoCloseable {

    private final BlockingQueue<String> payloads = new LinkedBlockingQueue<>();
    private final Jedis jedis;
    private final Thread thread;
    private final JedisPubSub pubsub = new JedisPubSub() {
        @Override
        public void onMessage(String channel, String message) {
            payloads.add(message);
        }
    };

    private RawSubscriber(RedisTarget redis, String wireChannel) {
        this.jedis = new Jedis(redis.hostAndPort(), redis.clientConfig().socketTimeoutMillis(0).build());
        this.thread = new Thread(() -> jedis.subscribe(pubsub, wireChannel), "raw-subscriber-" + wireChannel);
        thread.setDaemon(true);
        thread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.numsub(wireChannel) >= 1);
    }

    /**
     * Subscribe to a wire channel (with the namespace) and return once Redis counts the subscription.
     *
     * @param redis the Redis
     * @param wireChannel the channel as named in Redis
     * @return the subscriber; close it after the test
     */
    public static RawSubscriber start(RedisTarget redis, String wireChannel) {
        return new RawSubscriber(redis, wireChannel);
    }

    /**
     * Return the next payload, waiting at most 10 s.
     *
     * @return the payload; {@code null} if none came
     */
    public String next() {
        try {
            return payloads.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (pubsub.isSubscribed()) {
            pubsub.unsubscribe();
        }
        thread.join(TimeUnit.SECONDS.toMillis(5));
        jedis.close();
    }
}

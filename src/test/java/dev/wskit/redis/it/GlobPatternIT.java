package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.internal.subscribe.GlobPattern;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The library's glob matching (which decides what a pattern subscription delivers locally) agrees with Redis's on
 * random patterns and channels: Redis's answer is the number of receivers {@code PUBLISH} reports while one
 * connection holds the one pattern subscription.
 */
class GlobPatternIT {

    private static final String ALPHABET = "ab*?[]^-\\é";

    private RedisServer server;
    private Jedis publisher;
    private Jedis subscriber;
    private Thread subscriberThread;
    private final BlockingQueue<String> confirmations = new LinkedBlockingQueue<>();
    private final JedisPubSub patterns = new JedisPubSub() {
        @Override
        public void onPSubscribe(String pattern, int subscribedChannels) {
            confirmations.add("+" + pattern);
        }

        @Override
        public void onPUnsubscribe(String pattern, int subscribedChannels) {
            confirmations.add("-" + pattern);
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.start();
        publisher = server.newClient();
        subscriber = server.newClient();
        subscriberThread = new Thread(() -> subscriber.psubscribe(patterns, "first"), "pattern-subscriber");
        subscriberThread.setDaemon(true);
        subscriberThread.start();
        assertThat(confirmations.poll(10, TimeUnit.SECONDS)).isEqualTo("+first");
    }

    @AfterEach
    void stop() throws Exception {
        if (patterns.isSubscribed()) {
            patterns.punsubscribe();
        }
        if (subscriberThread != null) {
            subscriberThread.join(10_000);
        }
        if (subscriber != null) {
            subscriber.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void randomPatternsMatchAsInRedis() throws Exception {
        // "first" stays subscribed (the connection leaves pub/sub mode without a subscription); no random channel
        // is "first"
        Random random = new Random(42);
        int matched = 0;
        for (int i = 0; i < 300; i++) {
            String pattern = random(random, 1 + random.nextInt(7));
            patterns.psubscribe(pattern);
            assertThat(confirmations.poll(10, TimeUnit.SECONDS)).isEqualTo("+" + pattern);
            GlobPattern glob = new GlobPattern(pattern);
            for (int j = 0; j < 20; j++) {
                String channel = j == 0 ? pattern : random(random, random.nextInt(6));
                boolean redis = publisher.publish(channel, "x") == 1;
                assertThat(glob.matches(channel)).as("pattern %s, channel %s", pattern, channel).isEqualTo(redis);
                matched += redis ? 1 : 0;
            }
            patterns.punsubscribe(pattern);
            assertThat(confirmations.poll(10, TimeUnit.SECONDS)).isEqualTo("-" + pattern);
        }
        assertThat(matched).as("the random input matches sometimes").isGreaterThan(100);
    }

    private static String random(Random random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}

package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisServer;

/**
 * A Redis that stops answering (SIGSTOP) while callers publish large messages and subscribe to many long channel
 * names must not hold up the callers: they only queue; the library's own threads block on the full sockets, the
 * connections are replaced, and everything flows again once Redis continues.
 *
 * <p>What is large: the socket buffers on loopback absorb some megabytes, so the test publishes one 32 MB message
 * and subscribes 12,000 channels of 1000 characters (12 MB of SUBSCRIBE commands). Written on a caller's thread,
 * either blocks that caller (and with it everyone waiting for the same lock) until Redis continues. The callers must
 * all have returned while Redis is still stopped; the test never lets it continue before.
 */
class StalledRedisIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int SUBSCRIBERS = 4;
    private static final int CHANNELS_EACH = 3000;

    private RedisServer server;
    private RedisPubSub pubsub;
    private final Collector received = new Collector();

    @BeforeEach
    void connect() throws Exception {
        server = RedisServer.start();
        // the default PING interval and timeouts: an idle publisher sleeps for seconds, so a caller would write the
        // large message itself, and nothing but the library's watchdogs closes a socket Redis does not read
        pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url(server.url()).clientName("stalled")
                .reconnectDelay(Duration.ofMillis(50)).maxReconnectDelay(Duration.ofMillis(500))
                .build());
        pubsub.subscribe("news", received).ready().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        pubsub.connected().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
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
    void callersReturnWhileRedisIsStoppedAndEverythingFlowsAfterwards() throws Exception {
        server.pause();
        String huge = "h".repeat(32 * 1024 * 1024);
        String padding = "c".repeat(1000 - 10);
        MessageHandler ignore = (channel, message) -> { };
        CountDownLatch done = new CountDownLatch(SUBSCRIBERS + 1);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong longestPublishNanos = new AtomicLong();
        AtomicLong longestSubscribeNanos = new AtomicLong();
        List<Thread> callers = new ArrayList<>();

        callers.add(new Thread(() -> {
            try {
                long start = System.nanoTime();
                pubsub.publish("news", huge);
                pubsub.publish("news", "small");
                longestPublishNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
            } catch (Throwable t) {
                failures.add(t);
            } finally {
                done.countDown();
            }
        }, "publisher-caller"));
        for (int t = 0; t < SUBSCRIBERS; t++) {
            int thread = t;
            callers.add(new Thread(() -> {
                try {
                    for (int i = 0; i < CHANNELS_EACH; i++) {
                        String channel = padding + String.format("%d-%08d", thread, i);
                        long start = System.nanoTime();
                        pubsub.subscribe(channel, ignore);
                        if (i % 2 == 1) {
                            pubsub.unsubscribe(channel, ignore);
                        }
                        longestSubscribeNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }, "subscriber-caller-" + t));
        }
        callers.forEach(Thread::start);

        // Redis stays stopped until every caller returned: a caller blocked on Redis would never return here
        assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("every caller returned while Redis was stopped").isTrue();
        assertThat(failures).isEmpty();
        // reported, not asserted (wall-clock): the publish includes encoding the 32 MB message
        System.out.printf("[StalledRedisIT] while Redis was stopped: publishing 32 MB took the caller %.1f ms, the"
                + " longest subscribe or unsubscribe %.1f ms%n", longestPublishNanos.get() / 1e6,
                longestSubscribeNanos.get() / 1e6);
        await("the stalled connections to be given up").atMost(WAIT).until(() -> !pubsub.isConnected());

        server.resume();
        pubsub.connected().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Probes.flowsAgain(pubsub, received, "news", WAIT);
        String kept = padding + String.format("%d-%08d", SUBSCRIBERS - 1, CHANNELS_EACH - 2);
        String dropped = padding + String.format("%d-%08d", SUBSCRIBERS - 1, CHANNELS_EACH - 1);
        assertThat(server.numsub("ws:" + kept)).as("subscribed during the stall").isOne();
        assertThat(server.numsub("ws:" + dropped)).as("unsubscribed during the stall").isZero();
        assertThat(pubsub.stats().subscriptions()).isEqualTo(1 + SUBSCRIBERS * CHANNELS_EACH / 2);
    }
}

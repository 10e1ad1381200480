package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisServer;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

/**
 * User code that blocks in a callback (and so a synchronous CDI observer, which runs in one) must not hold up the
 * PINGs that keep the subscriber connection alive: with a read timeout of PING interval plus PING timeout (200 ms
 * here), a PING that waits behind the callback makes the connection time out and reconnect for nothing.
 *
 * <p>The test counts, with {@code MONITOR}, the PINGs Redis receives on the subscriber connection while the callback
 * is blocked: several PING intervals pass on the same connection, without a reconnect.
 */
class SlowCallbacksIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration PING = Duration.ofMillis(100);
    /** More PINGs than fit in one read timeout. */
    private static final int PINGS = 5;

    private RedisServer server;
    private RedisPubSub pubsub;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch blocked = new CountDownLatch(1);
    private Thread monitorThread;
    private Jedis monitor;

    @BeforeEach
    void start() {
        server = RedisServer.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        if (monitor != null) {
            monitor.disconnect();
        }
        if (monitorThread != null) {
            monitorThread.join(WAIT.toMillis());
        }
        if (pubsub != null) {
            pubsub.destroy();
        }
        server.close();
    }

    @Test
    void aBlockedOnConnectDoesNotHoldUpThePings() throws Exception {
        pubsub = RedisPubSub.create(options().onConnect(this::block).build());
        Probes.join(pubsub.subscribe("news", (channel, message) -> { }).ready());
        assertThat(blocked.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("onConnect called").isTrue();

        assertPingsWhileBlocked();
    }

    @Test
    void aBlockedOnErrorDoesNotHoldUpThePings() throws Exception {
        Consumer<Throwable> onError = e -> block();
        pubsub = RedisPubSub.create(options().onError(onError).build());
        Probes.join(pubsub.subscribe("news", (channel, message) -> {
            throw new IllegalStateException("a handler that fails, reported to onError");
        }).ready());
        Probes.join(pubsub.connected());
        Probes.join(pubsub.publish("news", "hello"));
        assertThat(blocked.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("onError called").isTrue();

        assertPingsWhileBlocked();
    }

    private RedisPubSubOptions.Builder options() {
        return RedisPubSubOptions.builder().url(server.url()).clientName("slow-callbacks")
                .pingInterval(PING).pingTimeout(PING)
                .reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(50));
    }

    private void block() {
        blocked.countDown();
        try {
            release.await(WAIT.toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void assertPingsWhileBlocked() throws InterruptedException {
        String subscriber = subscriberAddress();
        AtomicInteger pings = countPings(subscriber);
        await("PINGs on the subscriber connection while the callback is blocked").atMost(WAIT)
                .pollInterval(Duration.ofMillis(20)).until(() -> pings.get() >= PINGS);
        assertThat(blocked.getCount()).isZero();
        assertThat(release.getCount()).as("the callback is still blocked").isEqualTo(1);
        assertThat(pubsub.stats().reconnects()).isZero();
        assertThat(subscriberAddress()).as("the same subscriber connection").isEqualTo(subscriber);
        release.countDown();
    }

    /** The address of the library's subscriber connection, from {@code CLIENT LIST}. */
    private String subscriberAddress() {
        List<String> clients = server.clientList();
        for (String client : clients) {
            if (client.contains(" name=slow-callbacks-sub ")) {
                for (String field : client.split(" ")) {
                    if (field.startsWith("addr=")) {
                        return field.substring("addr=".length());
                    }
                }
            }
        }
        throw new AssertionError("no subscriber connection in " + clients);
    }

    /** Count with {@code MONITOR} the PINGs Redis receives from one address, from now on. */
    private AtomicInteger countPings(String address) throws InterruptedException {
        AtomicInteger pings = new AtomicInteger();
        CountDownLatch monitoring = new CountDownLatch(1);
        monitor = server.newClient();
        monitorThread = new Thread(() -> {
            try {
                monitor.monitor(new JedisMonitor() {
                    @Override
                    public void onCommand(String command) {
                        if (command.contains(" " + address + "]")
                                && command.toUpperCase(Locale.ROOT).endsWith("\"PING\"")) {
                            pings.incrementAndGet();
                        }
                    }

                    @Override
                    public void proceed(redis.clients.jedis.Connection connection) {
                        monitoring.countDown();
                        super.proceed(connection);
                    }
                });
            } catch (RuntimeException e) {
                // the connection closed by stop()
            }
        }, "monitor");
        monitorThread.setDaemon(true);
        monitorThread.start();
        assertThat(monitoring.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("MONITOR started").isTrue();
        return pings;
    }
}

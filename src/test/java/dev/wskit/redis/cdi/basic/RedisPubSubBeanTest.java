package dev.wskit.redis.cdi.basic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.Bean;

import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.cdi.RawSubscriber;
import dev.wskit.redis.cdi.RedisConnected;
import dev.wskit.redis.testing.TestConfig;
import dev.wskit.redis.testing.RedisTarget;
import dev.wskit.redis.testing.WithRedis;

import redis.clients.jedis.Jedis;

/** The bean against the shared real Redis: injectable, eager, working end to end, destroyed on shutdown. */
@EnableWeld
@WithRedis
class RedisPubSubBeanTest {

    private final RedisTarget redis;
    private final String clientName = CdiTesting.unique("basic");
    private final String namespace = CdiTesting.unique("ns");
    private final LogCapture log = LogCapture.start();
    private final TestConfig config;

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(CdiTesting.weld(ChatService.class, Observers.class)).build();

    RedisPubSubBeanTest(RedisTarget redis) {
        this.redis = redis;
        this.config = TestConfig.of(
                "wskit.redis.url", redis.url(),
                "wskit.redis.namespace", namespace,
                "wskit.redis.client-name", clientName);
    }

    @AfterEach
    void release() {
        config.close();
        log.close();
    }

    @Test
    void oneApplicationScopedBeanWithTheDefaultQualifierIsInjected() {
        Set<Bean<?>> beans = weld.getBeanManager().getBeans(RedisPubSub.class);
        assertThat(beans).hasSize(1);
        Bean<?> bean = beans.iterator().next();
        assertThat(bean.getScope()).isEqualTo(ApplicationScoped.class);
        assertThat(bean.getQualifiers()).containsExactlyInAnyOrder(Default.Literal.INSTANCE, Any.Literal.INSTANCE);
        assertThat(bean.getTypes()).containsExactlyInAnyOrder(RedisPubSub.class, Object.class);

        RedisPubSub injected = weld.select(ChatService.class).get().pubsub();
        RedisPubSub looked = weld.select(RedisPubSub.class).get();
        // the client proxies delegate toString() to the one instance, whose name carries its sequence number
        assertThat(name(injected)).isEqualTo(name(looked)).startsWith("RedisPubSub[" + clientName + "#");
    }

    private static String name(RedisPubSub pubsub) {
        String text = pubsub.toString();
        return text.substring(0, text.indexOf(']') + 1);
    }

    @Test
    void connectsAtStartupWithoutBeingUsedAndFiresConnectedOnTheCallbackThread() throws InterruptedException {
        Observers observers = weld.select(Observers.class).get();

        RedisConnected connected = observers.connected().poll(10, TimeUnit.SECONDS);
        assertThat(connected).as("RedisConnected within 10 s, without anyone using the bean").isNotNull();
        assertThat(connected.endpoint()).isEqualTo(redis.host() + ":" + redis.port());
        assertThat(connected.timestamp()).isBeforeOrEqualTo(Instant.now());
        assertThat(observers.connectedThreads().poll()).startsWith(clientName + "#").endsWith("-callbacks");
        RedisConnected async = observers.connectedAsync().poll(10, TimeUnit.SECONDS);
        assertThat(async).as("the asynchronous observer is notified too").isEqualTo(connected);
        assertThat(observers.others()).isEmpty();

        assertThat(log.messages(Level.INFO)).anySatisfy(line -> assertThat(line)
                .contains("RedisPubSub bean connecting to Redis at " + redis.host() + ":" + redis.port()
                        + " in the background (namespace " + namespace + ")")
                .contains("the application does not wait for Redis")
                .contains("Threads: the library's own daemon threads (no ManagedThreadFactory at"
                        + " java:comp/DefaultManagedThreadFactory: NoInitialContextException)"));
        assertThat(CdiTesting.liveThreads(clientName + "#")).isNotEmpty().allMatch(Thread::isDaemon);
    }

    @Test
    void publishesAndReceivesThroughRealRedis() throws Exception {
        RedisPubSub pubsub = weld.select(ChatService.class).get().pubsub();
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);

        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        pubsub.subscribe("room", (channel, message) -> received.add(message))
                .ready().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (Jedis jedis = redis.newClient()) {
            assertThat(jedis.publish(namespace + ":room", "from a plain client")).isEqualTo(1);
        }
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("from a plain client");

        try (RawSubscriber raw = RawSubscriber.start(redis, namespace + ":other")) {
            pubsub.publish("other", Map.of("text", "hi")).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(raw.next()).isEqualTo("{\"text\":\"hi\"}");
        }
    }

    @Test
    void shutdownDestroysTheBeanStopsItsThreadsAndReleasesItsSubscriptions() throws Exception {
        RedisPubSub pubsub = weld.select(RedisPubSub.class).get();
        pubsub.subscribe("bye", (channel, message) -> { }).ready().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(redis.numsub(namespace + ":bye")).isEqualTo(1);
        BlockingQueue<Object> others = weld.select(Observers.class).get().others();
        assertThat(CdiTesting.liveThreads(clientName + "#")).isNotEmpty();

        weld.shutdown();

        // destroy() waits for the threads, so they are gone when shutdown returns
        assertThat(CdiTesting.liveThreads(clientName + "#")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.numsub(namespace + ":bye") == 0);
        assertThat(log.messages(Level.INFO)).anySatisfy(line -> assertThat(line)
                .contains("RedisPubSub bean destroyed: connections closed, threads stopped"));
        assertThat(others).as("no RedisDisconnected for a shutdown").isEmpty();
    }
}

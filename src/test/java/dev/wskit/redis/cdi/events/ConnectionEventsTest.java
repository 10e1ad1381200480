package dev.wskit.redis.cdi.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.cdi.RedisConnected;
import dev.wskit.redis.cdi.RedisDisconnected;
import dev.wskit.redis.cdi.RedisError;
import dev.wskit.redis.testing.TestConfig;
import dev.wskit.redis.testing.RedisServer;

/** Connected, disconnected and error events when a Redis of the test's own dies and comes back. */
@EnableWeld
class ConnectionEventsTest {

    private final RedisServer redis = RedisServer.start();
    private final LogCapture log = LogCapture.start();
    private final TestConfig config = TestConfig.of(
            "wskit.redis.host", redis.host(),
            "wskit.redis.port", Integer.toString(redis.port()),
            "wskit.redis.namespace", CdiTesting.unique("events"),
            "wskit.redis.client-name", CdiTesting.unique("events"),
            "wskit.redis.reconnect.initial-delay-ms", "20",
            "wskit.redis.reconnect.max-delay-ms", "200",
            "wskit.redis.ping.interval-ms", "200",
            "wskit.redis.ping.timeout-ms", "200");

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(CdiTesting.weld(Observers.class)).build();

    @AfterEach
    void release() {
        config.close();
        log.close();
        redis.close();
    }

    @Test
    void connectedDisconnectedErrorAndConnectedAgainAreFired() throws Exception {
        BlockingQueue<Object> events = weld.select(Observers.class).get().events();
        RedisPubSub pubsub = weld.select(RedisPubSub.class).get();
        String endpoint = redis.host() + ":" + redis.port();

        assertThat(next(events)).isInstanceOfSatisfying(RedisConnected.class,
                e -> assertThat(e.endpoint()).isEqualTo(endpoint));

        redis.kill9();
        List<Object> whileDown = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            events.drainTo(whileDown);
            assertThat(whileDown).hasAtLeastOneElementOfType(RedisDisconnected.class)
                    .hasAtLeastOneElementOfType(RedisError.class);
        });
        assertThat(whileDown).doesNotHaveAnyElementsOfTypes(RedisConnected.class);
        assertThat(whileDown).filteredOn(RedisDisconnected.class::isInstance).first()
                .isInstanceOfSatisfying(RedisDisconnected.class, e -> assertThat(e.endpoint()).isEqualTo(endpoint));
        assertThat(whileDown).filteredOn(RedisError.class::isInstance).first()
                .isInstanceOfSatisfying(RedisError.class, e -> {
                    assertThat(e.endpoint()).isEqualTo(endpoint);
                    assertThat(e.error()).isInstanceOf(RedisPubSubException.class);
                    assertThat(e.message()).contains(endpoint);
                });
        assertThat(pubsub.isConnected()).isFalse();
        // the observer that threw was logged and ignored
        assertThat(log.messages(Level.WARNING)).anySatisfy(line -> assertThat(line)
                .contains("an observer of RedisDisconnected threw; ignored")
                .contains("an observer that throws"));

        redis.restart();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            events.drainTo(whileDown);
            assertThat(whileDown).hasAtLeastOneElementOfType(RedisConnected.class);
        });
        assertThat(pubsub.isConnected()).isTrue();
    }

    private static Object next(BlockingQueue<Object> events) throws InterruptedException {
        Object event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("an event within 10 s").isNotNull();
        return event;
    }
}

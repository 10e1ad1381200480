package dev.wskit.redis.cdi.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

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

/**
 * A {@code @RedisPubSubClient UnifiedJedis} bean replaces the connection keys: they point where nothing listens,
 * yet the bean connects through the application's client, and the client is disposed only after the bean stopped.
 */
@EnableWeld
@WithRedis
class CustomClientTest {

    private final RedisTarget redis;
    private final String clientName = CdiTesting.unique("client");
    private final String namespace = CdiTesting.unique("client");
    private final LogCapture log = LogCapture.start();
    private final TestConfig config;

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(CdiTesting.weld(ClientProducer.class, Observers.class)).build();

    CustomClientTest(RedisTarget redis) {
        this.redis = redis;
        ClientProducer.THREADS_AT_DISPOSAL.clear();
        this.config = TestConfig.of(
                "test.redis.host", redis.host(),
                "test.redis.port", Integer.toString(redis.port()),
                "wskit.redis.host", "127.0.0.1",
                "wskit.redis.port", Integer.toString(CdiTesting.freePort()),
                "wskit.redis.namespace", namespace,
                "wskit.redis.client-name", clientName);
    }

    @AfterEach
    void release() {
        config.close();
        log.close();
    }

    @Test
    void theApplicationsClientIsUsedAndDisposedAfterTheBeanStopped() throws Exception {
        RedisConnected connected = weld.select(Observers.class).get().connected().poll(10, TimeUnit.SECONDS);
        assertThat(connected).as("connected through the application's client within 10 s").isNotNull();
        assertThat(connected.endpoint()).isEqualTo("pre-configured client");
        assertThat(log.messages(Level.INFO)).anySatisfy(line -> assertThat(line)
                .contains("connecting to Redis at pre-configured client")
                .contains("From the application: @RedisPubSubClient UnifiedJedis."));

        RedisPubSub pubsub = weld.select(RedisPubSub.class).get();
        try (RawSubscriber raw = RawSubscriber.start(redis, namespace + ":news")) {
            pubsub.publish("news", "through the application's client").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(raw.next()).isEqualTo("through the application's client");
        }
        assertThat(ClientProducer.THREADS_AT_DISPOSAL).isEmpty();

        weld.shutdown();

        assertThat(ClientProducer.THREADS_AT_DISPOSAL).as("the client was disposed once, with the bean")
                .hasSize(1);
        assertThat(ClientProducer.THREADS_AT_DISPOSAL.get(0)).as("the library's threads when the client closed")
                .isEmpty();
    }
}

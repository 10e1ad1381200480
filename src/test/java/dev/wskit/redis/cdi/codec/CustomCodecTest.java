package dev.wskit.redis.cdi.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.cdi.RawSubscriber;
import dev.wskit.redis.testing.TestConfig;
import dev.wskit.redis.testing.RedisTarget;
import dev.wskit.redis.testing.WithRedis;

import redis.clients.jedis.Jedis;

/** {@code @RedisPubSubClient} serializer and deserializer beans replace the default codec, on the wire. */
@EnableWeld
@WithRedis
class CustomCodecTest {

    private final RedisTarget redis;
    private final String namespace = CdiTesting.unique("codec");
    private final TestConfig config;

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(CdiTesting.weld(Codecs.class)).build();

    CustomCodecTest(RedisTarget redis) {
        this.redis = redis;
        this.config = TestConfig.of(
                "wskit.redis.url", redis.url(),
                "wskit.redis.namespace", namespace,
                "wskit.redis.client-name", CdiTesting.unique("codec"));
    }

    @AfterEach
    void release() {
        config.close();
    }

    @Test
    void publishedPayloadsComeFromTheSerializerBean() throws Exception {
        RedisPubSub pubsub = weld.select(RedisPubSub.class).get();
        await().atMost(Duration.ofSeconds(10)).until(pubsub::isConnected);
        try (RawSubscriber raw = RawSubscriber.start(redis, namespace + ":out")) {
            pubsub.publish("out", 42).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(raw.next()).isEqualTo("v1|42");
        }
    }

    @Test
    void receivedPayloadsGoThroughTheDeserializerBean() throws Exception {
        RedisPubSub pubsub = weld.select(RedisPubSub.class).get();
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        pubsub.subscribe("in", (channel, message) -> received.add(message))
                .ready().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (Jedis jedis = redis.newClient()) {
            jedis.publish(namespace + ":in", "v1|{\"not\":\"json-decoded\"}");
        }
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Codecs.Envelope("{\"not\":\"json-decoded\"}"));
    }
}

package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.testing.RedisTarget;
import dev.wskit.redis.testing.WithRedis;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;

/** The {@code client} option: a pre-configured Jedis client that the application owns. */
@WithRedis
class PreConfiguredClientIT {

    private final RedisTarget redis;

    PreConfiguredClientIT(RedisTarget redis) {
        this.redis = redis;
    }

    @Test
    void aPreConfiguredClientIsUsedAndLeftOpen() {
        try (RedisClient client = RedisClient.builder()
                .hostAndPort(new HostAndPort(redis.host(), redis.port()))
                .clientConfig(DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP2).build())
                .build()) {
            RedisPubSub a = RedisPubSub.create(RedisPubSubOptions.builder().client(client).namespace("own").build());
            RedisPubSub b = RedisPubSub.create(RedisPubSubOptions.builder().url(redis.url()).namespace("own").build());
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> a.isConnected() && b.isConnected());
                Collector got = new Collector();
                Probes.join(a.subscribe("mine", got).ready());
                Probes.join(b.publish("mine", "via url"));
                assertThat(got.next().message()).isEqualTo("via url");
                Probes.join(a.publish("mine", "via client"));
                assertThat(got.next().message()).isEqualTo("via client");
                assertThat(a.toString()).contains("pre-configured client");
            } finally {
                a.destroy();
                b.destroy();
            }
            // the application still owns a working client
            assertThat(client.ping()).isEqualTo("PONG");
            assertThat(client.publish("own:mine", "x")).isZero();
        }
    }
}

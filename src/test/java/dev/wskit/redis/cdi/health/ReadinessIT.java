package dev.wskit.redis.cdi.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.internal.cdi.health.LivenessCheck;
import dev.wskit.redis.internal.cdi.health.ReadinessCheck;
import dev.wskit.redis.testing.RedisServer;
import dev.wskit.redis.testing.TestConfig;

/**
 * The extension's MicroProfile Health checks against a private Redis that the test kills and restarts: readiness
 * DOWN while Redis is down and UP when it is back, liveness always UP, data without secrets.
 */
class ReadinessIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private RedisServer redis;
    private TestConfig config;
    private WeldContainer container;

    @AfterEach
    void stop() {
        if (container != null) {
            container.close();
        }
        if (config != null) {
            config.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private void deploy(RedisServer server) {
        String url = "redis://:s3cret-pw@127.0.0.1:" + server.port();
        config = TestConfig.of(
                "wskit.redis.url", url,
                "wskit.redis.client-name", CdiTesting.unique("health"),
                "wskit.redis.reconnect.max-delay-ms", "200",
                "wskit.redis.canary.interval-ms", "500");
        // the checks are discovered in the library's bean archive on a server; the test container discovers nothing
        container = CdiTesting.weld(ReadinessCheck.class, LivenessCheck.class).initialize();
    }

    private HealthCheck check(Annotation kind) {
        return container.select(HealthCheck.class, kind).get();
    }

    @Test
    void readinessIsDownWhileRedisIsDownAndUpWhenItIsBack() {
        redis = RedisServer.builder().requirePass("s3cret-pw").start();
        deploy(redis);
        HealthCheck readiness = check(Readiness.Literal.INSTANCE);
        HealthCheck liveness = check(Liveness.Literal.INSTANCE);
        RedisPubSub pubsub = container.select(RedisPubSub.class).get();
        pubsub.subscribe("room", (channel, message) -> { });

        await("UP").atMost(WAIT).until(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP);
        await("a canary back").atMost(WAIT)
                .until(() -> readiness.call().getData().orElseThrow().containsKey("lastCanaryRoundTripMicros"));
        Map<String, Object> up = readiness.call().getData().orElseThrow();
        assertThat(readiness.call().getName()).isEqualTo("wskit-redis-pubsub");
        assertThat(up).containsEntry("endpoint", "127.0.0.1:" + redis.port())
                .containsEntry("topology", "STANDALONE")
                .containsEntry("connected", true)
                .containsEntry("subscriptions", 1L)
                .containsKeys("connectedSince", "canaryFailures")
                .doesNotContainKey("reasons");
        assertThat(up.toString()).doesNotContain("s3cret");

        redis.kill9();
        await("DOWN").atMost(WAIT).until(() -> readiness.call().getStatus() == HealthCheckResponse.Status.DOWN);
        HealthCheckResponse down = readiness.call();
        assertThat(String.valueOf(down.getData().orElseThrow().get("reasons"))).contains("disconnected");
        assertThat(down.getData().orElseThrow()).doesNotContainKey("connectedSince");
        assertThat(liveness.call().getStatus()).as("liveness while Redis is down").isEqualTo(HealthCheckResponse.Status.UP);

        redis.restart();
        await("UP again").atMost(WAIT).until(() -> readiness.call().getStatus() == HealthCheckResponse.Status.UP);
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void bothChecksAreRegisteredOnceWithTheirQualifiers() {
        redis = RedisServer.builder().start();
        deploy(redis);
        assertThat(container.getBeanManager().getBeans(HealthCheck.class, Readiness.Literal.INSTANCE)).hasSize(1);
        assertThat(container.getBeanManager().getBeans(HealthCheck.class, Liveness.Literal.INSTANCE)).hasSize(1);
        for (Bean<?> bean : container.getBeanManager().getBeans(HealthCheck.class, Any.Literal.INSTANCE)) {
            assertThat(bean.getBeanClass().getName()).startsWith("dev.wskit.redis.internal.cdi.health.");
        }
    }
}

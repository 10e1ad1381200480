package dev.wskit.redis.cdi.strictselfcheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.testing.RedisServer;
import dev.wskit.redis.testing.TestConfig;

import redis.clients.jedis.Jedis;

/**
 * {@code wskit.redis.self-check=strict}: a problem the self-check finds fails the deployment, with a message naming
 * it; the same Redis deploys with {@code log}.
 */
class StrictSelfCheckIT {

    private RedisServer redis;
    private TestConfig config;

    @AfterEach
    void stop() {
        if (config != null) {
            config.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private void lowOutputBufferRedis() {
        redis = RedisServer.builder().requirePass("pw-never-shown").start();
        try (Jedis admin = redis.newClient()) {
            admin.configSet("client-output-buffer-limit", "pubsub 1mb 256kb 60");
        }
    }

    @Test
    void aProblemFailsTheDeploymentNamingIt() {
        lowOutputBufferRedis();
        config = TestConfig.of("wskit.redis.url", "redis://:pw-never-shown@127.0.0.1:" + redis.port(),
                "wskit.redis.client-name", CdiTesting.unique("strict"),
                "wskit.redis.self-check", "strict");

        Throwable failure = CdiTesting.deploymentFailure();

        String messages = CdiTesting.allMessages(failure);
        assertThat(failure).isNotNull();
        assertThat(messages).contains("self-check").contains("wskit.redis.self-check is strict")
                .contains("client-output-buffer-limit is pubsub 1048576 262144 60, low")
                .doesNotContain("pw-never-shown");
    }

    @Test
    void logModeDeploys() {
        lowOutputBufferRedis();
        config = TestConfig.of("wskit.redis.url", "redis://:pw-never-shown@127.0.0.1:" + redis.port(),
                "wskit.redis.client-name", CdiTesting.unique("logmode"),
                "wskit.redis.self-check", "log");
        Throwable failure = CdiTesting.deploymentFailure();

        assertThat(failure).isNull();
    }

    @Test
    void anUnknownModeFailsTheDeploymentNamingKeyValueAndRule() {
        config = TestConfig.of("wskit.redis.self-check", "loud");

        String messages = CdiTesting.allMessages(CdiTesting.deploymentFailure());

        assertThat(messages).contains("wskit.redis.self-check must be one of off, log, strict, was \"loud\"");
    }
}

package dev.wskit.redis.cdi.proxiedclient;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.inject.spi.DeploymentException;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.testing.TestConfig;

/** A {@code @RedisPubSubClient} client of a normal scope fails the deployment with a hint. */
class ProxiedClientTest {

    @Test
    void anApplicationScopedClientFailsTheDeployment() {
        Throwable failure;
        try (TestConfig config = TestConfig.of()) {
            failure = CdiTesting.deploymentFailure(ApplicationScopedClient.class);
        }
        assertThat(failure).isInstanceOf(DeploymentException.class);
        assertThat(CdiTesting.allMessages(failure))
                .contains("  - @RedisPubSubClient UnifiedJedis must be a @Dependent or @Singleton bean, was"
                        + " @ApplicationScoped (")
                .contains("the client proxy of a normal scope hides the client's connections from the library");
    }
}

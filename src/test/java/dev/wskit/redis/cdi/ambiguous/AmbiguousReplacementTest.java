package dev.wskit.redis.cdi.ambiguous;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.inject.spi.DeploymentException;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.testing.TestConfig;

/** Two {@code @RedisPubSubClient} beans of one type fail the deployment, together with any config problem. */
class AmbiguousReplacementTest {

    @Test
    void twoQualifiedSerializersFailTheDeployment() {
        Throwable failure;
        try (TestConfig config = TestConfig.of("wskit.redis.port", "0")) {
            failure = CdiTesting.deploymentFailure(TwoSerializers.class);
        }
        assertThat(failure).isInstanceOf(DeploymentException.class);
        assertThat(CdiTesting.allMessages(failure))
                .contains("the RedisPubSub bean cannot be deployed, 2 problems:")
                .contains("  - wskit.redis.port must be between 1 and 65535, was 0")
                .contains("  - @RedisPubSubClient MessageSerializer must be provided by at most one bean, was 2: ")
                .contains("remove or qualify the others");
    }
}

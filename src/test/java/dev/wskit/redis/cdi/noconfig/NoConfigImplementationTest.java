package dev.wskit.redis.cdi.noconfig;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.inject.spi.DeploymentException;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.cdi.CdiTesting;

/** Without a MicroProfile Config implementation the deployment fails, saying how to get one. */
class NoConfigImplementationTest {

    @Test
    void theDeploymentFailsWithAHint() {
        ConfigProviderResolver.setInstance(new Absent());
        Throwable failure;
        try {
            failure = CdiTesting.deploymentFailure();
        } finally {
            // the next use finds SmallRye Config through the service loader again
            ConfigProviderResolver.setInstance(null);
        }
        assertThat(failure).isInstanceOf(DeploymentException.class);
        assertThat(CdiTesting.allMessages(failure))
                .contains("[wskit-redis-pubsub] the RedisPubSub bean cannot read its configuration: MicroProfile"
                        + " Config is not available (java.lang.IllegalStateException: no implementation here)")
                .contains("Open Liberty needs the mpConfig-3.1 feature");
    }

    /** Behaves like the API's resolver when the service loader finds no implementation. */
    private static final class Absent extends ConfigProviderResolver {

        @Override
        public Config getConfig() {
            throw new IllegalStateException("no implementation here");
        }

        @Override
        public Config getConfig(ClassLoader loader) {
            throw new IllegalStateException("no implementation here");
        }

        @Override
        public ConfigBuilder getBuilder() {
            throw new IllegalStateException("no implementation here");
        }

        @Override
        public void registerConfig(Config config, ClassLoader classLoader) {
            throw new IllegalStateException("no implementation here");
        }

        @Override
        public void releaseConfig(Config config) {
            throw new IllegalStateException("no implementation here");
        }
    }
}

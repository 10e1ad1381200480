package dev.wskit.redis.cdi.unreachable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
import dev.wskit.redis.cdi.RedisError;
import dev.wskit.redis.testing.TestConfig;

/** Redis unreachable at start-up: the deployment succeeds, errors are logged and fired, nothing is connected. */
@EnableWeld
class UnreachableAtStartupTest {

    private final int port = CdiTesting.freePort();
    private final String clientName = CdiTesting.unique("unreachable");
    private final LogCapture log = LogCapture.start();
    private final TestConfig config = TestConfig.of(
            "wskit.redis.host", "127.0.0.1",
            "wskit.redis.port", Integer.toString(port),
            "wskit.redis.client-name", clientName,
            "wskit.redis.reconnect.initial-delay-ms", "50",
            "wskit.redis.reconnect.max-delay-ms", "500");

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(CdiTesting.weld(Observers.class)).build();

    @AfterEach
    void release() {
        config.close();
        log.close();
    }

    @Test
    void deploymentSucceedsAndErrorsAreFiredAndLogged() throws Exception {
        assertThat(weld.isRunning()).as("the deployment succeeded").isTrue();
        Observers observers = weld.select(Observers.class).get();

        RedisError first = observers.errors().poll(10, TimeUnit.SECONDS);
        assertThat(first).as("a RedisError within 10 s").isNotNull();
        assertThat(first.endpoint()).isEqualTo("127.0.0.1:" + port);
        assertThat(first.error()).isInstanceOf(RedisPubSubException.class);
        assertThat(first.message()).contains("unreachable").contains("127.0.0.1:" + port);
        RedisError second = observers.errors().poll(10, TimeUnit.SECONDS);
        assertThat(second).as("it keeps trying in the background").isNotNull();
        assertThat(observers.connected()).isEmpty();

        RedisPubSub pubsub = weld.select(RedisPubSub.class).get();
        assertThat(pubsub.isConnected()).isFalse();
        Throwable publishFailure = catchThrowable(() -> pubsub.publish("any", "x").toCompletableFuture()
                .get(10, TimeUnit.SECONDS));
        assertThat(publishFailure).hasCauseInstanceOf(RedisPubSubException.class);
        assertThat(CdiTesting.liveThreads(clientName + "#")).isNotEmpty();

        assertThat(log.messages(Level.INFO)).anySatisfy(line -> assertThat(line)
                .contains("connecting to Redis at 127.0.0.1:" + port + " in the background")
                .contains("the application does not wait for Redis"));
        assertThat(log.messages(Level.WARNING)).anySatisfy(line -> assertThat(line)
                .contains("127.0.0.1:" + port));
    }
}

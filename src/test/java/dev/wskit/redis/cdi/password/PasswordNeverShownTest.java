package dev.wskit.redis.cdi.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.cdi.RedisError;
import dev.wskit.redis.testing.TestConfig;
import dev.wskit.redis.testing.RedisTarget;
import dev.wskit.redis.testing.WithRedis;

/** A configured password that Redis refuses shows up neither in the log (any level) nor in the error events. */
@EnableWeld
@WithRedis
class PasswordNeverShownTest {

    private static final String PASSWORD = "hunter2-Secret";

    private final LogCapture log = LogCapture.start();
    private final TestConfig config;

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(CdiTesting.weld(Observers.class)).build();

    PasswordNeverShownTest(RedisTarget redis) {
        this.config = TestConfig.of(
                "wskit.redis.host", redis.host(),
                "wskit.redis.port", Integer.toString(redis.port()),
                "wskit.redis.username", "nobody-" + CdiTesting.unique("user"),
                "wskit.redis.password", PASSWORD,
                "wskit.redis.client-name", CdiTesting.unique("password"));
    }

    @AfterEach
    void release() {
        config.close();
        log.close();
    }

    @Test
    void theRefusedPasswordIsNotInLogsOrEvents() throws InterruptedException {
        RedisError error = weld.select(Observers.class).get().errors().poll(10, TimeUnit.SECONDS);
        assertThat(error).as("a RedisError within 10 s").isNotNull();
        assertThat(error.message()).contains("refused the credentials").doesNotContain(PASSWORD);
        assertThat(CdiTesting.allMessages(error.error())).doesNotContain(PASSWORD);
        // the options are dumped at DEBUG, which the capture records
        assertThat(log.text()).contains("password=***").doesNotContain(PASSWORD);
    }
}

package dev.wskit.redis.cdi.threadfactory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.logging.Level;

import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.testing.TestConfig;

/** A {@code @RedisPubSubClient ThreadFactory} bean makes the bean's threads; they end with the container. */
@EnableWeld
class CustomThreadFactoryTest {

    private final String clientName = CdiTesting.unique("threads");
    private final LogCapture log = LogCapture.start();
    private final TestConfig config = TestConfig.of(
            "wskit.redis.port", Integer.toString(CdiTesting.freePort()),
            "wskit.redis.client-name", clientName);

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(CdiTesting.weld(Threads.class)).build();

    @AfterEach
    void release() {
        config.close();
        log.close();
    }

    @Test
    void theBeansThreadsComeFromTheApplicationsFactory() {
        List<Thread> made = weld.select(Threads.class).get().made();
        assertThat(made).isNotEmpty().allMatch(Thread::isAlive);
        assertThat(CdiTesting.liveThreads(clientName + "#")).as("every thread of the bean").hasSameSizeAs(made);
        assertThat(made).extracting(Thread::getName).allMatch(name -> name.startsWith(clientName + "#"));
        assertThat(log.messages(Level.INFO)).anySatisfy(line -> assertThat(line)
                .contains("Threads: from the application's @RedisPubSubClient ThreadFactory bean."));

        weld.shutdown();

        assertThat(made).noneMatch(Thread::isAlive);
    }
}

package dev.wskit.redis.cdi.managedthreads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;

import javax.naming.Context;

import org.jboss.weld.junit5.EnableWeld;
import org.jboss.weld.junit5.WeldInitiator;
import org.jboss.weld.junit5.WeldSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.testing.TestConfig;

/**
 * In a container, the bean's threads come from the {@code ManagedThreadFactory} bound at
 * {@code java:comp/DefaultManagedThreadFactory}; a stub JNDI provider plays the container.
 */
@EnableWeld
class ManagedThreadFactoryTest {

    private final String previousFactory = System.setProperty(Context.INITIAL_CONTEXT_FACTORY,
            StubNaming.class.getName());
    private final String clientName = CdiTesting.unique("managed");
    private final LogCapture log = LogCapture.start();
    private final TestConfig config = TestConfig.of(
            "wskit.redis.port", Integer.toString(CdiTesting.freePort()),
            "wskit.redis.client-name", clientName);

    @WeldSetup
    WeldInitiator weld = WeldInitiator.from(CdiTesting.weld()).build();

    ManagedThreadFactoryTest() {
        StubNaming.MADE.clear();
        StubNaming.LOOKED_UP.clear();
    }

    @AfterEach
    void release() {
        if (previousFactory == null) {
            System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
        } else {
            System.setProperty(Context.INITIAL_CONTEXT_FACTORY, previousFactory);
        }
        config.close();
        log.close();
    }

    @Test
    void theBeansThreadsComeFromTheContainersManagedThreadFactory() {
        assertThat(StubNaming.LOOKED_UP).containsExactly("java:comp/DefaultManagedThreadFactory");
        assertThat(StubNaming.MADE).isNotEmpty().allMatch(Thread::isAlive);
        assertThat(CdiTesting.liveThreads(clientName + "#")).as("every thread of the bean")
                .hasSameSizeAs(StubNaming.MADE);
        // the library names the container's threads after the bean
        assertThat(StubNaming.MADE).extracting(Thread::getName).allMatch(name -> name.startsWith(clientName + "#"));
        assertThat(log.messages(Level.INFO)).anySatisfy(line -> assertThat(line)
                .contains("Threads: from the container's ManagedThreadFactory at"
                        + " java:comp/DefaultManagedThreadFactory."));

        weld.shutdown();

        assertThat(StubNaming.MADE).noneMatch(Thread::isAlive);
    }
}

package dev.wskit.redis.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.internal.RedisPubSubImpl;
import dev.wskit.redis.internal.health.JmxRegistration;
import dev.wskit.redis.testing.RedisServer;

/** One MBean per instance, with the stats and the readiness, gone after destroy; names never collide. */
class JmxIT {

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private RedisServer redis;
    private RedisPubSub first;
    private RedisPubSub second;

    @AfterEach
    void stop() {
        for (RedisPubSub pubsub : new RedisPubSub[] {first, second}) {
            if (pubsub != null) {
                pubsub.destroy();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private RedisPubSub create() {
        return RedisPubSub.create(RedisPubSubOptions.builder()
                .url("redis://:jmx-secret@127.0.0.1:" + redis.port())
                .clientName("jmx-it")
                .canaryInterval(Duration.ofMillis(200))
                .build());
    }

    @Test
    void theMBeanShowsTheCountersAndTheReadinessAndGoesAwayWithTheInstance() throws Exception {
        redis = RedisServer.builder().requirePass("jmx-secret").start();
        first = create();
        ObjectName name = ((RedisPubSubImpl) first).mbeanName();
        assertThat(name).isNotNull();
        assertThat(name.getDomain()).isEqualTo("dev.wskit.redis");
        assertThat(name.getKeyProperty("type")).isEqualTo("RedisPubSub");
        assertThat(ObjectName.unquote(name.getKeyProperty("name"))).matches("jmx-it#\\d+");

        Collector received = new Collector();
        first.subscribe("news", received);
        await().atMost(Duration.ofSeconds(10)).until(first::isConnected);
        Probes.join(first.publish("news", "hello"));
        received.next();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> (Long) server.getAttribute(name, "CanaryRoundTripMicros") >= 0);

        assertThat(server.getAttribute(name, "Published")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "Received")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "Subscriptions")).isEqualTo(1);
        assertThat(server.getAttribute(name, "Connected")).isEqualTo(true);
        assertThat(server.getAttribute(name, "Ready")).isEqualTo(true);
        assertThat(server.getAttribute(name, "NotReadyReasons")).isEqualTo("");
        assertThat(server.getAttribute(name, "CanaryFailures")).isEqualTo(0L);
        assertThat(server.getAttribute(name, "Endpoint")).isEqualTo("127.0.0.1:" + redis.port());
        assertThat(server.getAttribute(name, "Topology")).isEqualTo("STANDALONE");
        assertThat(server.getAttribute(name, "Namespace")).isEqualTo("ws");
        assertThat((String) server.getAttribute(name, "ConnectedSince")).isNotEmpty();
        for (var attribute : server.getMBeanInfo(name).getAttributes()) {
            assertThat(String.valueOf(server.getAttribute(name, attribute.getName()))).doesNotContain("jmx-secret");
        }

        redis.kill9();
        await().atMost(Duration.ofSeconds(10)).until(() -> !(Boolean) server.getAttribute(name, "Ready"));
        assertThat((String) server.getAttribute(name, "NotReadyReasons")).contains("disconnected");

        first.destroy();
        assertThat(server.isRegistered(name)).as("registered after destroy").isFalse();
    }

    @Test
    void twoInstancesHaveTwoMBeans() {
        redis = RedisServer.builder().requirePass("jmx-secret").start();
        first = create();
        second = create();
        ObjectName a = ((RedisPubSubImpl) first).mbeanName();
        ObjectName b = ((RedisPubSubImpl) second).mbeanName();
        assertThat(a).isNotEqualTo(b);
        assertThat(server.isRegistered(a)).isTrue();
        assertThat(server.isRegistered(b)).isTrue();
    }

    @Test
    void aNameTakenByAnotherCopyOfTheLibraryGetsASuffix() throws Exception {
        // what two applications, each with its own copy of the library and its own "#1", do
        JmxRegistration one = JmxRegistration.register("Test", "same#1", new Probe(), ProbeMXBean.class,
                System.getLogger("test"), "");
        JmxRegistration two = JmxRegistration.register("Test", "same#1", new Probe(), ProbeMXBean.class,
                System.getLogger("test"), "");
        try {
            assertThat(one.name()).isEqualTo(JmxRegistration.objectName("Test", "same#1"));
            assertThat(two.name()).isEqualTo(JmxRegistration.objectName("Test", "same#1-2"));
            assertThat(server.getAttribute(two.name(), "Value")).isEqualTo(42);
        } finally {
            one.unregister();
            two.unregister();
            two.unregister();
        }
        assertThat(server.isRegistered(one.name())).isFalse();
        assertThat(server.isRegistered(two.name())).isFalse();
    }

    /** A minimal MXBean. */
    public interface ProbeMXBean {
        /** @return 42 */
        int getValue();
    }

    static final class Probe implements ProbeMXBean {
        @Override
        public int getValue() {
            return 42;
        }
    }
}

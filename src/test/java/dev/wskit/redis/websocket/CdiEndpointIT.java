package dev.wskit.redis.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.cdi.RedisPubSubExtension;
import dev.wskit.redis.internal.websocket.delivery.EndpointStatsValues;
import dev.wskit.redis.testing.RedisTarget;
import dev.wskit.redis.testing.TestConfig;
import dev.wskit.redis.testing.WithRedis;

/**
 * Endpoint instances and the {@link RedisPubSub} from CDI: Weld SE with the library's extension, configured through
 * MicroProfile Config, behind an in-JVM Tyrus server.
 */
@WithRedis
class CdiEndpointIT {

    static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    /** A bean the endpoints inject. */
    @ApplicationScoped
    public static class Greeter {

        String greet(String room) {
            return "welcome to " + room;
        }
    }

    /** Not a bean: created with {@code Unmanaged}, which still injects it and runs its lifecycle callbacks. */
    @ServerEndpoint("/plain/{room}")
    public static class PlainEndpoint extends RedisPubSubEndpoint {

        @Inject
        Greeter greeter;

        @Inject
        RedisPubSub injected;

        @PostConstruct
        void created() {
            EVENTS.add(getClass().getSimpleName() + " created");
        }

        @PreDestroy
        void destroyed() {
            EVENTS.add(getClass().getSimpleName() + " destroyed");
        }

        @Override
        protected void onOpen(Session session) {
            String room = channels(session).iterator().next();
            send(session, greeter.greet(room) + (injected != null && redisPubSub() != null ? " with Redis" : ""));
        }
    }

    /** A {@code @Dependent} bean: obtained from the bean manager, one per connection. */
    @Dependent
    @ServerEndpoint("/bean/{room}")
    public static class BeanEndpoint extends PlainEndpoint {
    }

    private final RedisTarget redis;

    CdiEndpointIT(RedisTarget redis) {
        this.redis = redis;
    }

    @Test
    void endpointsAreInjectedAndTheRedisPubSubComesFromTheExtension() throws Exception {
        String namespace = "wscdi" + ThreadLocalRandom.current().nextInt(1_000_000);
        EVENTS.clear();
        Runnable releaseConfig = registerConfig(Map.of("wskit.redis.url", redis.url(),
                "wskit.redis.namespace", namespace));
        try (WeldContainer weld = new Weld("ws-cdi-it-" + namespace)
                        .disableDiscovery()
                        .addExtension(new RedisPubSubExtension())
                        .addBeanClasses(Greeter.class, BeanEndpoint.class)
                        .initialize()) {
            ServerEndpointConfig plainConfig = RedisPubSubEndpoints.config(PlainEndpoint.class);
            ServerEndpointConfig beanConfig = RedisPubSubEndpoints.config(BeanEndpoint.class);
            RedisPubSub bean = weld.select(RedisPubSub.class).get();
            await().atMost(Duration.ofSeconds(10)).until(bean::isConnected);

            try (TyrusServer server = TyrusServer.start(plainConfig, beanConfig);
                    TestClient plain = TestClient.connect(server.uri("/plain/garden"));
                    TestClient beanClient = TestClient.connect(server.uri("/bean/garden"))) {
                plain.expect("welcome to garden with Redis");
                beanClient.expect("welcome to garden with Redis");
                // two endpoint classes in one channel share the instance's one Redis subscription
                await().atMost(Duration.ofSeconds(10)).until(() -> redis.numsub(namespace + ":garden") == 1);

                plain.send("hello from plain");

                plain.expect("hello from plain");
                beanClient.expect("hello from plain");
                assertThat(RedisPubSubEndpoints.stats(plainConfig).sessions()).isOne();
                assertThat(RedisPubSubEndpoints.stats(beanConfig).sessions()).isOne();
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(EVENTS).containsExactlyInAnyOrder(
                    "PlainEndpoint created", "BeanEndpoint created", "PlainEndpoint destroyed",
                    "BeanEndpoint destroyed"));
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.numsub(namespace + ":garden") == 0);
            assertThat(RedisPubSubEndpoints.stats(plainConfig))
                    .isEqualTo(new EndpointStatsValues(0, 0, 0, 0, 0, 0, 0, 0, 0, 0).toStats());
            assertThat(RedisPubSubEndpoints.stats(beanConfig))
                    .isEqualTo(new EndpointStatsValues(0, 0, 0, 0, 0, 0, 0, 0, 0, 0).toStats());
        } finally {
            releaseConfig.run();
        }
    }

    /** Register a MicroProfile Config with exactly these properties for the thread's class loader. */
    private static Runnable registerConfig(Map<String, String> properties) {
        return TestConfig.of(properties)::close;
    }
}

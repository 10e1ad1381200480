package dev.wskit.redis.internal.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.websocket.RedisPubSubEndpoint;

class RedisPubSubEndpointInitializerTest {

    @ServerEndpoint("/chat/{room}")
    public static class ChatEndpoint extends RedisPubSubEndpoint {
    }

    @ServerEndpoint("/news")
    public static class NewsEndpoint extends RedisPubSubEndpoint {
    }

    public abstract static class BaseOfTheApplication extends RedisPubSubEndpoint {
    }

    public static class NotAnnotated extends RedisPubSubEndpoint {
    }

    /** A servlet context that records listeners and holds attributes. */
    private static final class FakeContext {

        final ClassLoader loader;
        final List<EventListener> listeners = new ArrayList<>();
        final Map<String, Object> attributes = new HashMap<>();
        final ServletContext context;

        FakeContext() {
            this(FakeContext.class.getClassLoader());
        }

        FakeContext(ClassLoader loader) {
            this.loader = loader;
            this.context = (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "addListener" -> {
                            listeners.add((EventListener) args[0]);
                            yield null;
                        }
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "getClassLoader" -> loader;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    /** A server container that records the endpoints added. */
    private static ServerContainer container(List<ServerEndpointConfig> added) {
        return (ServerContainer) Proxy.newProxyInstance(RedisPubSubEndpointInitializerTest.class.getClassLoader(),
                new Class<?>[] {ServerContainer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("addEndpoint") && args[0] instanceof ServerEndpointConfig config) {
                        if (added.stream().anyMatch(c -> c.getPath().equals(config.getPath()))) {
                            throw new DeploymentException("path " + config.getPath() + " is taken");
                        }
                        added.add(config);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void handlesTheSubclassesOfTheBaseClass() {
        assertThat(RedisPubSubEndpointInitializer.class.getAnnotation(HandlesTypes.class).value())
                .containsExactly(RedisPubSubEndpoint.class);
    }

    @Test
    void registersEveryConcreteAnnotatedSubclassWhenTheContextIsInitialized() {
        FakeContext fake = new FakeContext();
        List<ServerEndpointConfig> added = new ArrayList<>();

        new RedisPubSubEndpointInitializer().onStartup(Set.of(NewsEndpoint.class, ChatEndpoint.class,
                BaseOfTheApplication.class, NotAnnotated.class), fake.context);
        assertThat(fake.listeners).hasSize(1);
        // the WebSocket container appears after onStartup, as when its own initializer runs later
        fake.attributes.put(RedisPubSubEndpointInitializer.SERVER_CONTAINER_ATTRIBUTE, container(added));
        ((ServletContextListener) fake.listeners.get(0)).contextInitialized(new ServletContextEvent(fake.context));

        assertThat(added).extracting(ServerEndpointConfig::getPath).containsExactly("/chat/{room}", "/news");
        assertThat(added).extracting(ServerEndpointConfig::getEndpointClass)
                .containsOnly(DelegatingEndpoint.class);
        assertThat(EndpointRegistration.of(added.get(0)).type()).isEqualTo(ChatEndpoint.class);
    }

    @Test
    void addsNoListenerWithoutEndpoints() {
        FakeContext fake = new FakeContext();

        new RedisPubSubEndpointInitializer().onStartup(null, fake.context);
        new RedisPubSubEndpointInitializer().onStartup(Set.of(BaseOfTheApplication.class), fake.context);

        assertThat(fake.listeners).isEmpty();
    }

    @Test
    void failsTheDeploymentWithoutAWebSocketContainer() {
        FakeContext fake = new FakeContext();
        new RedisPubSubEndpointInitializer().onStartup(Set.of(ChatEndpoint.class), fake.context);
        ServletContextListener listener = (ServletContextListener) fake.listeners.get(0);

        assertThatThrownBy(() -> listener.contextInitialized(new ServletContextEvent(fake.context)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no jakarta.websocket.server.ServerContainer attribute");
    }

    @Test
    void failsTheDeploymentWhenThePathIsTaken() {
        FakeContext fake = new FakeContext();
        List<ServerEndpointConfig> added = new ArrayList<>();
        added.add(ServerEndpointConfig.Builder.create(DelegatingEndpoint.class, "/news").build());
        fake.attributes.put(RedisPubSubEndpointInitializer.SERVER_CONTAINER_ATTRIBUTE, container(added));
        new RedisPubSubEndpointInitializer().onStartup(Set.of(NewsEndpoint.class), fake.context);
        ServletContextListener listener = (ServletContextListener) fake.listeners.get(0);

        assertThatThrownBy(() -> listener.contextInitialized(new ServletContextEvent(fake.context)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot deploy " + NewsEndpoint.class.getName() + " at /news: path /news is"
                        + " taken");
    }

    @Test
    void anInvalidSettingFailsTheDeployment() {
        try (IsolatedConfig config = new IsolatedConfig(Map.of("wskit.redis.websocket.overflow-policy", "wait",
                "wskit.redis.websocket.send-queue-capacity", "0"))) {
            FakeContext fake = new FakeContext(config.loader);
            List<ServerEndpointConfig> added = new ArrayList<>();
            fake.attributes.put(RedisPubSubEndpointInitializer.SERVER_CONTAINER_ATTRIBUTE, container(added));
            new RedisPubSubEndpointInitializer().onStartup(Set.of(NewsEndpoint.class), fake.context);
            ServletContextListener listener = (ServletContextListener) fake.listeners.get(0);

            assertThatThrownBy(() -> listener.contextInitialized(new ServletContextEvent(fake.context)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("wskit.redis.websocket.send-queue-capacity must be")
                    .hasMessageContaining("wskit.redis.websocket.overflow-policy must be one of");
            assertThat(added).isEmpty();
        }
    }

    @Test
    void isRegisteredAsAServiceOfTheLibraryJar() throws Exception {
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/services/jakarta.servlet.ServletContainerInitializer")) {
            assertThat(in).isNotNull();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim())
                    .isEqualTo(RedisPubSubEndpointInitializer.class.getName());
        }
    }
}

package dev.wskit.redis.internal.websocket.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EventListener;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.cdi.CdiTesting;
import dev.wskit.redis.cdi.LogCapture;
import dev.wskit.redis.testing.TestConfig;
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
                        case "getContextPath" -> "/test-app";
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

        new RedisPubSubEndpointInitializer(() -> null).onStartup(Set.of(NewsEndpoint.class, ChatEndpoint.class,
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
    void drainsEveryRegisteredEndpointWhenTheContextIsDestroyed() {
        FakeContext fake = new FakeContext();
        List<ServerEndpointConfig> added = new ArrayList<>();
        new RedisPubSubEndpointInitializer(() -> null).onStartup(Set.of(NewsEndpoint.class, ChatEndpoint.class),
                fake.context);
        fake.attributes.put(RedisPubSubEndpointInitializer.SERVER_CONTAINER_ATTRIBUTE, container(added));
        ServletContextListener listener = (ServletContextListener) fake.listeners.get(0);
        listener.contextInitialized(new ServletContextEvent(fake.context));

        listener.contextDestroyed(new ServletContextEvent(fake.context));

        assertThat(added).allSatisfy(config -> assertThat(EndpointRegistration.of(config).sessions().isDraining())
                .as("%s draining: new sessions are closed with 1012", config.getPath()).isTrue());
    }

    @Test
    void registersAnMBeanPerEndpointNamedByContextAndPathAndUnregistersItWhenTheContextIsDestroyed()
            throws Exception {
        FakeContext fake = new FakeContext();
        fake.attributes.put(RedisPubSubEndpointInitializer.SERVER_CONTAINER_ATTRIBUTE, container(new ArrayList<>()));
        new RedisPubSubEndpointInitializer(() -> null).onStartup(Set.of(NewsEndpoint.class, ChatEndpoint.class),
                fake.context);
        ServletContextListener listener = (ServletContextListener) fake.listeners.get(0);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName chat = new ObjectName("dev.wskit.redis:type=RedisPubSubEndpoint,name=\"/test-app/chat/{room}\"");
        ObjectName news = new ObjectName("dev.wskit.redis:type=RedisPubSubEndpoint,name=\"/test-app/news\"");

        listener.contextInitialized(new ServletContextEvent(fake.context));
        try {
            assertThat(server.isRegistered(chat)).as("%s registered", chat).isTrue();
            assertThat(server.isRegistered(news)).as("%s registered", news).isTrue();
            assertThat(server.getAttribute(chat, "ContextPath")).isEqualTo("/test-app");
            assertThat(server.getAttribute(chat, "Path")).isEqualTo("/chat/{room}");
            assertThat(server.getAttribute(chat, "EndpointClass")).isEqualTo(ChatEndpoint.class.getName());
            for (String attribute : List.of("Sessions", "Rooms", "SendQueueDepthMax")) {
                assertThat(server.getAttribute(chat, attribute)).as(attribute).isEqualTo(0);
            }
            for (String attribute : List.of("Memberships", "QueuedBytes", "ClosedForOverflow", "ClosedForSize",
                    "ClosedForPolicy", "RateLimited", "Dropped", "PublishFailures", "RefusedOrigins",
                    "MissedMessages")) {
                assertThat(server.getAttribute(chat, attribute)).as(attribute).isEqualTo(0L);
            }
            assertThat(EndpointMonitor.registered()).extracting(EndpointMonitor::name)
                    .contains("/test-app/chat/{room}", "/test-app/news");
        } finally {
            listener.contextDestroyed(new ServletContextEvent(fake.context));
        }

        assertThat(server.isRegistered(chat)).as("%s unregistered", chat).isFalse();
        assertThat(server.isRegistered(news)).as("%s unregistered", news).isFalse();
        assertThat(EndpointMonitor.registered()).extracting(EndpointMonitor::name)
                .doesNotContain("/test-app/chat/{room}", "/test-app/news");
    }

    @Test
    void aDeploymentThatFailsLeavesNoMBeanBehind() throws Exception {
        FakeContext fake = new FakeContext();
        List<ServerEndpointConfig> added = new ArrayList<>();
        added.add(ServerEndpointConfig.Builder.create(DelegatingEndpoint.class, "/news").build());
        fake.attributes.put(RedisPubSubEndpointInitializer.SERVER_CONTAINER_ATTRIBUTE, container(added));
        new RedisPubSubEndpointInitializer(() -> null).onStartup(Set.of(ChatEndpoint.class, NewsEndpoint.class),
                fake.context);
        ServletContextListener listener = (ServletContextListener) fake.listeners.get(0);

        assertThatThrownBy(() -> listener.contextInitialized(new ServletContextEvent(fake.context)))
                .hasMessageContaining("path /news is taken");

        assertThat(added).extracting(ServerEndpointConfig::getPath).contains("/chat/{room}");
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(
                "dev.wskit.redis:type=RedisPubSubEndpoint,name=\"/test-app/chat/{room}\""))).isFalse();
        assertThat(EndpointMonitor.registered()).extracting(EndpointMonitor::name)
                .doesNotContain("/test-app/chat/{room}");
    }

    @Test
    void twoApplicationsAtTheSameContextAndPathGetTwoMBeans() throws Exception {
        EndpointRegistration one = EndpointRegistration.create(ChatEndpoint.class, WebSocketSettings.DEFAULTS,
                PubSubSource.cdiBean(), null);
        EndpointRegistration two = EndpointRegistration.create(ChatEndpoint.class, WebSocketSettings.DEFAULTS,
                PubSubSource.cdiBean(), null);
        EndpointMonitor first = EndpointMonitor.register("/twice", one);
        EndpointMonitor second = EndpointMonitor.register("/twice", two);
        try {
            assertThat(first.objectName()).hasToString(
                    "dev.wskit.redis:type=RedisPubSubEndpoint,name=\"/twice/chat/{room}\"");
            assertThat(second.objectName()).hasToString(
                    "dev.wskit.redis:type=RedisPubSubEndpoint,name=\"/twice/chat/{room}-2\"");
        } finally {
            first.close();
            second.close();
        }
        assertThat(ManagementFactory.getPlatformMBeanServer().queryNames(
                new ObjectName("dev.wskit.redis:type=RedisPubSubEndpoint,*"), null))
                .noneMatch(n -> n.toString().contains("/twice/"));
    }

    @Test
    void addsNoListenerWithoutEndpoints() {
        FakeContext fake = new FakeContext();

        new RedisPubSubEndpointInitializer(() -> null).onStartup(null, fake.context);
        new RedisPubSubEndpointInitializer(() -> null).onStartup(Set.of(BaseOfTheApplication.class), fake.context);

        assertThat(fake.listeners).isEmpty();
    }

    @Test
    void failsTheDeploymentWithoutAWebSocketContainer() {
        FakeContext fake = new FakeContext();
        new RedisPubSubEndpointInitializer(() -> null).onStartup(Set.of(ChatEndpoint.class), fake.context);
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
        new RedisPubSubEndpointInitializer(() -> null).onStartup(Set.of(NewsEndpoint.class), fake.context);
        ServletContextListener listener = (ServletContextListener) fake.listeners.get(0);

        assertThatThrownBy(() -> listener.contextInitialized(new ServletContextEvent(fake.context)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot deploy " + NewsEndpoint.class.getName() + " at /news: path /news is"
                        + " taken");
    }

    @Test
    void anInvalidSettingFailsTheDeployment() {
        try (TestConfig config = TestConfig.isolated(Map.of("wskit.redis.websocket.overflow-policy", "wait",
                "wskit.redis.websocket.send-queue-capacity", "0"))) {
            FakeContext fake = new FakeContext(config.loader());
            List<ServerEndpointConfig> added = new ArrayList<>();
            fake.attributes.put(RedisPubSubEndpointInitializer.SERVER_CONTAINER_ATTRIBUTE, container(added));
            new RedisPubSubEndpointInitializer(() -> null).onStartup(Set.of(NewsEndpoint.class), fake.context);
            ServletContextListener listener = (ServletContextListener) fake.listeners.get(0);

            assertThatThrownBy(() -> listener.contextInitialized(new ServletContextEvent(fake.context)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("wskit.redis.websocket.send-queue-capacity must be")
                    .hasMessageContaining("wskit.redis.websocket.overflow-policy must be one of");
            assertThat(added).isEmpty();
        }
    }

    @Test
    void failsTheDeploymentWithOneSevereLineWhenNoCdiContainerIsReachable() {
        // the CDI API is on the test class path, but no container runs: what Payara Micro showed for an application
        // without a bean archive before the library's jar became one
        FakeContext fake = new FakeContext();
        List<ServerEndpointConfig> added = new ArrayList<>();
        fake.attributes.put(RedisPubSubEndpointInitializer.SERVER_CONTAINER_ATTRIBUTE, container(added));
        new RedisPubSubEndpointInitializer().onStartup(Set.of(ChatEndpoint.class), fake.context);
        ServletContextListener listener = (ServletContextListener) fake.listeners.get(0);

        try (LogCapture log = LogCapture.start()) {
            assertThatThrownBy(() -> listener.contextInitialized(new ServletContextEvent(fake.context)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot deploy " + ChatEndpoint.class.getName())
                    .hasMessageContaining("no CDI container is reachable")
                    .hasMessageContaining("WEB-INF/beans.xml");
            assertThat(log.messages(Level.SEVERE)).singleElement().asString()
                    .contains("cannot deploy " + ChatEndpoint.class.getName())
                    .contains("no CDI container is reachable")
                    .contains("META-INF/beans.xml");
        }
        assertThat(added).as("nothing deployed").isEmpty();
    }

    @Test
    void failsTheDeploymentWhenTheCdiContainerHasNoRedisPubSubBean() {
        FakeContext fake = new FakeContext();
        List<ServerEndpointConfig> added = new ArrayList<>();
        fake.attributes.put(RedisPubSubEndpointInitializer.SERVER_CONTAINER_ATTRIBUTE, container(added));
        new RedisPubSubEndpointInitializer().onStartup(Set.of(ChatEndpoint.class), fake.context);
        ServletContextListener listener = (ServletContextListener) fake.listeners.get(0);

        // a container without the library's extension, as when a repackaged jar lost its META-INF/services file
        try (WeldContainer weld = new Weld("no-extension-" + CdiTesting.unique("t"))
                .disableDiscovery().addBeanClass(CdiTesting.Placeholder.class).initialize()) {
            assertThat(weld.isRunning()).isTrue();
            assertThatThrownBy(() -> listener.contextInitialized(new ServletContextEvent(fake.context)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("there is no RedisPubSub bean")
                    .hasMessageContaining("META-INF/services/jakarta.enterprise.inject.spi.Extension");
        }
        assertThat(added).isEmpty();
    }

    @Test
    void deploysWhenTheCdiContainerHasTheRedisPubSubBeanWithoutCreatingIt() {
        FakeContext fake = new FakeContext();
        List<ServerEndpointConfig> added = new ArrayList<>();
        fake.attributes.put(RedisPubSubEndpointInitializer.SERVER_CONTAINER_ATTRIBUTE, container(added));
        new RedisPubSubEndpointInitializer().onStartup(Set.of(ChatEndpoint.class), fake.context);
        ServletContextListener listener = (ServletContextListener) fake.listeners.get(0);

        // the bean starts with the container and connects in the background: to a port where nothing listens
        try (TestConfig config = TestConfig.of("wskit.redis.url", "redis://127.0.0.1:" + CdiTesting.freePort());
                WeldContainer weld = CdiTesting.weld().initialize();
                LogCapture log = LogCapture.start()) {
            assertThat(weld.select(RedisPubSub.class).isResolvable()).isTrue();
            listener.contextInitialized(new ServletContextEvent(fake.context));
            assertThat(log.messages(Level.SEVERE)).isEmpty();
        }
        assertThat(added).extracting(ServerEndpointConfig::getPath).containsExactly("/chat/{room}");
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

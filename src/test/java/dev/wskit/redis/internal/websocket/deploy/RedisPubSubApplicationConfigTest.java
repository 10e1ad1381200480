package dev.wskit.redis.internal.websocket.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.websocket.RedisPubSubEndpoint;
import dev.wskit.redis.websocket.RedisPubSubEndpoints;

class RedisPubSubApplicationConfigTest {

    @ServerEndpoint("/chat/{room}")
    public static class ChatEndpoint extends RedisPubSubEndpoint {
    }

    @ServerEndpoint("/plain")
    public static class PlainAnnotatedEndpoint {
    }

    public static class PlainProgrammaticEndpoint extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
        }
    }

    private final Set<Class<?>> scanned = new LinkedHashSet<>(Set.of(ChatEndpoint.class,
            PlainAnnotatedEndpoint.class));

    @Test
    void removesOnlyTheRedisPubSubEndpointsFromTheAnnotatedSet() {
        assertThat(new RedisPubSubApplicationConfig().getAnnotatedEndpointClasses(scanned))
                .containsExactly(PlainAnnotatedEndpoint.class);
        assertThat(scanned).as("the container's set is not modified").hasSize(2);
    }

    @Test
    void returnsTheSameWhicheverMethodTheContainerCallsFirst() {
        RedisPubSubApplicationConfig programmaticFirst = new RedisPubSubApplicationConfig();
        assertThat(programmaticFirst.getEndpointConfigs(Set.of(PlainProgrammaticEndpoint.class,
                DelegatingEndpoint.class))).isEmpty();
        Set<Class<?>> annotatedAfter = programmaticFirst.getAnnotatedEndpointClasses(scanned);

        RedisPubSubApplicationConfig annotatedFirst = new RedisPubSubApplicationConfig();
        Set<Class<?>> annotatedBefore = annotatedFirst.getAnnotatedEndpointClasses(scanned);
        assertThat(annotatedFirst.getEndpointConfigs(Set.of(PlainProgrammaticEndpoint.class))).isEmpty();

        assertThat(annotatedAfter).isEqualTo(annotatedBefore).containsExactly(PlainAnnotatedEndpoint.class);
    }

    @Test
    void toleratesANullSet() {
        assertThat(new RedisPubSubApplicationConfig().getAnnotatedEndpointClasses(null)).isEmpty();
        assertThat(RedisPubSubEndpoints.withoutRedisPubSubEndpoints(null)).isEmpty();
    }
}

package dev.wskit.redis.internal.websocket.deploy;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;

import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/**
 * Keeps the container from deploying the application's {@link RedisPubSubEndpoint} subclasses as annotated
 * endpoints; {@link RedisPubSubEndpointInitializer} deploys them programmatically instead.
 *
 * <p>The container finds this class by scanning the application, library jars included, and then deploys only what
 * its {@code ServerApplicationConfig}s return. This one returns every scanned annotated class except the subclasses
 * of {@code RedisPubSubEndpoint}, and no programmatic configuration, so it works whichever of its two methods the
 * container calls first. An application with a {@code ServerApplicationConfig} of its own must leave those classes out
 * too: {@link dev.wskit.redis.websocket.RedisPubSubEndpoints#withoutRedisPubSubEndpoints(Set)}.
 */
public final class RedisPubSubApplicationConfig implements ServerApplicationConfig {

    /** Called by the container. */
    public RedisPubSubApplicationConfig() {
    }

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> endpointClasses) {
        // registered by RedisPubSubEndpointInitializer, which does not depend on the order of these two calls
        return Set.of();
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        return withoutRedisPubSubEndpoints(scanned);
    }

    /**
     * Return the classes that are not subclasses of {@link RedisPubSubEndpoint}.
     *
     * @param classes the classes; can be {@code null} (then empty)
     * @return a new mutable set; never {@code null}
     */
    public static Set<Class<?>> withoutRedisPubSubEndpoints(Set<Class<?>> classes) {
        Set<Class<?>> kept = new LinkedHashSet<>();
        if (classes != null) {
            for (Class<?> c : classes) {
                if (!RedisPubSubEndpoint.class.isAssignableFrom(c)) {
                    kept.add(c);
                }
            }
        }
        return kept;
    }
}

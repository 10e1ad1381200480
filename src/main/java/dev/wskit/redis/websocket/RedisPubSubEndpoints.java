package dev.wskit.redis.websocket;

import java.util.Set;

import jakarta.websocket.server.ServerEndpointConfig;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;
import dev.wskit.redis.internal.websocket.deploy.PubSubSource;
import dev.wskit.redis.internal.websocket.deploy.RedisPubSubApplicationConfig;
import dev.wskit.redis.internal.websocket.deploy.WebSocketSettings;

/**
 * Registers {@link RedisPubSubEndpoint} subclasses where the library cannot do it by itself, and reads their counters.
 *
 * <p>In a servlet container (WildFly, Payara, Open Liberty, ...) nothing is needed: the library deploys every
 * concrete subclass annotated with {@code @ServerEndpoint}, see {@link RedisPubSubEndpoint}. Do not also register
 * those classes with {@link #config}: the path would be deployed twice. Outside a servlet container, for example
 * with a standalone Tyrus server, add the configuration yourself:
 * <pre>{@code
 * RedisPubSub pubsub = RedisPubSub.create(RedisPubSubOptions.builder().url("redis://localhost:6379").build());
 * ServerEndpointConfig chat = RedisPubSubEndpoints.config(ChatEndpoint.class, pubsub);
 * serverContainer.addEndpoint(chat);
 * // later
 * RedisPubSubEndpointStats stats = RedisPubSubEndpoints.stats(chat);
 * }</pre>
 *
 * <p>Each call creates a new, independent registration with its own rooms and counters, so one JVM can run several
 * servers with different {@code RedisPubSub} instances. The settings are read from MicroProfile Config, when present,
 * at the call.
 *
 * @since 0.1
 */
public final class RedisPubSubEndpoints {

    private RedisPubSubEndpoints() {
    }

    /**
     * Create the configuration that deploys an endpoint class at the path of its {@code @ServerEndpoint}, using the
     * application's {@link RedisPubSub} CDI bean, looked up at the first connection.
     *
     * @param type the endpoint class; must be public, concrete and annotated with {@code @ServerEndpoint}
     * @return a configuration for {@code ServerContainer.addEndpoint}; never {@code null}
     * @throws IllegalArgumentException if the class does not qualify, or a MicroProfile Config value of the
     *     WebSocket layer is invalid; the message says which and why
     */
    public static ServerEndpointConfig config(Class<? extends RedisPubSubEndpoint> type) {
        return register(type, PubSubSource.cdiBean());
    }

    /**
     * Create the configuration that deploys an endpoint class at the path of its {@code @ServerEndpoint}, using the
     * given {@link RedisPubSub}.
     *
     * @param type the endpoint class; must be public, concrete and annotated with {@code @ServerEndpoint}
     * @param pubsub the instance to publish and subscribe with; must not be {@code null}; its owner destroys it
     *     after the server stopped
     * @return a configuration for {@code ServerContainer.addEndpoint}; never {@code null}
     * @throws IllegalArgumentException if {@code pubsub} is {@code null}, the class does not qualify, or a MicroProfile
     *     Config value of the WebSocket layer is invalid; the message says which and why
     */
    public static ServerEndpointConfig config(Class<? extends RedisPubSubEndpoint> type, RedisPubSub pubsub) {
        if (pubsub == null) {
            throw new IllegalArgumentException("pubsub must not be null; use config(type) for the CDI bean");
        }
        return register(type, PubSubSource.given(pubsub));
    }

    /**
     * Return the counters of a registration created by {@link #config}.
     *
     * @param config a configuration returned by {@link #config}; must not be {@code null}
     * @return a snapshot; never {@code null}
     * @throws IllegalArgumentException if the configuration was not created by this class
     */
    public static RedisPubSubEndpointStats stats(ServerEndpointConfig config) {
        return EndpointRegistration.of(config).stats();
    }

    /**
     * Return the given classes without the subclasses of {@link RedisPubSubEndpoint}; for an application's own
     * {@code ServerApplicationConfig}, whose {@code getAnnotatedEndpointClasses} must not return those classes
     * (the container would deploy them as annotated endpoints, beside the library's registration).
     *
     * @param annotated the scanned annotated classes; can be {@code null} (then empty)
     * @return a new mutable set; never {@code null}
     */
    public static Set<Class<?>> withoutRedisPubSubEndpoints(Set<Class<?>> annotated) {
        return RedisPubSubApplicationConfig.withoutRedisPubSubEndpoints(annotated);
    }

    private static ServerEndpointConfig register(Class<? extends RedisPubSubEndpoint> type, PubSubSource pubsub) {
        ClassLoader loader = type != null ? type.getClassLoader() : null;
        WebSocketSettings settings = WebSocketSettings.fromMicroProfileConfig(loader);
        return EndpointRegistration.create(type, settings, pubsub, null).config();
    }
}

package dev.wskit.redis.internal.websocket.deploy;

import java.lang.annotation.Annotation;

import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.websocket.OverflowPolicy;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;
import dev.wskit.redis.websocket.RedisPubSubEndpointStats;

/**
 * Runs application endpoint instances outside a WebSocket container, for {@code dev.wskit.redis.testkit}: one
 * {@link EndpointRegistration} with the default settings (delivery on the publishing thread only, sessions closed on
 * the calling thread), and a {@link DelegatingEndpoint} per session, exactly as the container would drive them.
 *
 * <p>The endpoint class need not be public nor annotated: the instances are given, not created, and the path is
 * that of its {@code @ServerEndpoint} if it has one, else {@code /}. The configurator of the annotation is not used
 * (there is no handshake).
 */
public final class EndpointHarness {

    private static final Runnable NOTHING = () -> {
    };

    private final EndpointRegistration registration;

    private EndpointHarness(EndpointRegistration registration) {
        this.registration = registration;
    }

    /**
     * Create a harness.
     *
     * @param type the endpoint class; must not be {@code null}
     * @param pubsub the instance the endpoint publishes and subscribes with; must not be {@code null}
     * @return the harness; never {@code null}
     * @throws IllegalArgumentException if an argument is {@code null}
     */
    public static EndpointHarness create(Class<? extends RedisPubSubEndpoint> type, RedisPubSub pubsub) {
        if (type == null || pubsub == null) {
            throw new IllegalArgumentException("endpoint class and pubsub must not be null");
        }
        ServerEndpoint declared = type.getAnnotation(ServerEndpoint.class);
        WebSocketSettings settings = new WebSocketSettings(WebSocketSettings.DEFAULT_SEND_QUEUE_CAPACITY,
                OverflowPolicy.CLOSE, false, 1);
        return new EndpointHarness(new EndpointRegistration(type, new Path(declared == null ? "/" : declared.value()),
                settings, PubSubSource.given(pubsub), Runnable::run));
    }

    /**
     * Return the path template of the endpoint.
     *
     * @return the path; never {@code null}
     */
    public String path() {
        return registration.path();
    }

    /**
     * Return the endpoint configuration, as given to {@link Endpoint#onOpen}.
     *
     * @return the configuration; never {@code null}
     */
    public EndpointConfig config() {
        return registration.config();
    }

    /**
     * Create the container-side endpoint of one session, around an instance of the application's class.
     *
     * @param instance the instance; must not be {@code null}
     * @return the endpoint to call {@code onOpen}, {@code onClose} and {@code onError} on; never {@code null}
     * @throws IllegalStateException if the instance is bound to another registration
     */
    public Endpoint endpoint(RedisPubSubEndpoint instance) {
        return new DelegatingEndpoint(registration, new EndpointFactory.Created(instance, NOTHING));
    }

    /**
     * Return the counters of the endpoint.
     *
     * @return a snapshot; never {@code null}
     */
    public RedisPubSubEndpointStats stats() {
        return registration.stats();
    }

    /** The parts of {@code @ServerEndpoint} a registration reads: the path, no configurator. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private record Path(String value) implements ServerEndpoint {

        @Override
        public String[] subprotocols() {
            return new String[0];
        }

        @Override
        public Class<? extends Decoder>[] decoders() {
            return new Class[0];
        }

        @Override
        public Class<? extends Encoder>[] encoders() {
            return new Class[0];
        }

        @Override
        public Class<? extends ServerEndpointConfig.Configurator> configurator() {
            return ServerEndpointConfig.Configurator.class;
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return ServerEndpoint.class;
        }
    }
}

package dev.wskit.redis.cdi;

import java.time.Instant;
import java.util.Objects;

import dev.wskit.redis.internal.ValueFactories;
import dev.wskit.redis.internal.cdi.EventValues;

/**
 * The CDI event fired each time every connection of the {@code RedisPubSub} bean is up ({@code isConnected()} turned
 * {@code true}): the first time and after every reconnect.
 *
 * <p>Synchronous observers ({@code @Observes RedisConnected}) run on the library's callback thread, one event at a
 * time and in order, and should return quickly: a slow observer delays the events after it (never a PING), and
 * while too many wait, further events are dropped and counted in
 * {@link dev.wskit.redis.RedisPubSubStats#droppedCallbacks()}. Slow work belongs in an asynchronous observer
 * ({@code @ObservesAsync}); both kinds are notified. An observer that throws is logged and ignored.
 *
 * <pre>{@code
 * void connected(@Observes RedisConnected event) {
 *     log.info("Redis up at " + event.endpoint());
 * }
 * }</pre>
 *
 * <p>Only the library creates events, so that later versions can add components without breaking observers.
 * Instances are immutable; two are equal when their components are.
 *
 * @since 0.1
 */
public final class RedisConnected {

    static {
        ValueFactories.install(RedisConnected.class, EventValues.class, RedisConnected::new);
    }

    private final String endpoint;
    private final Instant timestamp;

    private RedisConnected(EventValues values) {
        this.endpoint = Objects.requireNonNull(values.endpoint(), "endpoint must not be null");
        this.timestamp = Objects.requireNonNull(values.timestamp(), "timestamp must not be null");
    }

    /**
     * Return the Redis endpoint as {@link dev.wskit.redis.RedisPubSubOptions#endpoint()} names it: {@code host:port},
     * the sentinels and master, the cluster nodes, or {@code pre-configured client} with a
     * {@link RedisPubSubClient} client. Never contains credentials.
     *
     * @return the endpoint; never {@code null}
     */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Return when the connection was reported.
     *
     * @return the time; never {@code null}
     */
    public Instant timestamp() {
        return timestamp;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RedisConnected e && endpoint.equals(e.endpoint) && timestamp.equals(e.timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, timestamp);
    }

    /**
     * Return the event as text, such as {@code RedisConnected[endpoint=localhost:6379, timestamp=...]}.
     *
     * @return the text; never {@code null}
     */
    @Override
    public String toString() {
        return "RedisConnected[endpoint=" + endpoint + ", timestamp=" + timestamp + "]";
    }
}

package dev.wskit.redis.cdi;

import java.time.Instant;
import java.util.Objects;

import dev.wskit.redis.internal.ValueFactories;
import dev.wskit.redis.internal.cdi.EventValues;

/**
 * The CDI event fired each time the {@code RedisPubSub} bean loses a connection to Redis after it was connected.
 *
 * <p>The bean reconnects in the background and fires {@link RedisConnected} when it is back. It is not fired when
 * the application shuts down. Observers run as described for {@link RedisConnected}.
 *
 * <p>Only the library creates events, so that later versions can add components without breaking observers.
 * Instances are immutable; two are equal when their components are.
 *
 * @since 0.1
 */
public final class RedisDisconnected {

    static {
        ValueFactories.install(RedisDisconnected.class, EventValues.class, RedisDisconnected::new);
    }

    private final String endpoint;
    private final Instant timestamp;

    private RedisDisconnected(EventValues values) {
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
     * Return when the loss was reported.
     *
     * @return the time; never {@code null}
     */
    public Instant timestamp() {
        return timestamp;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RedisDisconnected e && endpoint.equals(e.endpoint) && timestamp.equals(e.timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, timestamp);
    }

    /**
     * Return the event as text, such as {@code RedisDisconnected[endpoint=localhost:6379, timestamp=...]}.
     *
     * @return the text; never {@code null}
     */
    @Override
    public String toString() {
        return "RedisDisconnected[endpoint=" + endpoint + ", timestamp=" + timestamp + "]";
    }
}

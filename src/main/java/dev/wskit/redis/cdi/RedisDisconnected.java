package dev.wskit.redis.cdi;

import java.time.Instant;
import java.util.Objects;

/**
 * The CDI event fired each time the {@code RedisPubSub} bean loses a connection to Redis after it was connected.
 *
 * <p>The bean reconnects in the background and fires {@link RedisConnected} when it is back. It is not fired when
 * the application shuts down. Observers run as described for {@link RedisConnected}.
 *
 * @param endpoint the Redis endpoint as {@link dev.wskit.redis.RedisPubSubOptions#endpoint()} names it:
 *        {@code host:port}, the sentinels and master, the cluster nodes, or {@code pre-configured client} with a
 *        {@link RedisPubSubClient} client; never {@code null}, never contains credentials
 * @param timestamp when the loss was reported; never {@code null}
 * @since 0.1
 */
public record RedisDisconnected(String endpoint, Instant timestamp) {

    /**
     * Create an event.
     *
     * @param endpoint the Redis endpoint; must not be {@code null}
     * @param timestamp when the loss was reported; must not be {@code null}
     * @throws NullPointerException if an argument is {@code null}
     */
    public RedisDisconnected {
        Objects.requireNonNull(endpoint, "endpoint must not be null");
        Objects.requireNonNull(timestamp, "timestamp must not be null");
    }
}

package dev.wskit.redis.cdi;

import java.time.Instant;
import java.util.Objects;

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
 * @param endpoint the Redis endpoint as {@link dev.wskit.redis.RedisPubSubOptions#endpoint()} names it:
 *        {@code host:port}, the sentinels and master, the cluster nodes, or {@code pre-configured client} with a
 *        {@link RedisPubSubClient} client; never {@code null}, never contains credentials
 * @param timestamp when the connection was reported; never {@code null}
 * @since 0.1
 */
public record RedisConnected(String endpoint, Instant timestamp) {

    /**
     * Create an event.
     *
     * @param endpoint the Redis endpoint; must not be {@code null}
     * @param timestamp when the connection was reported; must not be {@code null}
     * @throws NullPointerException if an argument is {@code null}
     */
    public RedisConnected {
        Objects.requireNonNull(endpoint, "endpoint must not be null");
        Objects.requireNonNull(timestamp, "timestamp must not be null");
    }
}

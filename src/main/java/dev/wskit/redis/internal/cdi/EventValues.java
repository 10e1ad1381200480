package dev.wskit.redis.internal.cdi;

import java.time.Instant;

import dev.wskit.redis.cdi.RedisConnected;
import dev.wskit.redis.cdi.RedisDisconnected;
import dev.wskit.redis.cdi.RedisError;
import dev.wskit.redis.internal.ValueFactories;

/**
 * The values of a connection event ({@link RedisConnected}, {@link RedisDisconnected}, {@link RedisError}), which
 * only the library creates. Not API.
 *
 * @param endpoint the Redis endpoint, without credentials; never {@code null}
 * @param timestamp when it was reported; never {@code null}
 * @param error the error of a {@link RedisError}; {@code null} for the others
 */
public record EventValues(String endpoint, Instant timestamp, Throwable error) {

    /**
     * Create a {@link RedisConnected}.
     *
     * @param endpoint the Redis endpoint; must not be {@code null}
     * @return the event; never {@code null}
     */
    public static RedisConnected connected(String endpoint) {
        return ValueFactories.create(RedisConnected.class, new EventValues(endpoint, Instant.now(), null));
    }

    /**
     * Create a {@link RedisDisconnected}.
     *
     * @param endpoint the Redis endpoint; must not be {@code null}
     * @return the event; never {@code null}
     */
    public static RedisDisconnected disconnected(String endpoint) {
        return ValueFactories.create(RedisDisconnected.class, new EventValues(endpoint, Instant.now(), null));
    }

    /**
     * Create a {@link RedisError}.
     *
     * @param endpoint the Redis endpoint; must not be {@code null}
     * @param error the error; must not be {@code null}
     * @return the event; never {@code null}
     */
    public static RedisError error(String endpoint, Throwable error) {
        return ValueFactories.create(RedisError.class, new EventValues(endpoint, Instant.now(), error));
    }
}

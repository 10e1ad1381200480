package dev.wskit.redis.cdi;

import java.time.Instant;
import java.util.Objects;

/**
 * The CDI event fired for every error the {@code RedisPubSub} bean reports to
 * {@link dev.wskit.redis.RedisPubSubOptions#onError()}: connection errors (Redis unreachable, credentials refused, a
 * PING not answered in time, an error answer from Redis), handler exceptions, malformed messages and refused
 * commands.
 *
 * <p>While Redis stays unreachable, one event is fired per failed reconnect attempt, so at most once per reconnect
 * delay ({@code wskit.redis.reconnect.max-delay-ms} at the slowest). Observers run as described for
 * {@link RedisConnected}.
 *
 * <pre>{@code
 * void failed(@Observes RedisError event) {
 *     metrics.counter("redis.errors").increment();
 * }
 * }</pre>
 *
 * @param endpoint the Redis endpoint as {@link dev.wskit.redis.RedisPubSubOptions#endpoint()} names it:
 *        {@code host:port}, the sentinels and master, the cluster nodes, or {@code pre-configured client} with a
 *        {@link RedisPubSubClient} client; never {@code null}, never contains credentials
 * @param timestamp when the error was reported; never {@code null}
 * @param error the error, usually a {@link dev.wskit.redis.RedisPubSubException} whose message names the endpoint
 *        and the reason and whose cause is the underlying failure; never {@code null}
 * @since 0.1
 */
public record RedisError(String endpoint, Instant timestamp, Throwable error) {

    /**
     * Create an event.
     *
     * @param endpoint the Redis endpoint; must not be {@code null}
     * @param timestamp when the error was reported; must not be {@code null}
     * @param error the error; must not be {@code null}
     * @throws NullPointerException if an argument is {@code null}
     */
    public RedisError {
        Objects.requireNonNull(endpoint, "endpoint must not be null");
        Objects.requireNonNull(timestamp, "timestamp must not be null");
        Objects.requireNonNull(error, "error must not be null");
    }

    /**
     * Return the message of the error, or its class name when it has none.
     *
     * @return the message; never {@code null}
     */
    public String message() {
        String message = error.getMessage();
        return message != null ? message : error.getClass().getName();
    }
}

package dev.wskit.redis.cdi;

import java.time.Instant;
import java.util.Objects;

import dev.wskit.redis.internal.ValueFactories;
import dev.wskit.redis.internal.cdi.EventValues;

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
 * <p>Only the library creates events, so that later versions can add components without breaking observers.
 * Instances are immutable; two are equal when their components are.
 *
 * @since 0.1
 */
public final class RedisError {

    static {
        ValueFactories.install(RedisError.class, EventValues.class, RedisError::new);
    }

    private final String endpoint;
    private final Instant timestamp;
    private final Throwable error;

    private RedisError(EventValues values) {
        this.endpoint = Objects.requireNonNull(values.endpoint(), "endpoint must not be null");
        this.timestamp = Objects.requireNonNull(values.timestamp(), "timestamp must not be null");
        this.error = Objects.requireNonNull(values.error(), "error must not be null");
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
     * Return when the error was reported.
     *
     * @return the time; never {@code null}
     */
    public Instant timestamp() {
        return timestamp;
    }

    /**
     * Return the error, usually a {@link dev.wskit.redis.RedisPubSubException} whose message names the endpoint and
     * the reason and whose cause is the underlying failure.
     *
     * @return the error; never {@code null}
     */
    public Throwable error() {
        return error;
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

    @Override
    public boolean equals(Object other) {
        return other instanceof RedisError e && endpoint.equals(e.endpoint) && timestamp.equals(e.timestamp) && error.equals(e.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, timestamp, error);
    }

    /**
     * Return the event as text, such as {@code RedisError[endpoint=localhost:6379, timestamp=...]}.
     *
     * @return the text; never {@code null}
     */
    @Override
    public String toString() {
        return "RedisError[endpoint=" + endpoint + ", timestamp=" + timestamp + ", error=" + error + "]";
    }
}

package dev.wskit.redis;

/**
 * The one root of runtime failures reported by {@link RedisPubSub}: Redis unreachable, a publish rejected because
 * too many are pending, a message that cannot be serialized, an error answer from Redis.
 *
 * <p>Messages name the Redis endpoint as {@code host:port} and never contain credentials.
 *
 * @since 0.1
 */
public class RedisPubSubException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Create an exception with a message.
     *
     * @param message what went wrong and, where known, what to do; must not be {@code null}
     */
    public RedisPubSubException(String message) {
        super(message);
    }

    /**
     * Create an exception with a message and a cause.
     *
     * @param message what went wrong and, where known, what to do; must not be {@code null}
     * @param cause the underlying failure; can be {@code null}
     */
    public RedisPubSubException(String message, Throwable cause) {
        super(message, cause);
    }
}

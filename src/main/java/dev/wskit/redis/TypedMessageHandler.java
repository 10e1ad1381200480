package dev.wskit.redis;

/**
 * Receives messages converted to a type chosen at subscription time, see
 * {@link RedisPubSub#subscribe(String, Class, TypedMessageHandler)}.
 *
 * <p>The threading contract is the one of {@link MessageHandler}.
 *
 * @param <T> the type messages are converted to
 * @since 0.1
 */
@FunctionalInterface
public interface TypedMessageHandler<T> {

    /**
     * Handle one message.
     *
     * @param channel the channel the message was published on, without the namespace prefix; never {@code null}
     * @param message the converted message; can be {@code null}
     */
    void onMessage(String channel, T message);
}

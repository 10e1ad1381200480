package dev.wskit.redis;

/**
 * Receives messages published on a channel (or matching a pattern) that a {@link RedisPubSub} subscribed to.
 *
 * <p>Handlers are called on the subscriber thread, one message at a time, in the order Redis delivered them.
 * A handler must not block: while it runs, no other message of this {@code RedisPubSub} is dispatched. A handler
 * that throws is logged and counted; the other handlers and the subscriber loop are not affected.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface MessageHandler {

    /**
     * Handle one message.
     *
     * @param channel the channel the message was published on, without the namespace prefix; never {@code null}
     * @param message the deserialized message; can be {@code null} (the JSON literal {@code null})
     */
    void onMessage(String channel, Object message);
}

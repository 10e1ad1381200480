package dev.wskit.redis;

/**
 * Receives the messages of a channel with history, each with its position, in the order of their offsets, each
 * once; see {@link RedisPubSub#subscribeWithHistory}.
 *
 * <p>Called on a thread of the library that serves the history subscriptions of one {@link RedisPubSub} in turn,
 * never on a thread that keeps a connection alive: a slow handler delays the other history subscriptions of the
 * instance (their messages wait in a bounded queue, and those that do not fit are read from the history later),
 * never the connections.
 *
 * @param <T> the type messages are converted to
 * @since 0.2
 */
@FunctionalInterface
public interface HistoryHandler<T> {

    /**
     * Handle one message. An exception is counted ({@link RedisPubSubStats#handlerErrors()}), logged and
     * reported to {@code onError}; the message counts as delivered.
     *
     * @param channel the channel, without the namespace prefix
     * @param message the message, converted as for {@link RedisPubSub#subscribe(String, Class, TypedMessageHandler)}
     * @param position the message's position: its offset and the channel's epoch
     */
    void onMessage(String channel, T message, StreamPosition position);

    /**
     * Learn that messages were lost for this subscription: they were published but could not be read back from the
     * history (trimmed, expired, or the history was reset). Called before the first message after the loss. Does
     * nothing by default.
     *
     * @param loss what was lost
     */
    default void onLoss(MessageLoss loss) {
    }
}

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
     * nothing by default; implement it in a class, or with {@link #withLoss} for a lambda.
     *
     * @param loss what was lost
     */
    default void onLoss(MessageLoss loss) {
    }

    /**
     * Return a handler made of two lambdas (or method references): one for the messages, one for the losses, since a
     * lambda alone cannot implement {@link #onLoss}.
     *
     * <pre>{@code
     * pubsub.subscribeWithHistory("orders", Order.class, since, HistoryHandler.withLoss(
     *         (channel, order, position) -> orders.apply(order, position),
     *         loss -> orders.reload()));
     * }</pre>
     *
     * @param <T> the type messages are converted to
     * @param onMessage receives the messages, as {@link #onMessage}; must not be {@code null}
     * @param onLoss receives the losses, as {@link #onLoss}; must not be {@code null}
     * @return a new handler; its {@code toString()} names both parts
     * @throws NullPointerException if an argument is {@code null}
     * @since 0.2
     */
    static <T> HistoryHandler<T> withLoss(HistoryHandler<T> onMessage,
            java.util.function.Consumer<MessageLoss> onLoss) {
        java.util.Objects.requireNonNull(onMessage, "onMessage");
        java.util.Objects.requireNonNull(onLoss, "onLoss");
        return new HistoryHandler<>() {
            @Override
            public void onMessage(String channel, T message, StreamPosition position) {
                onMessage.onMessage(channel, message, position);
            }

            @Override
            public void onLoss(MessageLoss loss) {
                onLoss.accept(loss);
            }

            @Override
            public String toString() {
                return "HistoryHandler.withLoss(" + onMessage + ", " + onLoss + ")";
            }
        };
    }
}

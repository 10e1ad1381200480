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

    /**
     * Learn that this handler may have missed messages: its subscription was not in force for a while (the
     * subscriber connection was lost, or replaced by the library) and is confirmed again. Called once per such gap
     * and subscription, after Redis confirmed the subscription again, on the library's callback thread (the one of
     * {@code onConnect}; never a thread that keeps a connection alive, and not the thread that calls
     * {@code onMessage}): messages published after {@link SubscriptionGap#to()} may reach {@code onMessage} before
     * or while this runs. Must not block. Not called for the subscriptions of
     * {@link RedisPubSub#subscribeWithHistory} (they recover what they missed). Two gaps of one subscription that
     * were not reported yet (the callback thread was busy) are reported as one that covers both. An exception is
     * counted ({@link RedisPubSubStats#handlerErrors()}), logged and reported to {@code onError}. Does nothing by
     * default; implement it to refetch state (in a class, or with {@link #withGaps} for a lambda).
     *
     * @param gap when the subscription was not in force; never {@code null}
     * @since 0.2
     */
    default void onGap(SubscriptionGap gap) {
    }

    /**
     * Return a handler made of two lambdas (or method references): one for the messages, one for the gaps, since a
     * lambda alone cannot implement {@link #onGap}. Subscribe with the handler returned, and unsubscribe with that
     * one too (not with {@code onMessage}).
     *
     * <pre>{@code
     * pubsub.subscribe("prices", MessageHandler.withGaps(
     *         (channel, message) -> prices.update(message),
     *         gap -> prices.reload()));
     * }</pre>
     *
     * @param onMessage receives the messages, as {@link #onMessage}; must not be {@code null}
     * @param onGap receives the gaps, as {@link #onGap}; must not be {@code null}
     * @return a new handler; its {@code toString()} names both parts
     * @throws NullPointerException if an argument is {@code null}
     * @since 0.2
     */
    static MessageHandler withGaps(MessageHandler onMessage, java.util.function.Consumer<SubscriptionGap> onGap) {
        java.util.Objects.requireNonNull(onMessage, "onMessage");
        java.util.Objects.requireNonNull(onGap, "onGap");
        return new MessageHandler() {
            @Override
            public void onMessage(String channel, Object message) {
                onMessage.onMessage(channel, message);
            }

            @Override
            public void onGap(SubscriptionGap gap) {
                onGap.accept(gap);
            }

            @Override
            public String toString() {
                return "MessageHandler.withGaps(" + onMessage + ", " + onGap + ")";
            }
        };
    }
}

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
     * default; implement it to refetch state (a lambda cannot, since this is a default method: use a class).
     *
     * @param gap when the subscription was not in force; never {@code null}
     * @since 0.2
     */
    default void onGap(SubscriptionGap gap) {
    }
}

package dev.wskit.redis;

import java.util.concurrent.CompletionStage;

/**
 * One handler's subscription to a channel or a pattern, returned by the {@code subscribe} and {@code psubscribe}
 * methods of {@link RedisPubSub}.
 *
 * <p>Closing a subscription removes its handler. When the last handler of a channel goes, the instance sends
 * {@code UNSUBSCRIBE} (or {@code PUNSUBSCRIBE}) to Redis. Closing is idempotent.
 *
 * @since 0.1
 */
public interface Subscription extends AutoCloseable {

    /**
     * Return the channel or pattern, without the namespace prefix.
     *
     * @return the channel or pattern as given to {@code subscribe}; never {@code null}
     */
    String channel();

    /**
     * Tell whether this is a pattern subscription ({@code PSUBSCRIBE}).
     *
     * @return {@code true} for a pattern subscription
     */
    boolean isPattern();

    /**
     * Return a stage that completes when Redis has acknowledged the subscription.
     *
     * <p>Messages published after this stage completed reach the handler (at-most-once, see the README). If the
     * connection is down when subscribing, the stage completes once the instance has reconnected and Redis
     * acknowledged. It completes exceptionally with a {@link RedisPubSubException} if the {@code RedisPubSub} is
     * destroyed first.
     *
     * @return the acknowledgement stage; never {@code null}
     */
    CompletionStage<Void> ready();

    /**
     * Remove this subscription's handler. Idempotent; never throws.
     */
    @Override
    void close();
}

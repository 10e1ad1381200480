package dev.wskit.redis.internal.subscribe;

import dev.wskit.redis.RedisPubSubException;

/**
 * What the subscriber reports to the instance that owns it: counts, its connection state, failures. Called on the
 * subscriber's own threads; implementations only count and queue (never block, never run user code here).
 */
public interface SubscriberEvents {

    /** A message was received and dispatched. */
    void received();

    /** A received payload could not be decoded (or was too large) and was dropped. */
    void malformed();

    /** A handler threw. */
    void handlerFailed();

    /** Every subscriber connection is up and its subscriptions confirmed. */
    void subscriberConnected();

    /** One subscriber connection was confirmed: connections of the instance that wait out their backoff may retry. */
    void subscriberConnectionUp();

    /** A subscriber connection that was up is lost. */
    void subscriberDisconnected();

    /** A subscriber connection came back after a loss (counted as a reconnect). */
    void subscriberReconnected();

    /**
     * Channels were subscribed again on another connection while the instance stayed connected (sharded pub/sub: their
     * slot moved to another master) and Redis confirmed them there: messages published on them in between may have
     * been missed.
     */
    default void subscriberChannelsMoved() {
    }

    /** A failure worth reporting to the application ({@code onError}). */
    void error(RedisPubSubException error);

    /** A subscription gap of an application's subscription is handed to its handlers (counted). */
    void subscriptionGap();

    /**
     * Run a task of the subscriber (handing gaps to handlers: user code) on the owner's callback thread.
     *
     * @return {@code false} if it will not run (the queue is full, or the owner is stopping)
     */
    boolean runCallback(Runnable task);
}

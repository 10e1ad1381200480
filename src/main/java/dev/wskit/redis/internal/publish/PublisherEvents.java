package dev.wskit.redis.internal.publish;

import dev.wskit.redis.RedisPubSubException;

/**
 * What a publisher reports to the instance that owns it: counts, its connection state, failures. Called on the
 * publisher's own threads; implementations only count and queue (never block, never run user code here).
 */
public interface PublisherEvents {

    /** Redis accepted {@code n} publishes. */
    void published(int n);

    /** {@code n} publishes failed (rejected, refused by Redis, or lost with a connection). */
    void publishFailed(int n);

    /** Every connection the publisher needs is up. */
    void publisherConnected();

    /** One publisher connection was opened: connections of the instance that wait out their backoff may retry. */
    void publisherConnectionUp();

    /** A connection the publisher needs was lost. */
    void publisherDisconnected();

    /** A failure worth reporting to the application ({@code onError}). */
    void error(RedisPubSubException error);
}

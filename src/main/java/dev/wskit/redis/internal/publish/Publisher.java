package dev.wskit.redis.internal.publish;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The publishing side of a {@link RedisPubSubImpl}: a thread of its own ({@link #run()}) that owns the publisher
 * connection(s), batches concurrent publishes onto them and reconnects with backoff.
 *
 * <p>{@link SingleNodePublisher} serves standalone, Sentinel and classic cluster deployments (one connection);
 * {@link ShardedPublisher} serves sharded pub/sub (one connection per cluster master).
 */
public interface Publisher extends Runnable {

    /**
     * Enqueue a message, or fail at once when it cannot be sent now; never blocks on Redis.
     *
     * @param channel the channel on the wire
     * @param payload the payload
     * @return a future completed on the publisher thread when Redis answered
     */
    CompletableFuture<Void> publish(byte[] channel, byte[] payload);

    /**
     * Enqueue a message or script call built by the caller ({@link BatchWriter.Pending#script}), like
     * {@link #publish}; the reply is in {@link BatchWriter.Pending#reply()} once the future completed.
     */
    CompletableFuture<Void> submit(BatchWriter.Pending p);

    /**
     * The task that reads the replies of the publisher's connection on a thread of its own, if the publisher has
     * one: then the publisher thread only writes, and a message is written while earlier ones await their replies.
     */
    default Optional<Runnable> replyReader() {
        return Optional.empty();
    }

    /** Tell whether every connection the publisher needs is up. */
    boolean isConnected();

    /** Ask the thread to check its connection(s) now, e.g. because the subscriber just lost one. */
    void requestCheck();

    /**
     * Stop waiting out the backoff and reconnect what is down now, because another connection of the instance just
     * reached Redis; does nothing to connections that are up.
     */
    void retryNow();

    /** Drop the connection(s) and reconnect at once, without waiting out the backoff (Sentinel reported a switch). */
    void kick();

    /**
     * Close a connection whose write has been blocked longer than {@code timeoutNanos}, without taking a lock the
     * blocked write holds; the publisher thread then fails what was in flight and reconnects. Called by the
     * housekeeper.
     */
    void watchdog(long timeoutNanos);

    /** Stop the thread, close the connection(s) and fail what is still queued. Returns without waiting. */
    void stop();
}

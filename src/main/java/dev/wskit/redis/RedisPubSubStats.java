package dev.wskit.redis;

import java.time.Duration;
import java.util.Optional;

import dev.wskit.redis.internal.StatsValues;
import dev.wskit.redis.internal.ValueFactories;

/**
 * A snapshot of the counters of one {@link RedisPubSub}, from its creation, returned by {@link RedisPubSub#stats()}.
 *
 * <p>Only the library creates instances, so that later versions can add counters without breaking callers.
 * Instances are immutable; two are equal when every counter is.
 *
 * @since 0.1
 */
public final class RedisPubSubStats {

    static {
        ValueFactories.install(RedisPubSubStats.class, StatsValues.class, RedisPubSubStats::new);
    }

    private final StatsValues values;

    private RedisPubSubStats(StatsValues values) {
        this.values = values;
    }

    /**
     * Return the number of messages Redis accepted.
     *
     * @return the count
     */
    public long published() {
        return values.published();
    }

    /**
     * Return the number of publishes that completed exceptionally (disconnected, queue full, serialization, Redis
     * error).
     *
     * @return the count
     */
    public long publishFailures() {
        return values.publishFailures();
    }

    /**
     * Return the number of messages received from Redis on the subscriber connection.
     *
     * @return the count
     */
    public long received() {
        return values.received();
    }

    /**
     * Return the number of received messages that were not valid UTF-8 (or arrived on a pattern-matched channel whose
     * name was not) or could not be deserialized or converted; they were logged (throttled) and dropped.
     *
     * @return the count
     */
    public long malformed() {
        return values.malformed();
    }

    /**
     * Return the number of handler invocations that threw.
     *
     * @return the count
     */
    public long handlerErrors() {
        return values.handlerErrors();
    }

    /**
     * Return the number of successful reconnections of the subscriber connection after a loss.
     *
     * @return the count
     */
    public long reconnects() {
        return values.reconnects();
    }

    /**
     * Return the number of channels and patterns this instance currently holds a Redis subscription for.
     *
     * @return the count
     */
    public int subscriptions() {
        return values.subscriptions();
    }

    /**
     * Return the number of callbacks ({@code onConnect}, {@code onDisconnect}, {@code onError}, and so the CDI
     * events) that were dropped because too many were waiting behind one that blocked. Callbacks run one at a time
     * on a thread of their own, in order; they must return quickly.
     *
     * @return the count
     * @since 0.2
     */
    public long droppedCallbacks() {
        return values.droppedCallbacks();
    }

    /**
     * Return the round trip of the last loopback canary that came back: from queuing its publish to its arrival
     * through the instance's own subscriber (see
     * {@link RedisPubSubOptions.Builder#canaryInterval(java.time.Duration)}).
     *
     * @return the round trip; empty while none came back, when the canary is off, and for the in-memory
     *         implementation
     * @since 0.2
     */
    public Optional<Duration> canaryRoundTrip() {
        long nanos = values.canaryRoundTripNanos();
        return nanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }

    /**
     * Return the number of loopback canaries that did not come back within their deadline (one canary interval):
     * each such streak replaced the subscriber connection (see
     * {@link RedisPubSubOptions.Builder#canaryInterval(java.time.Duration)}).
     *
     * @return the count
     * @since 0.2
     */
    public long canaryFailures() {
        return values.canaryFailures();
    }

    /**
     * Return the number of gaps of subscriptions without history: each time a subscription to a channel or pattern
     * was confirmed again after it had not been in force (a lost or replaced subscriber connection, a moved shard),
     * so that its handlers may have missed messages; each is reported to the handlers' {@code onGap}
     * ({@link SubscriptionGap}). The subscriptions of channels with history are not counted.
     *
     * @return the count
     * @since 0.2
     */
    public long subscriptionGaps() {
        return values.subscriptionGaps();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RedisPubSubStats s && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /**
     * Return the counters as text, such as {@code RedisPubSubStats[published=3, publishFailures=0, ...]}.
     *
     * @return the text; never {@code null}
     */
    @Override
    public String toString() {
        String text = values.toString();
        return "RedisPubSubStats" + text.substring(text.indexOf('['));
    }
}

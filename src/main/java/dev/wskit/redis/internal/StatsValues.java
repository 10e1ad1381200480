package dev.wskit.redis.internal;

import dev.wskit.redis.RedisPubSubStats;

/**
 * The counters of a {@link RedisPubSubStats}, as the implementations collect them; see its accessors for their
 * meaning. Not API.
 *
 * @param published see {@link RedisPubSubStats#published()}
 * @param publishFailures see {@link RedisPubSubStats#publishFailures()}
 * @param received see {@link RedisPubSubStats#received()}
 * @param malformed see {@link RedisPubSubStats#malformed()}
 * @param handlerErrors see {@link RedisPubSubStats#handlerErrors()}
 * @param reconnects see {@link RedisPubSubStats#reconnects()}
 * @param subscriptions see {@link RedisPubSubStats#subscriptions()}
 * @param droppedCallbacks see {@link RedisPubSubStats#droppedCallbacks()}
 * @param canaryRoundTripNanos see {@link RedisPubSubStats#canaryRoundTrip()}; -1 when there is none
 * @param canaryFailures see {@link RedisPubSubStats#canaryFailures()}
 * @param subscriptionGaps see {@link RedisPubSubStats#subscriptionGaps()}
 */
public record StatsValues(long published, long publishFailures, long received, long malformed, long handlerErrors,
        long reconnects, int subscriptions, long droppedCallbacks, long canaryRoundTripNanos, long canaryFailures,
        long subscriptionGaps) {

    /** Counters of an implementation without a canary (in memory, test doubles). */
    public StatsValues(long published, long publishFailures, long received, long malformed, long handlerErrors,
            long reconnects, int subscriptions, long droppedCallbacks) {
        this(published, publishFailures, received, malformed, handlerErrors, reconnects, subscriptions,
                droppedCallbacks, -1, 0, 0);
    }

    /** Counters of an implementation without a canary, with its subscription gaps. */
    public StatsValues(long published, long publishFailures, long received, long malformed, long handlerErrors,
            long reconnects, int subscriptions, long droppedCallbacks, long subscriptionGaps) {
        this(published, publishFailures, received, malformed, handlerErrors, reconnects, subscriptions,
                droppedCallbacks, -1, 0, subscriptionGaps);
    }

    /**
     * Create the public snapshot.
     *
     * @return the stats; never {@code null}
     */
    public RedisPubSubStats toStats() {
        return ValueFactories.create(RedisPubSubStats.class, this);
    }
}

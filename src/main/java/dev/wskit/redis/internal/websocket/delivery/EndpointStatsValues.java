package dev.wskit.redis.internal.websocket.delivery;

import dev.wskit.redis.internal.ValueFactories;
import dev.wskit.redis.websocket.RedisPubSubEndpointStats;

/**
 * The counters of a {@link RedisPubSubEndpointStats}, as the endpoint layer collects them. Not API.
 *
 * @param sessions see {@link RedisPubSubEndpointStats#sessions()}
 * @param channels see {@link RedisPubSubEndpointStats#channels()}
 * @param closedForOverflow see {@link RedisPubSubEndpointStats#closedForOverflow()}
 * @param dropped see {@link RedisPubSubEndpointStats#dropped()}
 * @param refused see {@link RedisPubSubEndpointStats#refused()}
 * @param publishFailures see {@link RedisPubSubEndpointStats#publishFailures()}
 * @param closedForSize see {@link RedisPubSubEndpointStats#closedForSize()}
 * @param rateLimited see {@link RedisPubSubEndpointStats#rateLimited()}
 * @param refusedOrigins see {@link RedisPubSubEndpointStats#refusedOrigins()}
 * @param queuedBytes see {@link RedisPubSubEndpointStats#queuedBytes()}
 * @param missedMessages see {@link RedisPubSubEndpointStats#missedMessages()}
 * @param subscriptionGaps see {@link RedisPubSubEndpointStats#subscriptionGaps()}
 * @param drainedSessions see {@link RedisPubSubEndpointStats#drainedSessions()}
 * @param drainDelivered see {@link RedisPubSubEndpointStats#drainDelivered()}
 * @param drainDropped see {@link RedisPubSubEndpointStats#drainDropped()}
 */
public record EndpointStatsValues(int sessions, int channels, long closedForOverflow, long dropped, long refused,
        long publishFailures, long closedForSize, long rateLimited, long refusedOrigins, long queuedBytes,
        long missedMessages, long subscriptionGaps, long drainedSessions, long drainDelivered, long drainDropped) {

    /**
     * The counters without subscription gaps and drain counts (zero).
     *
     * @param sessions see {@link RedisPubSubEndpointStats#sessions()}
     * @param channels see {@link RedisPubSubEndpointStats#channels()}
     * @param closedForOverflow see {@link RedisPubSubEndpointStats#closedForOverflow()}
     * @param dropped see {@link RedisPubSubEndpointStats#dropped()}
     * @param refused see {@link RedisPubSubEndpointStats#refused()}
     * @param publishFailures see {@link RedisPubSubEndpointStats#publishFailures()}
     * @param closedForSize see {@link RedisPubSubEndpointStats#closedForSize()}
     * @param rateLimited see {@link RedisPubSubEndpointStats#rateLimited()}
     * @param refusedOrigins see {@link RedisPubSubEndpointStats#refusedOrigins()}
     * @param queuedBytes see {@link RedisPubSubEndpointStats#queuedBytes()}
     * @param missedMessages see {@link RedisPubSubEndpointStats#missedMessages()}
     */
    public EndpointStatsValues(int sessions, int channels, long closedForOverflow, long dropped, long refused,
            long publishFailures, long closedForSize, long rateLimited, long refusedOrigins, long queuedBytes,
            long missedMessages) {
        this(sessions, channels, closedForOverflow, dropped, refused, publishFailures, closedForSize, rateLimited,
                refusedOrigins, queuedBytes, missedMessages, 0, 0, 0, 0);
    }

    /**
     * The counters without missed messages (zero).
     *
     * @param sessions see {@link RedisPubSubEndpointStats#sessions()}
     * @param channels see {@link RedisPubSubEndpointStats#channels()}
     * @param closedForOverflow see {@link RedisPubSubEndpointStats#closedForOverflow()}
     * @param dropped see {@link RedisPubSubEndpointStats#dropped()}
     * @param refused see {@link RedisPubSubEndpointStats#refused()}
     * @param publishFailures see {@link RedisPubSubEndpointStats#publishFailures()}
     * @param closedForSize see {@link RedisPubSubEndpointStats#closedForSize()}
     * @param rateLimited see {@link RedisPubSubEndpointStats#rateLimited()}
     * @param refusedOrigins see {@link RedisPubSubEndpointStats#refusedOrigins()}
     * @param queuedBytes see {@link RedisPubSubEndpointStats#queuedBytes()}
     */
    public EndpointStatsValues(int sessions, int channels, long closedForOverflow, long dropped, long refused,
            long publishFailures, long closedForSize, long rateLimited, long refusedOrigins, long queuedBytes) {
        this(sessions, channels, closedForOverflow, dropped, refused, publishFailures, closedForSize, rateLimited,
                refusedOrigins, queuedBytes, 0);
    }

    /**
     * Create the public snapshot.
     *
     * @return the stats; never {@code null}
     */
    public RedisPubSubEndpointStats toStats() {
        return ValueFactories.create(RedisPubSubEndpointStats.class, this);
    }
}

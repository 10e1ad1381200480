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
 */
public record EndpointStatsValues(int sessions, int channels, long closedForOverflow, long dropped, long refused,
        long publishFailures, long closedForSize, long rateLimited, long refusedOrigins, long queuedBytes) {

    /**
     * Create the public snapshot.
     *
     * @return the stats; never {@code null}
     */
    public RedisPubSubEndpointStats toStats() {
        return ValueFactories.create(RedisPubSubEndpointStats.class, this);
    }
}

package dev.wskit.redis.websocket;

/**
 * A snapshot of the counters of one registered {@link RedisPubSubEndpoint} class on this server instance, from its
 * registration; see {@link RedisPubSubEndpoint#stats()} and {@link RedisPubSubEndpoints#stats(
 * jakarta.websocket.server.ServerEndpointConfig)}.
 *
 * @param sessions the sessions currently open
 * @param channels the channels at least one local session is in; the instance holds one Redis subscription for each
 * @param closedForOverflow sessions closed with 1013 because their outbound queue was full
 *     ({@link OverflowPolicy#CLOSE})
 * @param dropped messages dropped because a session's outbound queue was full ({@link OverflowPolicy#DROP_NEWEST},
 *     {@link OverflowPolicy#DROP_OLDEST})
 * @param refused joins refused by {@link RedisPubSubEndpoint#mayJoin(jakarta.websocket.Session, String)}, or refused
 *     because the channel name was invalid; each closed its session
 * @param publishFailures client messages the default {@link RedisPubSubEndpoint#onText(jakarta.websocket.Session,
 *     String)} could not publish (Redis unreachable, too many publishes pending), one per channel; they were lost
 * @param closedForSize sessions closed with 1009 "Too Big" because the client sent a message larger than
 *     {@link RedisPubSubEndpoint#maxMessageSize()}, by the library or by the container
 * @param rateLimited client messages beyond the publish rate limit ({@link RedisPubSubEndpoint#publishRate()}):
 *     dropped ({@link RateLimitPolicy#DROP}), or the one that closed its session ({@link RateLimitPolicy#CLOSE})
 * @param refusedOrigins handshakes refused because their {@code Origin} header is not among
 *     {@code wskit.redis.websocket.allowed-origins}
 * @param queuedBytes the bytes waiting now in the send queues of the open sessions, behind their sends in flight,
 *     2 per character (the heap a {@code String} holds)
 * @since 0.1
 */
public record RedisPubSubEndpointStats(
        int sessions,
        int channels,
        long closedForOverflow,
        long dropped,
        long refused,
        long publishFailures,
        long closedForSize,
        long rateLimited,
        long refusedOrigins,
        long queuedBytes) {
}

package dev.wskit.redis.websocket;

import dev.wskit.redis.internal.ValueFactories;
import dev.wskit.redis.internal.websocket.delivery.EndpointStatsValues;

/**
 * A snapshot of the counters of one registered {@link RedisPubSubEndpoint} class on this server instance, from its
 * registration; see {@link RedisPubSubEndpoint#stats()} and {@link RedisPubSubEndpoints#stats(
 * jakarta.websocket.server.ServerEndpointConfig)}.
 *
 * <p>Only the library creates instances, so that later versions can add counters without breaking callers.
 * Instances are immutable; two are equal when every counter is.
 *
 * @since 0.1
 */
public final class RedisPubSubEndpointStats {

    static {
        ValueFactories.install(RedisPubSubEndpointStats.class, EndpointStatsValues.class,
                RedisPubSubEndpointStats::new);
    }

    private final EndpointStatsValues values;

    private RedisPubSubEndpointStats(EndpointStatsValues values) {
        this.values = values;
    }

    /**
     * Return the number of sessions currently open.
     *
     * @return the count
     */
    public int sessions() {
        return values.sessions();
    }

    /**
     * Return the number of channels at least one local session is in; the instance holds one Redis subscription for
     * each.
     *
     * @return the count
     */
    public int channels() {
        return values.channels();
    }

    /**
     * Return the number of sessions closed with 1013 because their outbound queue was full ({@link
     * OverflowPolicy#CLOSE}).
     *
     * @return the count
     */
    public long closedForOverflow() {
        return values.closedForOverflow();
    }

    /**
     * Return the number of messages dropped because a session's outbound queue was full ({@link
     * OverflowPolicy#DROP_NEWEST}, {@link OverflowPolicy#DROP_OLDEST}).
     *
     * @return the count
     */
    public long dropped() {
        return values.dropped();
    }

    /**
     * Return the number of joins refused by {@link RedisPubSubEndpoint#mayJoin(jakarta.websocket.Session, String)},
     * or refused because the channel name was invalid; each closed its session.
     *
     * @return the count
     */
    public long refused() {
        return values.refused();
    }

    /**
     * Return the number of client messages the default {@link RedisPubSubEndpoint#onText(jakarta.websocket.Session,
     * String)} could not publish (Redis unreachable, too many publishes pending), one per channel; they were lost.
     *
     * @return the count
     */
    public long publishFailures() {
        return values.publishFailures();
    }

    /**
     * Return the number of sessions closed with 1009 "Too Big" because the client sent a message larger than {@link
     * RedisPubSubEndpoint#maxMessageSize()}, by the library or by the container.
     *
     * @return the count
     */
    public long closedForSize() {
        return values.closedForSize();
    }

    /**
     * Return the number of client messages beyond the publish rate limit ({@link RedisPubSubEndpoint#publishRate()}):
     * dropped ({@link RateLimitPolicy#DROP}), or the one that closed its session ({@link RateLimitPolicy#CLOSE}).
     *
     * @return the count
     */
    public long rateLimited() {
        return values.rateLimited();
    }

    /**
     * Return the number of handshakes refused because their {@code Origin} header is not among {@code
     * wskit.redis.websocket.allowed-origins}.
     *
     * @return the count
     */
    public long refusedOrigins() {
        return values.refusedOrigins();
    }

    /**
     * Return the bytes waiting now in the send queues of the open sessions, behind their sends in flight, 2 per
     * character (the heap a {@code String} holds).
     *
     * @return the bytes
     */
    public long queuedBytes() {
        return values.queuedBytes();
    }

    /**
     * Return how many times a session was told that it missed messages: in a history room, messages the library could
     * not send it ({@code not-recovered} on resume, {@code lost} during the session); in a plain room that signals
     * them ({@link RedisPubSubEndpoint#signalsMissedMessages(String)}), a {@code missed} frame. Each is also reported
     * to {@link RedisPubSubEndpoint#onMissedMessages}.
     *
     * @return the count
     * @since 0.2
     */
    public long missedMessages() {
        return values.missedMessages();
    }

    /**
     * Return how many gaps of plain rooms' Redis subscriptions were told to their sessions: each time the subscription
     * of a room that signals missed messages ({@link RedisPubSubEndpoint#signalsMissedMessages(String)}) was
     * confirmed again after it had not been in force, counted once per room however many sessions were told (see
     * {@link dev.wskit.redis.SubscriptionGap}).
     *
     * @return the count
     * @since 0.2
     */
    public long subscriptionGaps() {
        return values.subscriptionGaps();
    }

    /**
     * Return the number of sessions closed with 1012 (Service Restart) by the graceful drain when the application
     * stopped, those that opened during the drain included.
     *
     * @return the count
     * @since 0.2
     */
    public long drainedSessions() {
        return values.drainedSessions();
    }

    /**
     * Return the number of messages sent to clients during the graceful drain, after it began: what their queues held
     * and what arrived meanwhile.
     *
     * @return the count
     * @since 0.2
     */
    public long drainDelivered() {
        return values.drainDelivered();
    }

    /**
     * Return the number of messages still unsent when the graceful drain closed their sessions (the deadline passed,
     * {@code wskit.redis.websocket.drain-timeout-ms}); a client of a history room gets them when it resumes.
     *
     * @return the count
     * @since 0.2
     */
    public long drainDropped() {
        return values.drainDropped();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RedisPubSubEndpointStats s && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /**
     * Return the counters as text, such as {@code RedisPubSubEndpointStats[sessions=2, channels=1, ...]}.
     *
     * @return the text; never {@code null}
     */
    @Override
    public String toString() {
        String text = values.toString();
        return "RedisPubSubEndpointStats" + text.substring(text.indexOf('['));
    }
}

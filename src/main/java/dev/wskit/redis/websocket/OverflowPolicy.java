package dev.wskit.redis.websocket;

/**
 * What a {@link RedisPubSubEndpoint} does when a session's outbound queue is full, because the client reads more
 * slowly than messages arrive.
 *
 * <p>Each session has a bounded queue of text messages waiting behind the one send in flight. The policy applies to
 * a message that arrives while the queue holds {@code send-queue-capacity} messages, or would hold more than
 * {@code send-queue-max-bytes} bytes (2 per character) with it. It is set with the
 * MicroProfile Config key {@code wskit.redis.websocket.overflow-policy} (values {@code close}, {@code drop-newest},
 * {@code drop-oldest}) or by overriding {@link RedisPubSubEndpoint#overflowPolicy()}.
 *
 * @since 0.1
 */
public enum OverflowPolicy {

    /**
     * Close the session with 1013 "Try Again Later" and count it in
     * {@link RedisPubSubEndpointStats#closedForOverflow()}: the default. The client learns that it lost messages and
     * can reconnect; the queue is discarded.
     */
    CLOSE("close"),

    /**
     * Drop the arriving message and count it in {@link RedisPubSubEndpointStats#dropped()}; the session stays open and
     * silently misses messages. A client that never reads keeps its one send in flight until the container's
     * send or idle timeout closes it.
     */
    DROP_NEWEST("drop-newest"),

    /**
     * Drop the oldest waiting message, queue the arriving one and count the drop in
     * {@link RedisPubSubEndpointStats#dropped()}; the session stays open and sees the most recent messages.
     */
    DROP_OLDEST("drop-oldest");

    private final String configValue;

    OverflowPolicy(String configValue) {
        this.configValue = configValue;
    }

    /**
     * Return the value naming this policy in MicroProfile Config, such as {@code drop-oldest}.
     *
     * @return the configuration value; never {@code null}
     */
    public String configValue() {
        return configValue;
    }
}

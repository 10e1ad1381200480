package dev.wskit.redis.internal.websocket.deploy;

/**
 * The JMX view of one registered endpoint class in one application, registered as
 * {@code dev.wskit.redis:type=RedisPubSubEndpoint,name="<context path><endpoint path>"} (see {@link EndpointMonitor}).
 * Counters are those of {@code RedisPubSubEndpoint.stats()}, from the registration. Read-only. Not API: the attribute
 * names are documented in the README, the Java interface may change.
 */
public interface RedisPubSubEndpointMXBean {

    /** @return the application's context path, such as {@code /wskit-chat}; empty for the root */
    String getContextPath();

    /** @return the endpoint's path, such as {@code /chat/{room}} */
    String getPath();

    /** @return the endpoint class */
    String getEndpointClass();

    /** @return sessions open now */
    int getSessions();

    /** @return rooms (channels) at least one local session is in */
    int getRooms();

    /** @return room memberships of the open sessions (a session in two rooms counts twice) */
    long getMemberships();

    /** @return messages waiting in the deepest send queue now, behind the one in flight */
    int getSendQueueDepthMax();

    /** @return bytes waiting in all send queues now */
    long getQueuedBytes();

    /** @return sessions closed with 1013 because their send queue was full */
    long getClosedForOverflow();

    /** @return sessions closed with 1009 because a client message was too big */
    long getClosedForSize();

    /** @return joins refused by policy ({@code mayJoin}, invalid room names), each closing its session */
    long getClosedForPolicy();

    /** @return client messages beyond the publish rate limit (dropped, or the one that closed its session) */
    long getRateLimited();

    /** @return messages dropped because a send queue was full ({@code drop-newest}, {@code drop-oldest}) */
    long getDropped();

    /** @return client messages that could not be published */
    long getPublishFailures();

    /** @return handshakes refused for their {@code Origin} */
    long getRefusedOrigins();

    /** @return reports of missed messages: history rooms, gaps and drops of plain rooms */
    long getMissedMessages();

    /** @return gaps of plain rooms told to their sessions ({@code missed} frames) */
    long getSubscriptionGaps();

    /** @return sessions closed with 1012 by the graceful drain */
    long getDrainedSessions();

    /** @return messages sent during the graceful drain */
    long getDrainDelivered();

    /** @return messages still unsent when the graceful drain closed their sessions */
    long getDrainDropped();
}

package dev.wskit.redis.internal.websocket.deploy;

import java.nio.ByteBuffer;
import java.util.Set;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import dev.wskit.redis.websocket.MissedMessages;
import dev.wskit.redis.websocket.OverflowPolicy;
import dev.wskit.redis.websocket.RateLimitPolicy;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/**
 * The bridge through which the internal classes call the protected hooks of {@link RedisPubSubEndpoint} and bind an
 * instance to its registration, without making them public API. {@code RedisPubSubEndpoint} installs the one
 * implementation when it is initialized (the "shared secrets" pattern of the JDK).
 */
public abstract class EndpointAccess {

    private static volatile EndpointAccess instance;

    /** For the one implementation in {@link RedisPubSubEndpoint}. */
    protected EndpointAccess() {
    }

    /**
     * Install the implementation; called once by {@link RedisPubSubEndpoint}.
     *
     * @param access the implementation; must not be {@code null}
     * @throws IllegalStateException if one is installed already
     */
    public static synchronized void install(EndpointAccess access) {
        if (instance != null) {
            throw new IllegalStateException("EndpointAccess is installed already");
        }
        instance = access;
    }

    /**
     * Return the implementation, initializing {@link RedisPubSubEndpoint} if needed.
     *
     * @return the implementation; never {@code null}
     */
    public static EndpointAccess get() {
        EndpointAccess access = instance;
        if (access == null) {
            try {
                Class.forName(RedisPubSubEndpoint.class.getName(), true, RedisPubSubEndpoint.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            access = instance;
        }
        return access;
    }

    /**
     * Bind an endpoint instance to its registration, once.
     *
     * @param endpoint the instance; must not be {@code null}
     * @param registration its registration; must not be {@code null}
     */
    public abstract void bind(RedisPubSubEndpoint endpoint, EndpointRegistration registration);

    /**
     * Call {@code channelsFor}.
     *
     * @param endpoint the instance
     * @param session the session
     * @return the channels to join
     */
    public abstract Set<String> channelsFor(RedisPubSubEndpoint endpoint, Session session);

    /**
     * Call {@code mayJoin}.
     *
     * @param endpoint the instance
     * @param session the session
     * @param channel the channel
     * @return whether the session may join
     */
    public abstract boolean mayJoin(RedisPubSubEndpoint endpoint, Session session, String channel);

    /**
     * Call {@code onOpen}.
     *
     * @param endpoint the instance
     * @param session the session
     */
    public abstract void onOpen(RedisPubSubEndpoint endpoint, Session session);

    /**
     * Call {@code onText}.
     *
     * @param endpoint the instance
     * @param session the session
     * @param text the text
     */
    public abstract void onText(RedisPubSubEndpoint endpoint, Session session, String text);

    /**
     * Call {@code onBinary}.
     *
     * @param endpoint the instance
     * @param session the session
     * @param data the data
     */
    public abstract void onBinary(RedisPubSubEndpoint endpoint, Session session, ByteBuffer data);

    /**
     * Call {@code onClose}.
     *
     * @param endpoint the instance
     * @param session the session
     * @param closeReason the reason
     */
    public abstract void onClose(RedisPubSubEndpoint endpoint, Session session, CloseReason closeReason);

    /**
     * Call {@code onError}.
     *
     * @param endpoint the instance
     * @param session the session
     * @param error the error
     */
    public abstract void onError(RedisPubSubEndpoint endpoint, Session session, Throwable error);

    /**
     * Call {@code sendQueueCapacity}.
     *
     * @param endpoint the instance
     * @return the capacity
     */
    public abstract int sendQueueCapacity(RedisPubSubEndpoint endpoint);

    /**
     * Call {@code overflowPolicy}.
     *
     * @param endpoint the instance
     * @return the policy
     */
    public abstract OverflowPolicy overflowPolicy(RedisPubSubEndpoint endpoint);

    /**
     * Call {@code maxMessageSize}.
     *
     * @param endpoint the instance
     * @return the limit in bytes
     */
    public abstract int maxMessageSize(RedisPubSubEndpoint endpoint);

    /**
     * Call {@code sendQueueMaxBytes}.
     *
     * @param endpoint the instance
     * @return the limit in bytes
     */
    public abstract int sendQueueMaxBytes(RedisPubSubEndpoint endpoint);

    /**
     * Call {@code publishRate}.
     *
     * @param endpoint the instance
     * @return messages per second, 0 for no limit
     */
    public abstract int publishRate(RedisPubSubEndpoint endpoint);

    /**
     * Call {@code publishBurst}.
     *
     * @param endpoint the instance
     * @return messages at once
     */
    public abstract int publishBurst(RedisPubSubEndpoint endpoint);

    /**
     * Call {@code publishRateExceeded}.
     *
     * @param endpoint the instance
     * @return the policy
     */
    public abstract RateLimitPolicy publishRateExceeded(RedisPubSubEndpoint endpoint);

    /**
     * Call {@code maxRoomsPerSession}.
     *
     * @param endpoint the instance
     * @return the limit
     */
    public abstract int maxRoomsPerSession(RedisPubSubEndpoint endpoint);

    /**
     * Call the endpoint's {@code signalsMissedMessages}.
     *
     * @param endpoint the endpoint
     * @param room the room
     * @return its answer
     */
    public abstract boolean signalsMissedMessages(RedisPubSubEndpoint endpoint, String room);

    /**
     * Call the endpoint's {@code hasHistory}.
     *
     * @param endpoint the endpoint; must not be {@code null}
     * @param room the room; must not be {@code null}
     * @return whether the room has history
     */
    public abstract boolean hasHistory(RedisPubSubEndpoint endpoint, String room);

    /**
     * Call the endpoint's {@code historyMaxReplay}.
     *
     * @param endpoint the endpoint; must not be {@code null}
     * @return the value
     */
    public abstract int historyMaxReplay(RedisPubSubEndpoint endpoint);

    /**
     * Call the endpoint's {@code onMissedMessages}.
     *
     * @param endpoint the endpoint; must not be {@code null}
     * @param missed what was missed; must not be {@code null}
     */
    public abstract void onMissedMessages(RedisPubSubEndpoint endpoint, MissedMessages missed);
}

package dev.wskit.redis.websocket;

import java.nio.ByteBuffer;
import java.util.Set;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import dev.wskit.redis.internal.websocket.deploy.EndpointAccess;
import dev.wskit.redis.internal.websocket.deploy.EndpointRegistration;

/**
 * The bridge through which the library's internal classes call the protected hooks of {@link RedisPubSubEndpoint}
 * and bind an instance to its registration; installed once by {@code RedisPubSubEndpoint}. Package-private, so not
 * API: in this package only because protected methods are reachable from their own package.
 */
final class EndpointHooks extends EndpointAccess {

    @Override
    public void bind(RedisPubSubEndpoint endpoint, EndpointRegistration registration) {
        EndpointRegistration bound = endpoint.registration;
        if (bound != null && bound != registration) {
            throw new IllegalStateException(endpoint.getClass().getName() + " instance is bound to " + bound
                    + " already; an endpoint bean must be @Dependent");
        }
        endpoint.registration = registration;
    }

    @Override
    public Set<String> channelsFor(RedisPubSubEndpoint endpoint, Session session) {
        return endpoint.channelsFor(session);
    }

    @Override
    public boolean mayJoin(RedisPubSubEndpoint endpoint, Session session, String channel) {
        return endpoint.mayJoin(session, channel);
    }

    @Override
    public void onOpen(RedisPubSubEndpoint endpoint, Session session) {
        endpoint.onOpen(session);
    }

    @Override
    public void onText(RedisPubSubEndpoint endpoint, Session session, String text) {
        endpoint.onText(session, text);
    }

    @Override
    public void onBinary(RedisPubSubEndpoint endpoint, Session session, ByteBuffer data) {
        endpoint.onBinary(session, data);
    }

    @Override
    public void onClose(RedisPubSubEndpoint endpoint, Session session, CloseReason closeReason) {
        endpoint.onClose(session, closeReason);
    }

    @Override
    public void onError(RedisPubSubEndpoint endpoint, Session session, Throwable error) {
        endpoint.onError(session, error);
    }

    @Override
    public int sendQueueCapacity(RedisPubSubEndpoint endpoint) {
        return endpoint.sendQueueCapacity();
    }

    @Override
    public OverflowPolicy overflowPolicy(RedisPubSubEndpoint endpoint) {
        return endpoint.overflowPolicy();
    }

    @Override
    public int maxMessageSize(RedisPubSubEndpoint endpoint) {
        return endpoint.maxMessageSize();
    }

    @Override
    public int sendQueueMaxBytes(RedisPubSubEndpoint endpoint) {
        return endpoint.sendQueueMaxBytes();
    }

    @Override
    public int publishRate(RedisPubSubEndpoint endpoint) {
        return endpoint.publishRate();
    }

    @Override
    public int publishBurst(RedisPubSubEndpoint endpoint) {
        return endpoint.publishBurst();
    }

    @Override
    public RateLimitPolicy publishRateExceeded(RedisPubSubEndpoint endpoint) {
        return endpoint.publishRateExceeded();
    }

    @Override
    public int maxRoomsPerSession(RedisPubSubEndpoint endpoint) {
        return endpoint.maxRoomsPerSession();
    }

    @Override
    public boolean hasHistory(RedisPubSubEndpoint endpoint, String room) {
        return endpoint.hasHistory(room);
    }

    @Override
    public boolean signalsMissedMessages(RedisPubSubEndpoint endpoint, String room) {
        return endpoint.signalsMissedMessages(room);
    }

    @Override
    public int historyMaxReplay(RedisPubSubEndpoint endpoint) {
        return endpoint.historyMaxReplay();
    }

    @Override
    public void onMissedMessages(RedisPubSubEndpoint endpoint, MissedMessages missed) {
        endpoint.onMissedMessages(missed.session(), missed);
    }
}

package dev.wskit.redis.internal.websocket.deploy;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Set;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import dev.wskit.redis.internal.websocket.delivery.CloseReasons;
import dev.wskit.redis.internal.websocket.delivery.RoomNames;
import dev.wskit.redis.internal.websocket.delivery.SessionRegistry;
import dev.wskit.redis.internal.websocket.delivery.SessionState;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/**
 * The endpoint the container actually deploys at the path of an application's {@link RedisPubSubEndpoint}: a
 * programmatic {@link Endpoint} without {@code @ServerEndpoint} (Open Liberty treats any endpoint class carrying that
 * annotation as an annotated endpoint, and rejects one whose lifecycle methods are inherited). One instance per
 * connection, created by {@link EndpointConfigurator} around one instance of the application's class; it runs the
 * library's part of the lifecycle and calls the application's hooks.
 *
 * <p>On open: register the session, set its maximum text and binary message sizes, install the text and binary
 * message handlers (each message is checked against the maximum size, for containers that do not enforce it, and
 * takes a token of the session's publish rate limit before it reaches the hook), join the channels from
 * {@code channelsFor} (each after {@code mayJoin}; a refusal closes the session with 1008 or the refusal's own close
 * reason, an invalid channel name or a room refused by {@link RoomNames} with 1008, and {@code onOpen} is skipped),
 * then call {@code onOpen}. On close: count a 1009 sent by the container, leave every channel, drop the queue, call
 * {@code onClose}, release the instance (CDI). Exceptions of the hooks go to {@code onError}; one from {@code onOpen}
 * also closes the session with 1011.
 *
 * <p>Memory: the container keeps this object, and the message handlers, for the session's life. So this object is the
 * session's text handler itself and the binary handler is a small inner object, both finding the session's state,
 * endpoint and limits here (rather than two lambdas holding copies of them), and it keeps the endpoint instance and
 * its release action itself rather than the factory's {@link EndpointFactory.Created}.
 */
public final class DelegatingEndpoint extends Endpoint implements MessageHandler.Whole<String> {

    private final EndpointRegistration registration;
    /** The application's endpoint instance; {@code null} in an instance the container created itself. */
    private final RedisPubSubEndpoint endpoint;
    private final Runnable release;
    private volatile SessionState state;

    /**
     * Create an instance that is not connected to any application endpoint, for containers that instantiate the
     * configured endpoint class while deploying it. If a container ever used such an instance for a connection instead
     * of asking the configurator, it refuses the session with 1011 and logs why.
     */
    public DelegatingEndpoint() {
        this.registration = null;
        this.endpoint = null;
        this.release = null;
    }

    DelegatingEndpoint(EndpointRegistration registration, EndpointFactory.Created created) {
        this.registration = registration;
        this.endpoint = created.endpoint();
        this.release = created.release();
        EndpointAccess.get().bind(endpoint, registration);
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        if (endpoint == null) {
            refuseUnconfigured(session);
            return;
        }
        if (registration.sessions().isDraining()) {
            // the application is stopping: the client reconnects, through the load balancer, to another instance
            registration.sessions().refuseWhileDraining(session);
            return;
        }
        SessionState st = register(session);
        if (st == null) {
            return;
        }
        state = st;
        String invalidSince = st.resumeFrom(session.getRequestParameterMap());
        if (invalidSince != null) {
            // positions from the client's URL that cannot be read: refused like an invalid room
            registration.sessions().refused();
            st.closeNow(CloseReasons.of(CloseCodes.VIOLATED_POLICY, invalidSince));
            return;
        }
        EndpointAccess access = EndpointAccess.get();
        installHandlers(session, st);
        if (joinChannels(session, endpoint, st, access)) {
            try {
                access.onOpen(endpoint, session);
            } catch (RuntimeException e) {
                access.onError(endpoint, session, e);
                st.closeNow(CloseReasons.of(CloseCodes.UNEXPECTED_CONDITION, "onOpen failed"));
            }
        }
    }

    /** A session on an instance the container created itself, without the configurator: refuse it with 1011. */
    private void refuseUnconfigured(Session session) {
        EndpointRegistration.LOGGER.log(Level.ERROR, "the WebSocket container created " + getClass().getName()
                + " itself instead of asking its configurator; the session at " + session.getRequestURI()
                + " is refused");
        SessionRegistry.closeQuietly(session,
                CloseReasons.of(CloseCodes.UNEXPECTED_CONDITION, "endpoint not configured"));
    }

    /** Register the session with its limits; {@code null} if that failed (then the session is closed with 1011). */
    private SessionState register(Session session) {
        try {
            return registration.open(session, endpoint);
        } catch (RuntimeException e) {
            EndpointRegistration.LOGGER.log(Level.ERROR, "cannot open a session of " + registration.type().getName()
                    + ": " + e.getMessage(), e);
            SessionRegistry.closeQuietly(session,
                    CloseReasons.of(CloseCodes.UNEXPECTED_CONDITION, "server not ready: " + e.getMessage()));
            return null;
        }
    }

    /**
     * Set the session's maximum message sizes and install its text and binary handlers: each message is checked
     * against the maximum size and takes a token of the publish rate limit before it reaches the endpoint's hook.
     */
    private void installHandlers(Session session, SessionState st) {
        int maxSize = st.maxMessageSize();
        // containers close with 1009 a session whose client sends more; checked again below for those that do not
        session.setMaxTextMessageBufferSize(maxSize);
        session.setMaxBinaryMessageBufferSize(maxSize);
        session.addMessageHandler(String.class, this);
        session.addMessageHandler(ByteBuffer.class, new BinaryHandler());
    }

    /**
     * A text message from the client (this object is the session's text handler, installed on open): checked and
     * handed to the endpoint's {@code onText}.
     *
     * @param text the message
     */
    @Override
    public void onMessage(String text) {
        SessionState st = state;
        int maxSize = st.maxMessageSize();
        if (!admitted(st, utf8Length(text, maxSize), maxSize)) {
            return;
        }
        EndpointAccess access = EndpointAccess.get();
        try {
            access.onText(endpoint, st.session(), text);
        } catch (RuntimeException e) {
            access.onError(endpoint, st.session(), e);
        }
    }

    /** The session's binary handler: checks a message and hands it to the endpoint's {@code onBinary}. */
    private final class BinaryHandler implements MessageHandler.Whole<ByteBuffer> {

        @Override
        public void onMessage(ByteBuffer data) {
            SessionState st = state;
            if (!admitted(st, data.remaining(), st.maxMessageSize())) {
                return;
            }
            EndpointAccess access = EndpointAccess.get();
            try {
                access.onBinary(endpoint, st.session(), data);
            } catch (RuntimeException e) {
                access.onError(endpoint, st.session(), e);
            }
        }
    }

    /** Whether a message of this size from the client goes on to the hook: within the size and the rate limit. */
    private static boolean admitted(SessionState st, long size, int maxSize) {
        if (size > maxSize) {
            st.tooBig(size);
            return false;
        }
        return st.admit();
    }

    /**
     * Join the channels of {@code channelsFor}, each after {@code mayJoin}.
     *
     * @return {@code true} if the session joined them all; {@code false} if it was refused or joining failed (then
     *     it is closing)
     */
    private boolean joinChannels(Session session, RedisPubSubEndpoint endpoint, SessionState st,
            EndpointAccess access) {
        try {
            Set<String> channels = access.channelsFor(endpoint, session);
            if (channels == null) {
                throw new IllegalStateException(registration.type().getName() + ".channelsFor() returned null");
            }
            for (String channel : channels) {
                if (!st.join(channel)) {
                    return false; // refused: the session is closing
                }
            }
            return true;
        } catch (RoomNames.InvalidRoomException e) {
            // a room from the client's URL that could leave the namespace or look like another room
            registration.sessions().refused();
            st.closeNow(CloseReasons.of(CloseCodes.VIOLATED_POLICY, e.getMessage()));
        } catch (IllegalArgumentException e) {
            // an invalid channel name, typically from the client's URL
            registration.sessions().refused();
            st.closeNow(CloseReasons.of(CloseCodes.VIOLATED_POLICY, "invalid channel: " + e.getMessage()));
        } catch (RuntimeException e) {
            access.onError(endpoint, session, e);
            st.closeNow(CloseReasons.of(CloseCodes.UNEXPECTED_CONDITION, "joining the channels failed"));
        }
        return false;
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        if (endpoint == null) {
            return;
        }
        SessionState st = state;
        try {
            if (st != null) {
                st.closedWith(closeReason);
                st.closed();
            }
            EndpointAccess.get().onClose(endpoint, session, closeReason);
        } catch (RuntimeException e) {
            EndpointRegistration.LOGGER.log(Level.WARNING, "onClose of " + registration.type().getName()
                    + " threw " + e, e);
        } finally {
            try {
                release.run();
            } catch (RuntimeException e) {
                EndpointRegistration.LOGGER.log(Level.WARNING, "releasing the instance of "
                        + registration.type().getName() + " failed: " + e, e);
            }
        }
    }

    /** The UTF-8 length of a text, exact when it could exceed {@code max}; more than {@code max} if it does. */
    static long utf8Length(String text, int max) {
        int n = text.length();
        if ((long) n * 3 <= max) {
            return n; // a char is at most 3 bytes (a surrogate pair is 4 for 2 chars): it fits
        }
        if (n > max) {
            return n; // a char is at least 1 byte
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                bytes += 2; // a surrogate pair: 4 bytes for 2 chars
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    @Override
    public void onError(Session session, Throwable error) {
        if (endpoint == null) {
            return;
        }
        try {
            EndpointAccess.get().onError(endpoint, session, error);
        } catch (RuntimeException e) {
            EndpointRegistration.LOGGER.log(Level.WARNING, "onError of " + registration.type().getName()
                    + " threw " + e, e);
        }
    }
}

package dev.wskit.redis.internal.websocket;

import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;

import dev.wskit.redis.websocket.JoinRefusedException;
import dev.wskit.redis.websocket.OverflowPolicy;
import dev.wskit.redis.websocket.RedisPubSubEndpoint;

/**
 * What the library keeps per open session: its channels, its outbound {@link SendQueue} and its endpoint instance.
 * Kept by the session's {@link EndpointRegistration}, and also in the session's user properties, so that the helpers
 * of {@link RedisPubSubEndpoint} that take a {@link Session} find it, see {@link #of(Session, EndpointRegistration)}.
 *
 * <p>Joining, leaving and closing are serialized per session; once closed, a session joins nothing more, so a join
 * racing the close cannot leave a member behind in a room.
 */
public final class SessionState implements RoomRegistry.Member, SendQueue.Listener {

    /** The key of this object in {@link Session#getUserProperties()}. */
    static final String KEY = SessionState.class.getName();

    private final Session session;
    private final EndpointRegistration registration;
    private final RedisPubSubEndpoint endpoint;
    private final SendQueue queue;
    private final int capacity;
    private final AtomicBoolean closeRequested = new AtomicBoolean();

    private final Object lock = new Object();
    // guarded by lock
    private final Set<String> channels = new LinkedHashSet<>();
    private boolean closed;

    SessionState(Session session, EndpointRegistration registration, RedisPubSubEndpoint endpoint, int capacity,
            OverflowPolicy policy) {
        this.session = session;
        this.registration = registration;
        this.endpoint = endpoint;
        this.capacity = capacity;
        this.queue = new SendQueue(capacity, policy,
                (text, handler) -> session.getAsyncRemote().sendText(text, handler), this);
    }

    /**
     * Return the state of a session opened by a {@link RedisPubSubEndpoint}.
     *
     * <p>Looked up in the registration's own map first. The session's user properties are only a fallback, for a
     * session of another registration, and are trusted only if they name this very session: some older containers
     * shared one user-property map between the sessions of an endpoint.
     *
     * @param session the session; must not be {@code null}
     * @param registration the registration to look in first; can be {@code null}
     * @return the state; never {@code null}
     * @throws IllegalArgumentException if the session is {@code null} or not an open session of a
     *     {@code RedisPubSubEndpoint}
     */
    public static SessionState of(Session session, EndpointRegistration registration) {
        if (session == null) {
            throw new IllegalArgumentException("session must not be null");
        }
        SessionState state = registration != null ? registration.state(session) : null;
        if (state == null && session.getUserProperties().get(KEY) instanceof SessionState s && s.session == session) {
            state = s;
        }
        if (state == null) {
            throw new IllegalArgumentException("session " + session.getId() + " is not an open session of a"
                    + " RedisPubSubEndpoint");
        }
        return state;
    }

    /**
     * Join a channel after asking the endpoint's {@code mayJoin}; a refusal closes the session.
     *
     * @param channel the channel; must be a valid channel name
     * @return {@code true} if the session is in the channel now, {@code false} if it was refused or is closed
     * @throws IllegalArgumentException if the channel is {@code null} or not a valid channel name
     */
    public boolean join(String channel) {
        if (channel == null) {
            throw new IllegalArgumentException("channel must not be null");
        }
        synchronized (lock) {
            if (closed) {
                return false;
            }
            if (channels.contains(channel)) {
                return true;
            }
        }
        // user code: called without the lock
        CloseReason refusal = authorize(channel);
        if (refusal != null) {
            registration.refused();
            closeNow(refusal);
            return false;
        }
        synchronized (lock) {
            if (closed) {
                return false;
            }
            if (!channels.contains(channel)) {
                // keep the room's own String, shared by all its members, not the caller's (memory per membership)
                channels.add(registration.rooms().join(this, channel));
            }
            return true;
        }
    }

    private CloseReason authorize(String channel) {
        try {
            if (EndpointAccess.get().mayJoin(endpoint, session, channel)) {
                return null;
            }
            return CloseReasons.of(CloseCodes.VIOLATED_POLICY, "not allowed to join channel " + channel);
        } catch (JoinRefusedException e) {
            return e.closeReason();
        }
    }

    /**
     * Leave a channel; does nothing if the session is not in it.
     *
     * @param channel the channel; must not be {@code null}
     * @throws IllegalArgumentException if the channel is {@code null}
     */
    public void leave(String channel) {
        if (channel == null) {
            throw new IllegalArgumentException("channel must not be null");
        }
        synchronized (lock) {
            if (channels.remove(channel)) {
                registration.rooms().leave(this, channel);
            }
        }
    }

    /**
     * Return the channels the session is in.
     *
     * @return a snapshot, in joining order; never {@code null}
     */
    public Set<String> channels() {
        synchronized (lock) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(channels));
        }
    }

    /**
     * Publish text to a channel on every instance, except back to this session.
     *
     * @param channel the channel; must be a valid channel name
     * @param text the text; must not be {@code null}
     * @return the publish stage; never {@code null}
     * @throws IllegalArgumentException if an argument is invalid
     */
    public CompletionStage<Void> publishExcept(String channel, String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return registration.rooms().publishExcept(this, channel, text);
    }

    /**
     * Queue text for the client; never blocks.
     *
     * @param text the text; must not be {@code null}
     * @return what happened to the text; never {@code null}
     */
    public SendQueue.Outcome send(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return queue.offer(text);
    }

    @Override
    public void deliver(String text) {
        queue.offer(text);
    }

    @Override
    public void dropped() {
        registration.dropped();
    }

    @Override
    public void overflowed() {
        registration.closedForOverflow();
        closeLater(CloseReasons.of(CloseCodes.TRY_AGAIN_LATER,
                "the client reads too slowly: more than " + capacity + " messages queued"));
    }

    @Override
    public void sendFailed(Throwable error) {
        EndpointRegistration.LOGGER.log(Level.DEBUG,
                () -> "sending to session " + session.getId() + " failed; closing it", error);
        closeLater(CloseReasons.of(CloseCodes.UNEXPECTED_CONDITION, "sending failed"));
    }

    /** Close the session on the close executor, once: never blocks the calling thread. */
    void closeLater(CloseReason reason) {
        if (closeRequested.compareAndSet(false, true)) {
            queue.close();
            registration.closeLater(session, reason);
        }
    }

    /** Close the session on this thread, once. */
    void closeNow(CloseReason reason) {
        if (closeRequested.compareAndSet(false, true)) {
            queue.close();
            EndpointRegistration.closeQuietly(session, reason);
        }
    }

    /** The session closed: leave every channel, drop the queue, forget the session. Idempotent. */
    void closed() {
        List<String> left;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            left = List.copyOf(channels);
            channels.clear();
            for (String channel : left) {
                registration.rooms().leave(this, channel);
            }
        }
        queue.close();
        registration.forget(this);
    }

    /**
     * Return the session.
     *
     * @return the session; never {@code null}
     */
    public Session session() {
        return session;
    }

    @Override
    public String toString() {
        return "SessionState{" + session.getId() + "}";
    }
}

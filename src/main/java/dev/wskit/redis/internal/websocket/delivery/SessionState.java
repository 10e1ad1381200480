package dev.wskit.redis.internal.websocket.delivery;

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

import dev.wskit.redis.websocket.OverflowPolicy;
import dev.wskit.redis.websocket.RateLimitPolicy;

/**
 * What the library keeps per open session: its channels, its outbound {@link SendQueue}, its publish rate limit and
 * how it decides joins. Kept by the endpoint's {@link SessionRegistry}, and also in the session's user properties,
 * so that the helpers of the endpoint that take a {@link Session} find it, see {@link #of(Session, SessionRegistry)}.
 *
 * <p>Joining, leaving and closing are serialized per session; once closed, a session joins nothing more, so a join
 * racing the close cannot leave a member behind in a room.
 */
public final class SessionState implements RoomRegistry.Member, SendQueue.Listener {

    /** The key of this object in {@link Session#getUserProperties()}. */
    static final String KEY = SessionState.class.getName();

    private final Session session;
    private final SessionRegistry registry;
    private final RoomRegistry rooms;
    private final JoinPolicy joinPolicy;
    private final SendQueue queue;
    private final Limits limits;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final AtomicBoolean closedForSize = new AtomicBoolean();

    // guarded by bucketLock: the token bucket of the publish rate limit
    private final Object bucketLock = new Object();
    private double tokens;
    private long refilledAt;

    private final Object lock = new Object();
    // guarded by lock
    private final Set<String> channels = new LinkedHashSet<>();
    private boolean closed;

    /**
     * The limits of one session, from the endpoint's hooks, read once when it opens.
     *
     * @param capacity messages that may wait behind the one in flight
     * @param maxBytes bytes (2 per character) that may wait behind the one in flight
     * @param policy what happens when the queue is full
     * @param maxMessageSize the largest message the client may send, in bytes
     * @param publishRate messages per second the client may send; 0 for no limit
     * @param publishBurst messages the client may send at once
     * @param rateExceeded what happens to a message beyond the rate
     * @param maxRooms channels the session may be in
     */
    public record Limits(int capacity, int maxBytes, OverflowPolicy policy, int maxMessageSize, int publishRate,
            int publishBurst, RateLimitPolicy rateExceeded, int maxRooms) {
    }

    /** Decides whether a session may join a channel: the endpoint's {@code mayJoin}, user code. */
    @FunctionalInterface
    public interface JoinPolicy {

        /**
         * Decide a join.
         *
         * @param channel the channel; never {@code null}
         * @return {@code null} to allow the join, else the reason to close the session with
         */
        CloseReason refusal(String channel);
    }

    SessionState(Session session, SessionRegistry registry, RoomRegistry rooms, JoinPolicy joinPolicy,
            Limits limits) {
        this.session = session;
        this.registry = registry;
        this.rooms = rooms;
        this.joinPolicy = joinPolicy;
        this.limits = limits;
        this.queue = new SendQueue(limits.capacity(), limits.maxBytes(), limits.policy(),
                (text, handler) -> session.getAsyncRemote().sendText(text, handler), this);
        this.tokens = limits.publishBurst();
        this.refilledAt = System.nanoTime();
    }

    /**
     * Return the largest message the client may send.
     *
     * @return the limit in bytes
     */
    public int maxMessageSize() {
        return limits.maxMessageSize();
    }

    /**
     * Close the session with 1009 because the client sent a message larger than {@link #maxMessageSize()}.
     *
     * @param size the size of the message, in bytes
     */
    public void tooBig(long size) {
        if (!closedForSize.compareAndSet(false, true)) {
            return; // a frame that arrived after the first one too big
        }
        registry.closedForSize();
        closeNow(CloseReasons.of(CloseCodes.TOO_BIG, "message too big: " + size + " bytes, at most "
                + limits.maxMessageSize()));
    }

    /**
     * The session closed with this reason: count a 1009 the container sent itself.
     *
     * @param reason the close reason; can be {@code null}
     */
    public void closedWith(CloseReason reason) {
        if (reason != null && reason.getCloseCode().getCode() == CloseCodes.TOO_BIG.getCode()
                && closedForSize.compareAndSet(false, true)) {
            registry.closedForSize();
        }
    }

    /**
     * Take a token of the publish rate limit for a message from the client.
     *
     * @return {@code true} if the message may go on to the endpoint; {@code false} if it was dropped, closed the
     *     session, or the library is closing the session already
     */
    public boolean admit() {
        if (closeRequested.get()) {
            return false; // closing (too big, rate exceeded, overflow): nothing more from this client is published
        }
        int rate = limits.publishRate();
        if (rate == 0) {
            return true;
        }
        synchronized (bucketLock) {
            long now = System.nanoTime();
            tokens = Math.min(limits.publishBurst(), tokens + (now - refilledAt) * (rate / 1e9));
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
        }
        registry.rateLimited();
        if (limits.rateExceeded() == RateLimitPolicy.CLOSE) {
            closeNow(CloseReasons.of(CloseCodes.VIOLATED_POLICY, "publish rate exceeded: at most " + rate
                    + " messages per second, " + limits.publishBurst() + " at once"));
        }
        return false;
    }

    /**
     * Return the bytes waiting in the send queue.
     *
     * @return the bytes, 2 per character
     */
    public long queuedBytes() {
        return queue.waitingBytes();
    }

    /**
     * Return the state of a session opened by a {@code RedisPubSubEndpoint}.
     *
     * <p>Looked up in the registry's own map first. The session's user properties are only a fallback, for a
     * session of another registration, and are trusted only if they name this very session: some older containers
     * shared one user-property map between the sessions of an endpoint.
     *
     * @param session the session; must not be {@code null}
     * @param registry the registry to look in first; can be {@code null}
     * @return the state; never {@code null}
     * @throws IllegalArgumentException if the session is {@code null} or not an open session of a
     *     {@code RedisPubSubEndpoint}
     */
    public static SessionState of(Session session, SessionRegistry registry) {
        if (session == null) {
            throw new IllegalArgumentException("session must not be null");
        }
        SessionState state = registry != null ? registry.state(session) : null;
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
        if (tooManyRooms()) {
            return false;
        }
        // user code: called without the lock
        CloseReason refusal = joinPolicy.refusal(channel);
        if (refusal != null) {
            registry.refused();
            closeNow(refusal);
            return false;
        }
        boolean refuseTooMany = false;
        synchronized (lock) {
            if (closed) {
                return false;
            }
            if (!channels.contains(channel) && channels.size() >= limits.maxRooms()) {
                refuseTooMany = true;
            } else if (!channels.contains(channel)) {
                // keep the room's own String, shared by all its members, not the caller's (memory per membership)
                channels.add(rooms.join(this, channel));
            }
            if (!refuseTooMany) {
                return true;
            }
        }
        refuseTooManyRooms();
        return false;
    }

    /** Refuse a join beyond the maximum number of rooms, closing the session; {@code false} if within it. */
    private boolean tooManyRooms() {
        synchronized (lock) {
            if (channels.size() < limits.maxRooms()) {
                return false;
            }
        }
        refuseTooManyRooms();
        return true;
    }

    private void refuseTooManyRooms() {
        registry.refused();
        closeNow(CloseReasons.of(CloseCodes.VIOLATED_POLICY, "too many rooms: at most " + limits.maxRooms()
                + " per session"));
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
                rooms.leave(this, channel);
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
        return rooms.publishExcept(this, channel, text);
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
        registry.dropped();
    }

    @Override
    public void overflowed() {
        registry.closedForOverflow();
        closeLater(CloseReasons.of(CloseCodes.TRY_AGAIN_LATER, queue.overflowedOnBytes()
                ? "the client reads too slowly: more than " + limits.maxBytes() + " bytes queued"
                : "the client reads too slowly: more than " + limits.capacity() + " messages queued"));
    }

    @Override
    public void sendFailed(Throwable error) {
        SessionRegistry.LOGGER.log(Level.DEBUG,
                () -> "sending to session " + session.getId() + " failed; closing it", error);
        closeLater(CloseReasons.of(CloseCodes.UNEXPECTED_CONDITION, "sending failed"));
    }

    /**
     * Close the session on the close executor, once: never blocks the calling thread.
     *
     * @param reason the close reason; must not be {@code null}
     */
    public void closeLater(CloseReason reason) {
        if (closeRequested.compareAndSet(false, true)) {
            queue.close();
            registry.closeLater(session, reason);
        }
    }

    /**
     * Close the session on this thread, once.
     *
     * @param reason the close reason; must not be {@code null}
     */
    public void closeNow(CloseReason reason) {
        if (closeRequested.compareAndSet(false, true)) {
            queue.close();
            SessionRegistry.closeQuietly(session, reason);
        }
    }

    /** The session closed: leave every channel, drop the queue, forget the session. Idempotent. */
    public void closed() {
        List<String> left;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            left = List.copyOf(channels);
            channels.clear();
            for (String channel : left) {
                rooms.leave(this, channel);
            }
        }
        queue.close();
        registry.forget(this);
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

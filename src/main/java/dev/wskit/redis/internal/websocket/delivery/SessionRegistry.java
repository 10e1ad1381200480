package dev.wskit.redis.internal.websocket.delivery;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import dev.wskit.redis.websocket.RedisPubSubEndpointStats;

/**
 * The open sessions of one registered endpoint on this instance, how they are closed, and the endpoint's counters.
 *
 * <p>A session is closed either on the calling thread ({@link #closeQuietly}) or, where the calling thread must not
 * block (the Redis subscriber thread, a send-completion thread), on the close executor given at creation, see
 * {@link CloseExecutors}.
 *
 * <p>Thread-safe.
 */
public final class SessionRegistry {

    static final Logger LOGGER = System.getLogger("dev.wskit.redis.websocket");

    private final Executor closer;
    private final Map<Session, SessionState> sessions = new ConcurrentHashMap<>();
    private final LongAdder closedForOverflow = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder closedForSize = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder refusedOrigins = new LongAdder();
    private final LongAdder missed = new LongAdder();
    private final LongAdder drainedSessions = new LongAdder();
    private final LongAdder drainDelivered = new LongAdder();
    private final LongAdder drainDropped = new LongAdder();
    private volatile boolean draining;
    private final AtomicBoolean overflowLogged = new AtomicBoolean();

    /**
     * Create an empty registry.
     *
     * @param closer where sessions are closed without blocking the calling thread; must not be {@code null}
     * @throws IllegalArgumentException if {@code closer} is {@code null}
     */
    public SessionRegistry(Executor closer) {
        if (closer == null) {
            throw new IllegalArgumentException("closer must not be null");
        }
        this.closer = closer;
    }

    /**
     * Register a session that just opened, with its own send queue, and remember it in the session's user properties
     * too (see {@link SessionState#of(Session, SessionRegistry)}).
     *
     * @param session the session; must not be {@code null}
     * @param rooms the rooms it joins; must not be {@code null}
     * @param hooks what it asks its endpoint (joins, history rooms, rooms that tell of gaps, missed messages): one
     *     object for all sessions of the endpoint; must not be {@code null}
     * @param endpoint the application's endpoint instance of the session, handed back to the hooks; can be
     *     {@code null} if the hooks do not need it
     * @param limits its limits, checked already; must not be {@code null}
     * @return its state; never {@code null}
     */
    public SessionState open(Session session, RoomRegistry rooms, SessionState.Hooks hooks, Object endpoint,
            SessionState.Limits limits) {
        SessionState state = new SessionState(session, this, rooms, hooks, endpoint, limits);
        session.getUserProperties().put(SessionState.KEY, state);
        sessions.put(session, state);
        return state;
    }

    /**
     * Return the state of an open session of this registry.
     *
     * @param session the session; must not be {@code null}
     * @return the state, or {@code null} if the session is not an open session of this registry
     */
    public SessionState state(Session session) {
        return sessions.get(session);
    }

    /** The session closed: forget it. */
    void forget(SessionState state) {
        sessions.remove(state.session(), state);
    }

    /**
     * Close every open session on the calling thread (the application is stopping).
     *
     * @param reason the close reason sent to every client; must not be {@code null}
     */
    public void closeAll(CloseReason reason) {
        for (Session s : sessions.keySet()) {
            closeQuietly(s, reason);
        }
    }

    /** Close a session on the close executor. */
    void closeLater(Session session, CloseReason reason) {
        try {
            closer.execute(() -> closeQuietly(session, reason));
        } catch (RejectedExecutionException e) {
            // the container is shutting down and closes every session anyway
            LOGGER.log(Level.DEBUG, () -> "cannot close session " + session.getId() + " now: " + e);
        }
    }

    /**
     * Close a session on the calling thread if it is open, logging a failure at DEBUG.
     *
     * @param session the session; must not be {@code null}
     * @param reason the close reason; must not be {@code null}
     */
    public static void closeQuietly(Session session, CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.DEBUG, () -> "closing session " + session.getId() + " failed: " + e);
        }
    }

    /**
     * Stop accepting sessions: from now on {@link #isDraining()}. See {@link Drain}.
     *
     * @return {@code true} the first time, {@code false} if a drain began before
     */
    synchronized boolean beginDrain() {
        boolean first = !draining;
        draining = true;
        return first;
    }

    /**
     * Tell whether the registry is draining: a session that opens now is closed at once with 1012.
     *
     * @return {@code true} once a drain began
     */
    public boolean isDraining() {
        return draining;
    }

    /**
     * Close a session that opened while draining, at once, with 1012, counting it as drained.
     *
     * @param session the session; must not be {@code null}
     */
    public void refuseWhileDraining(Session session) {
        drainedSessions.increment();
        closeQuietly(session, Drain.REASON);
    }

    /** The states of the open sessions, a snapshot. */
    List<SessionState> openStates() {
        return List.copyOf(sessions.values());
    }

    /** Count a session the drain closed, with the messages sent to it during the drain and those left unsent. */
    void drained(long delivered, long dropped) {
        drainedSessions.increment();
        drainDelivered.add(delivered);
        drainDropped.add(dropped);
    }

    /** Count a join refused, by the endpoint or for an invalid channel or room name. */
    public void refused() {
        refused.increment();
    }

    /** Count a handshake refused for its {@code Origin}. */
    public void refusedOrigin() {
        refusedOrigins.increment();
    }

    /** Count a client message that could not be published. */
    public void publishFailed() {
        publishFailures.increment();
    }

    /** Count a report of missed messages in a history room. */
    public void missed() {
        missed.increment();
    }

    void dropped() {
        dropped.increment();
    }

    /**
     * A session's send queue overflowed and the session is being closed with 1013: counted; the first one of the
     * endpoint is logged at INFO, so that an operator learns that clients this slow exist (the others are counted
     * only: a flood of slow clients must not flood the log).
     */
    void closedForOverflow(Session session, String why) {
        closedForOverflow.increment();
        if (overflowLogged.compareAndSet(false, true)) {
            LOGGER.log(Level.INFO, () -> "closed session " + session.getId() + " of " + pathOf(session)
                    + " with 1013 (Try Again Later): " + why + ". The next ones are counted, not logged: "
                    + "stats().closedForOverflow(), JMX ClosedForOverflow. Logged once per endpoint.");
        }
    }

    /** The path of a session's request URI, without its query (which may carry a token). */
    private static String pathOf(Session session) {
        try {
            URI uri = session.getRequestURI();
            return uri == null ? "(no request URI)" : uri.getRawPath();
        } catch (RuntimeException e) {
            return "(no request URI)";
        }
    }

    void closedForSize() {
        closedForSize.increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }

    /**
     * Return the memberships of the open sessions: for each session, the number of channels it is in, summed.
     *
     * @return the number
     */
    public long memberships() {
        long memberships = 0;
        for (SessionState state : sessions.values()) {
            memberships += state.channelCount();
        }
        return memberships;
    }

    /**
     * Return the deepest send queue among the open sessions now: the messages waiting behind the one in flight.
     *
     * @return the number of messages; 0 without sessions
     */
    public int maxQueuedMessages() {
        int max = 0;
        for (SessionState state : sessions.values()) {
            max = Math.max(max, state.queuedMessages());
        }
        return max;
    }

    /**
     * Return a snapshot of the counters.
     *
     * @param rooms the rooms of the endpoint; can be {@code null} when not created yet (then no channels)
     * @return the counters; never {@code null}
     */
    public RedisPubSubEndpointStats stats(RoomRegistry rooms) {
        long queuedBytes = 0;
        for (SessionState state : sessions.values()) {
            queuedBytes += state.queuedBytes();
        }
        return new EndpointStatsValues(sessions.size(), rooms == null ? 0 : rooms.channelCount(),
                closedForOverflow.sum(), dropped.sum(), refused.sum(), publishFailures.sum(), closedForSize.sum(),
                rateLimited.sum(), refusedOrigins.sum(), queuedBytes, missed.sum(),
                rooms == null ? 0 : rooms.subscriptionGaps(), drainedSessions.sum(), drainDelivered.sum(),
                drainDropped.sum()).toStats();
    }
}

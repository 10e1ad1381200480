package dev.wskit.redis.internal.websocket.delivery;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;

import dev.wskit.redis.History;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.websocket.OverflowPolicy;
import dev.wskit.redis.websocket.RateLimitPolicy;

/**
 * What the library keeps per open session: its channels, its outbound {@link SendQueue}, its publish rate limit and
 * how it decides joins. Kept by the endpoint's {@link SessionRegistry}, and also in the session's user properties,
 * so that the helpers of the endpoint that take a {@link Session} find it, see {@link #of(Session, SessionRegistry)}.
 *
 * <p>Joining, leaving and closing are serialized per session; once closed, a session joins nothing more, so a join
 * racing the close cannot leave a member behind in a room.
 *
 * <p>History rooms: the session keeps a {@link RoomCursor} per history room it is in, which merges what it reads
 * from the room's history (when it resumes after a position given by the client, see {@link #resumeFrom}) with the
 * room's live messages, and sends the frames of {@link HistoryFrames}. Each cursor is its own lock; reads are the
 * core's asynchronous {@code history} calls, so no thread waits for Redis.
 */
public final class SessionState implements RoomRegistry.Member, SendQueue.Listener, SendQueue.Sender {

    /*
     * Memory: one of these per open session, so every field counts (bench/run.sh memory, "per session"). What all
     * sessions of an endpoint share is not copied here: the hooks are one object per registration and the limits
     * usually one too; flags are plain fields set through VarHandles, not AtomicBooleans; the lock is this object;
     * a session in one room keeps that room's String, not a set of one.
     */

    /** The key of this object in {@link Session#getUserProperties()}. */
    static final String KEY = SessionState.class.getName();

    private static final VarHandle CLOSE_REQUESTED;
    private static final VarHandle CLOSED_FOR_SIZE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLOSE_REQUESTED = lookup.findVarHandle(SessionState.class, "closeRequested", boolean.class);
            CLOSED_FOR_SIZE = lookup.findVarHandle(SessionState.class, "closedForSize", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Session session;
    private final SessionRegistry registry;
    private final RoomRegistry rooms;
    private final Hooks hooks;
    /** The application's endpoint instance of the session: opaque here, handed back to the {@link #hooks}. */
    private final Object endpoint;
    private final SendQueue queue;
    private final Limits limits;
    // set once, through CLOSE_REQUESTED and CLOSED_FOR_SIZE
    private volatile boolean closeRequested;
    private volatile boolean closedForSize;

    // Guarded by this object (the lock of the session's rooms, closing, the token bucket and creating the cursors
    // and gap state on first use; nothing outside this class locks it).
    // The token bucket of the publish rate limit:
    private double tokens;
    private long refilledAt;
    // The rooms the session is in, in joining order: null for none, the room's String for one (most sessions), a
    // LinkedHashSet<String> for more (a set of one would cost 112 bytes). Only through the methods below.
    private Object channels;
    private boolean closed;
    /**
     * The plain rooms the session is in that tell it of gaps; created at the first join of such a room (like the
     * cursors: most sessions never need it). Written under this object's lock.
     */
    private volatile Set<String> gapSignalled;
    /**
     * Gaps not yet queued because the send queue was full, per room (merged: at most one per room the session is
     * in); guarded by itself once created. Queued before the next message the session is handed, or dropped if it
     * leaves.
     */
    private volatile Map<String, SubscriptionGap> pendingGaps;
    private volatile boolean gapsPending;
    /**
     * The cursor of each history room the session is in; created at the first join of a history room (most sessions
     * never join one: an empty map per session would cost 64 bytes each). Written under this object's lock.
     */
    private volatile Map<String, Tracker> cursors;
    /**
     * Positions to resume after, per room, given by the client when it connected; each used by the first join.
     * {@code null} when the client gave none.
     */
    private volatile Map<String, StreamPosition> resume;

    /**
     * What a session asks its endpoint, whose hooks are user code: one object per endpoint registration, shared by
     * all its sessions; each call names the session's state, whose {@link #session()} and {@link #endpoint()} say
     * which session and which endpoint instance. By default a session may join every room, no room has history and
     * no room tells of gaps.
     */
    public interface Hooks {

        /** Every join allowed, no history room, no room that tells of gaps, nobody to tell. */
        Hooks NONE = new Hooks() {
        };

        /**
         * Decide a join: the endpoint's {@code mayJoin}.
         *
         * @param state the session; never {@code null}
         * @param channel the channel; never {@code null}
         * @return {@code null} to allow the join, else the reason to close the session with
         */
        default CloseReason refusal(SessionState state, String channel) {
            return null;
        }

        /**
         * Decide whether a room has history: the endpoint's {@code hasHistory}; must depend on the room's name only.
         *
         * @param state the session; never {@code null}
         * @param room the room; never {@code null}
         * @return {@code true} if the room has history
         */
        default boolean hasHistory(SessionState state, String room) {
            return false;
        }

        /**
         * Decide whether a plain room tells its sessions' clients of missed messages: the endpoint's
         * {@code signalsMissedMessages}.
         *
         * @param state the session; never {@code null}
         * @param room the room; never {@code null}
         * @return {@code true} if the room's sessions get a {@code missed} frame after a gap
         */
        default boolean signalsGaps(SessionState state, String room) {
            return false;
        }

        /**
         * Messages of a history room were not received. Called on the thread that found out; must not block.
         *
         * @param state the session; never {@code null}
         * @param room the room
         * @param since the session's position before them; {@code null} if none
         * @param position where it continues; {@code null} if not known yet
         * @param reason why
         * @param onResume {@code true} if found while resuming, {@code false} during the session
         */
        default void missed(SessionState state, String room, StreamPosition since, StreamPosition position,
                HistoryFrames.Reason reason, boolean onResume) {
        }

        /**
         * A {@code missed} frame of a plain room was queued for the client. Called on the core's callback thread;
         * must not block.
         *
         * @param state the session; never {@code null}
         * @param room the room
         * @param gap the gap (merged, if several waited for room in the queue)
         */
        default void gapTold(SessionState state, String room, SubscriptionGap gap) {
        }
    }

    /** Whether the session is in a room. Called with the lock held. */
    private boolean inChannel(String channel) {
        Object c = channels;
        return c instanceof String one ? one.equals(channel) : c != null && asSet(c).contains(channel);
    }

    /** How many rooms the session is in. Called with the lock held. */
    private int channelCountLocked() {
        Object c = channels;
        return c == null ? 0 : c instanceof String ? 1 : asSet(c).size();
    }

    /** Add a room the session is not in. Called with the lock held. */
    private void addChannel(String channel) {
        Object c = channels;
        if (c == null) {
            channels = channel;
        } else if (c instanceof String one) {
            Set<String> set = new LinkedHashSet<>();
            set.add(one);
            set.add(channel);
            channels = set;
        } else {
            asSet(c).add(channel);
        }
    }

    /** Remove a room; {@code false} if the session was not in it. Called with the lock held. */
    private boolean removeChannel(String channel) {
        Object c = channels;
        if (c instanceof String one) {
            if (!one.equals(channel)) {
                return false;
            }
            channels = null;
            return true;
        }
        if (c == null || !asSet(c).remove(channel)) {
            return false;
        }
        if (asSet(c).isEmpty()) {
            channels = null;
        }
        return true;
    }

    /** The rooms the session is in, in joining order, a copy. Called with the lock held. */
    private List<String> channelList() {
        Object c = channels;
        return c == null ? List.of() : c instanceof String one ? List.of(one) : List.copyOf(asSet(c));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> asSet(Object channels) {
        return (Set<String>) channels;
    }

    /** The cursors, created on first use. */
    private Map<String, Tracker> cursors() {
        Map<String, Tracker> all = cursors;
        if (all == null) {
            synchronized (this) {
                all = cursors;
                if (all == null) {
                    all = new ConcurrentHashMap<>();
                    cursors = all;
                }
            }
        }
        return all;
    }

    /** The plain rooms that tell the session of gaps, created on first use. */
    private Set<String> gapSignalled() {
        Set<String> rooms = gapSignalled;
        if (rooms == null) {
            synchronized (this) {
                rooms = gapSignalled;
                if (rooms == null) {
                    rooms = ConcurrentHashMap.newKeySet();
                    gapSignalled = rooms;
                }
            }
        }
        return rooms;
    }

    /** The gaps waiting for room in the send queue, created on first use. */
    private Map<String, SubscriptionGap> pendingGaps() {
        Map<String, SubscriptionGap> gaps = pendingGaps;
        if (gaps == null) {
            synchronized (this) {
                gaps = pendingGaps;
                if (gaps == null) {
                    gaps = new LinkedHashMap<>();
                    pendingGaps = gaps;
                }
            }
        }
        return gaps;
    }

    /** The room no longer tells the session of gaps. */
    private void forgetGaps(String room) {
        Set<String> rooms = gapSignalled;
        if (rooms != null) {
            rooms.remove(room);
        }
    }

    /** Drop the cursor of a room, if any. */
    private void forget(String room) {
        Map<String, Tracker> all = cursors;
        if (all != null) {
            all.remove(room);
        }
    }

    /** The cursor of a history room the session is in; {@code null} if none. */
    private Tracker cursor(String room) {
        Map<String, Tracker> all = cursors;
        return all == null ? null : all.get(room);
    }

    /** The query parameter holding a position to resume after: {@code <room>:<offset>:<epoch>}, one per room. */
    public static final String SINCE_PARAMETER = "since";

    /** The longest value of a {@value #SINCE_PARAMETER} parameter. */
    static final int MAX_SINCE_LENGTH = 1024 + 1 + 19 + 1 + StreamPosition.MAX_EPOCH_LENGTH;

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
     * @param maxReplay the most messages sent to the session from a history room's history in one reading
     */
    public record Limits(int capacity, int maxBytes, OverflowPolicy policy, int maxMessageSize, int publishRate,
            int publishBurst, RateLimitPolicy rateExceeded, int maxRooms, int maxReplay) {
    }

    SessionState(Session session, SessionRegistry registry, RoomRegistry rooms, Hooks hooks, Object endpoint,
            Limits limits) {
        this.session = session;
        this.registry = registry;
        this.rooms = rooms;
        this.hooks = hooks;
        this.endpoint = endpoint;
        this.limits = limits;
        this.queue = new SendQueue(limits.capacity(), limits.maxBytes(), limits.policy(), this, this);
        this.tokens = limits.publishBurst();
        this.refilledAt = System.nanoTime();
    }

    /**
     * Start sending a text to the client: the send queue's {@link SendQueue.Sender}.
     *
     * @param text the message; never {@code null}
     * @param handler to call exactly once with the result
     */
    @Override
    public void send(String text, SendHandler handler) {
        session.getAsyncRemote().sendText(text, handler);
    }

    /**
     * Return the application's endpoint instance of the session, as given when it opened.
     *
     * @return the instance; can be {@code null} (a session opened without one, in tests)
     */
    public Object endpoint() {
        return endpoint;
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
        if (!CLOSED_FOR_SIZE.compareAndSet(this, false, true)) {
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
                && CLOSED_FOR_SIZE.compareAndSet(this, false, true)) {
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
        if (closeRequested) {
            return false; // closing (too big, rate exceeded, overflow): nothing more from this client is published
        }
        int rate = limits.publishRate();
        if (rate == 0) {
            return true;
        }
        synchronized (this) {
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
     * Return how many messages wait in the send queue, behind the one in flight.
     *
     * @return the number of messages
     */
    public int queuedMessages() {
        return queue.waiting();
    }

    /**
     * Return how many channels the session is in.
     *
     * @return the number
     */
    public int channelCount() {
        synchronized (this) {
            return channelCountLocked();
        }
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
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (inChannel(channel)) {
                return true;
            }
        }
        if (tooManyRooms()) {
            return false;
        }
        // user code: called without the lock
        CloseReason refusal = hooks.refusal(this, channel);
        if (refusal != null) {
            registry.refused();
            closeNow(refusal);
            return false;
        }
        boolean withHistory = hooks.hasHistory(this, channel);
        // user code too; history rooms recover by themselves and are never told of a plain gap
        boolean signalsGaps = !withHistory && hooks.signalsGaps(this, channel);
        boolean refuseTooMany = false;
        Tracker started = null;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (!inChannel(channel) && channelCountLocked() >= limits.maxRooms()) {
                refuseTooMany = true;
            } else if (!inChannel(channel)) {
                Tracker tracker = null;
                if (withHistory) {
                    // registered before joining: the room's messages are buffered from the first one on
                    tracker = new Tracker(channel);
                    cursors().put(channel, tracker);
                }
                try {
                    if (signalsGaps) {
                        gapSignalled().add(channel);
                    }
                    // keep the room's own String, shared by all its members, not the caller's (memory per membership)
                    addChannel(rooms.join(this, channel, withHistory));
                } catch (RuntimeException e) {
                    forget(channel);
                    forgetGaps(channel);
                    throw e;
                }
                started = tracker;
            }
        }
        if (refuseTooMany) {
            refuseTooManyRooms();
            return false;
        }
        if (started != null) {
            Map<String, StreamPosition> positions = resume;
            started.start(positions == null ? null : positions.remove(channel));
        }
        return true;
    }

    /**
     * Take the positions to resume after from the request's query parameters ({@value #SINCE_PARAMETER}, each
     * {@code <room>:<offset>:<epoch>}); each is used by the first join of its room. Input from the client: at most
     * as many as the session may be in rooms, each at most {@value #MAX_SINCE_LENGTH} characters.
     *
     * @param parameters the request parameters; must not be {@code null}
     * @return {@code null} if they are valid (or absent), else why not, without echoing them
     */
    public String resumeFrom(Map<String, List<String>> parameters) {
        List<String> values = parameters.get(SINCE_PARAMETER);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > limits.maxRooms()) {
            return "too many since parameters: at most " + limits.maxRooms();
        }
        Map<String, StreamPosition> parsed = new HashMap<>();
        for (String value : values) {
            if (value.length() > MAX_SINCE_LENGTH) {
                return "invalid since parameter: longer than " + MAX_SINCE_LENGTH + " characters";
            }
            int epochStart = value.lastIndexOf(':');
            int offsetStart = epochStart > 0 ? value.lastIndexOf(':', epochStart - 1) : -1;
            if (offsetStart < 1) {
                return "invalid since parameter: it reads <room>:<offset>:<epoch>";
            }
            try {
                parsed.put(value.substring(0, offsetStart), StreamPosition.parse(value.substring(offsetStart + 1)));
            } catch (IllegalArgumentException e) {
                return "invalid since parameter: " + e.getMessage();
            }
        }
        if (!parsed.isEmpty()) {
            resume = new ConcurrentHashMap<>(parsed);
        }
        return null;
    }

    /**
     * Return the position of the session in a history room: the last message it was sent (or skipped knowingly).
     *
     * @param room the room; must not be {@code null}
     * @return the position; {@code null} if the session is not in that history room or not positioned yet
     */
    public StreamPosition position(String room) {
        Tracker t = cursor(room);
        if (t == null) {
            return null;
        }
        synchronized (t) {
            return t.cursor.position();
        }
    }

    /**
     * Tell whether the session is in a room with history.
     *
     * @param room the room; must not be {@code null}
     * @return {@code true} if it is
     */
    public boolean inHistoryRoom(String room) {
        return cursor(room) != null;
    }

    @Override
    public void deliverHistory(String room, HistoryMessage message, boolean excluded) {
        Tracker t = cursor(room);
        if (t != null) {
            synchronized (t) {
                t.cursor.live(message, excluded, t);
            }
        }
    }

    @Override
    public void historyLost(String room, MessageLoss loss) {
        Tracker t = cursor(room);
        if (t != null) {
            synchronized (t) {
                t.cursor.roomLost(loss, t);
            }
        }
    }

    /** The cursor of one history room and what it asks for; the cursor's lock. */
    private final class Tracker implements RoomCursor.Output {

        private final String room;
        final RoomCursor cursor;

        Tracker(String room) {
            this.room = room;
            this.cursor = new RoomCursor(room, limits.maxReplay(), limits.capacity(), limits.maxBytes());
        }

        void start(StreamPosition since) {
            synchronized (this) {
                cursor.start(since, this);
            }
        }

        @Override
        public void send(String frame) {
            queue.offer(frame);
        }

        @Override
        public void read(StreamPosition after, int limit) {
            CompletionStage<History> read;
            try {
                read = rooms.pubsub().history(room, after, limit);
            } catch (RuntimeException e) {
                historyFailed(e);
                return;
            }
            read.whenComplete((h, e) -> {
                if (e != null) {
                    historyFailed(e);
                    return;
                }
                synchronized (this) {
                    if (cursor(room) == this) {
                        cursor.page(h, this);
                    }
                }
            });
        }

        @Override
        public void missed(StreamPosition since, StreamPosition position, HistoryFrames.Reason reason,
                boolean onResume) {
            try {
                hooks.missed(SessionState.this, room, since, position, reason, onResume);
            } catch (RuntimeException e) {
                SessionRegistry.LOGGER.log(Level.DEBUG, () -> "reporting missed messages failed", e);
            }
        }

        private void historyFailed(Throwable e) {
            SessionRegistry.LOGGER.log(Level.DEBUG, () -> "reading the history of room " + room + " for session "
                    + session.getId() + " failed; closing it: " + e);
            closeLater(CloseReasons.of(CloseCodes.UNEXPECTED_CONDITION, "reading the history of the room failed,"
                    + " reconnect"));
        }
    }

    /** Refuse a join beyond the maximum number of rooms, closing the session; {@code false} if within it. */
    private boolean tooManyRooms() {
        synchronized (this) {
            if (channelCountLocked() < limits.maxRooms()) {
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
        synchronized (this) {
            if (removeChannel(channel)) {
                forget(channel);
                forgetGaps(channel);
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
        synchronized (this) {
            return Collections.unmodifiableSet(new LinkedHashSet<>(channelList()));
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
        return rooms.publishExcept(this, channel, text, hooks.hasHistory(this, channel));
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
        if (gapsPending) {
            // a gap waiting for room in the queue goes before the messages after it
            flushGaps();
        }
        queue.offer(text);
    }

    @Override
    public boolean subscriptionGap(String room, SubscriptionGap gap) {
        Set<String> signalled = gapSignalled;
        if (signalled == null || !signalled.contains(room)) {
            return false;
        }
        addGap(room, gap);
        flushGaps();
        return true;
    }

    /** Keep a gap until its frame fits, merged with one of the room that waits already (that one's reason stays). */
    private void addGap(String room, SubscriptionGap gap) {
        Map<String, SubscriptionGap> gaps = pendingGaps();
        synchronized (gaps) {
            SubscriptionGap waiting = gaps.get(room);
            gaps.put(room, waiting == null ? gap : SubscriptionGap.of(gap.channel(), gap.isPattern(),
                    waiting.from().isBefore(gap.from()) ? waiting.from() : gap.from(),
                    waiting.to().isAfter(gap.to()) ? waiting.to() : gap.to(), waiting.reason()));
            gapsPending = true;
        }
    }

    /**
     * Queue the {@code missed} frames of the waiting gaps that fit in the send queue (never applying the overflow
     * policy to them: such a frame is neither dropped nor the cause of a close); those that do not fit wait, merged
     * per room, for the next message handed to the session.
     */
    private void flushGaps() {
        Map<String, SubscriptionGap> gaps = pendingGaps;
        Set<String> signalled = gapSignalled;
        if (gaps == null || Thread.holdsLock(gaps)) {
            // none, or called again from within (a frame's send completed at once and the queue went idle): the
            // loop below goes on with the rest
            return;
        }
        List<Map.Entry<String, SubscriptionGap>> told = new ArrayList<>();
        synchronized (gaps) {
            for (Iterator<Map.Entry<String, SubscriptionGap>> it = gaps.entrySet().iterator(); it.hasNext();) {
                Map.Entry<String, SubscriptionGap> e = it.next();
                if (signalled == null || !signalled.contains(e.getKey())) {
                    // left the room meanwhile
                    it.remove();
                    continue;
                }
                SubscriptionGap gap = e.getValue();
                String reason = gap.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
                if (!queue.offerIfRoom(HistoryFrames.missed(e.getKey(), gap.from(), gap.to(), reason))) {
                    break;
                }
                it.remove();
                told.add(e);
            }
            gapsPending = !gaps.isEmpty();
        }
        for (Map.Entry<String, SubscriptionGap> e : told) {
            try {
                hooks.gapTold(this, e.getKey(), e.getValue());
            } catch (RuntimeException ex) {
                SessionRegistry.LOGGER.log(Level.DEBUG, () -> "reporting a subscription gap failed", ex);
            }
        }
    }

    /**
     * The send queue dropped a message (overflow policy {@code drop-newest} or {@code drop-oldest}): counted, and the
     * plain rooms of the session that signal missed messages get a gap of reason {@code MESSAGES_DROPPED} (the queue
     * does not know a message's room: every such room of the session, which is exact for a session in one room).
     * Its {@code missed} frame waits until it fits, and goes before the next message handed to the session.
     */
    @Override
    public void dropped() {
        registry.dropped();
        Set<String> signalled = gapSignalled;
        if (signalled == null || signalled.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        for (String room : signalled) {
            addGap(room, SubscriptionGap.of(room, false, now, now, SubscriptionGap.Reason.MESSAGES_DROPPED));
        }
    }

    /** The queue is idle: a {@code missed} frame that waited for room goes now. */
    @Override
    public void idle() {
        if (gapsPending) {
            flushGaps();
        }
    }

    @Override
    public void overflowed() {
        String why = queue.overflowedOnBytes()
                ? "the client reads too slowly: more than " + limits.maxBytes() + " bytes queued"
                : "the client reads too slowly: more than " + limits.capacity() + " messages queued";
        registry.closedForOverflow(session, why);
        closeLater(CloseReasons.of(CloseCodes.TRY_AGAIN_LATER, why));
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
        if (CLOSE_REQUESTED.compareAndSet(this, false, true)) {
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
        if (CLOSE_REQUESTED.compareAndSet(this, false, true)) {
            queue.close();
            SessionRegistry.closeQuietly(session, reason);
        }
    }

    /** The session closed: leave every channel, drop the queue, forget the session. Idempotent. */
    public void closed() {
        List<String> left;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            left = channelList();
            channels = null;
            Map<String, Tracker> all = cursors;
            if (all != null) {
                all.clear();
            }
            Set<String> signalled = gapSignalled;
            if (signalled != null) {
                signalled.clear();
            }
            for (String channel : left) {
                rooms.leave(this, channel);
            }
        }
        queue.close();
        registry.forget(this);
    }

    /**
     * Return how many messages were sent to the client.
     *
     * @return the count
     */
    public long sent() {
        return queue.sent();
    }

    /**
     * Return how many messages are queued for the client and not sent yet, the one in flight included.
     *
     * @return the count
     */
    public int unsent() {
        return queue.unsent();
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

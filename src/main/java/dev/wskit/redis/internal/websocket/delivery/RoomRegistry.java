package dev.wskit.redis.internal.websocket.delivery;

import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import dev.wskit.redis.HistoryHandler;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.TypedMessageHandler;

/**
 * The rooms of one registered endpoint on this instance: channel to local members, with one Redis subscription per
 * channel, taken when the first member joins and released when the last one leaves.
 *
 * <p>Messages arrive on the subscriber thread of the {@link RedisPubSub}, as the raw payload ({@code String.class},
 * no decoding), and are handed to every member's {@link Member#deliver(String)}, which must not block. A payload this
 * instance published with {@link #publishExcept} is not handed to its sender, see {@link SenderExclusions}.
 *
 * <p>A history room (joined with {@code history} {@code true} by its first member) is subscribed with
 * {@link RedisPubSub#subscribeWithHistory} instead, from the room's position when subscribed: its messages arrive on
 * the instance's history thread, once each and in the order of their offsets, and are handed to every member's
 * {@link Member#deliverHistory} with their position and their frame (encoded once, shared by the members); losses
 * the core reports go to every member's {@link Member#historyLost}. Such a room is published to with
 * {@link RedisPubSub#publishWithHistory}.
 *
 * <p>Joining and leaving a channel are atomic per channel ({@link ConcurrentHashMap#compute}), so a join racing the
 * last leave either keeps the subscription or takes a new one, never leaves a member without one. The
 * {@code subscribe} and {@code close} calls into the core run inside that per-channel section; the core does not call
 * handlers while holding its own locks, so this cannot deadlock with delivery.
 *
 * <p>Large rooms: handing a message to a session costs the container's framing and write (some microseconds each),
 * so a room of 10,000 sessions keeps one thread busy for tens of milliseconds per message. A room with at least
 * {@code 2 * }{@value #MIN_STRIPE} members is therefore handed each message by up to {@code parallelism} threads
 * (at least {@value #MIN_STRIPE} members per thread): the subscriber thread posts one task per further thread to the
 * helper executor and hands out the message itself meanwhile. The members are cut into small stripes of
 * {@value #STRIPE} that every thread of the delivery takes one after the other until none is left, so that a thread
 * that starts late or is preempted (a busy executor, a machine shared with other work) only takes fewer stripes and
 * the others take the rest, instead of everybody waiting for the end of its share. The subscriber thread then waits
 * for the stripes that helpers took. A message is thus handed to every member before the next message is looked at,
 * on whichever threads: each session still gets the messages of all its channels in the order Redis delivered them.
 * Helper tasks that did not start yet are bounded ({@code parallelism - 1} at most): when the executor is busy, the
 * subscriber thread simply delivers more stripes itself.
 *
 * <p>Thread-safe.
 */
public final class RoomRegistry {

    /** A local member of rooms, such as a session. */
    public interface Member {

        /**
         * Take a message for the client. Called on the subscriber thread: must not block.
         *
         * @param text the payload exactly as published; never {@code null}
         */
        void deliver(String text);

        /**
         * Take a message of a history room. Called on the thread that delivers the room (one at a time per room):
         * must not block. Does nothing by default.
         *
         * @param room the room; never {@code null}
         * @param message the message with its position and frame; never {@code null}
         * @param excluded {@code true} if this member sent the message with sender exclusion and must not get it
         */
        default void deliverHistory(String room, HistoryMessage message, boolean excluded) {
        }

        /**
         * Learn that the room lost messages (reported by the core). Must not block. Does nothing by default.
         *
         * @param room the room; never {@code null}
         * @param loss what was lost; never {@code null}
         */
        default void historyLost(String room, MessageLoss loss) {
        }

        /**
         * Learn that the room's subscription (a plain room's) was not in force for a while: its messages published
         * then may have been missed. Called on the core's callback thread, once per gap and room: must not block.
         * Does nothing by default.
         *
         * @param room the room; never {@code null}
         * @param gap when; never {@code null}
         * @return {@code true} if the member tells its client (the room signals missed messages to it)
         */
        default boolean subscriptionGap(String room, SubscriptionGap gap) {
            return false;
        }
    }

    private static final System.Logger LOGGER = System.getLogger("dev.wskit.redis.websocket");

    /** Most payloads kept per channel waiting to come back for sender exclusion. */
    static final int EXCLUSION_CAPACITY = 1024;

    /** How long a payload published with sender exclusion waits to come back. */
    static final long EXCLUSION_TTL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Fewest members per thread of a parallel delivery: below, waking a helper costs more than it saves. */
    public static final int MIN_STRIPE = 256;

    /**
     * Members per stripe, the unit the threads of a parallel delivery take one after the other: small enough that the
     * threads end together when one of them is late or preempted, large enough that taking one (two atomic
     * increments) costs nothing next to handing a message to its members.
     */
    static final int STRIPE = 64;

    private final RedisPubSub pubsub;
    private final Executor helpers;
    private final int parallelism;
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final LongAdder excluded = new LongAdder();
    private final LongAdder parallelDeliveries = new LongAdder();
    /** Helper tasks posted and not started yet; bounded by {@code parallelism - 1}. */
    private final AtomicInteger queuedHelpers = new AtomicInteger();
    private final AtomicBoolean parallelLogged = new AtomicBoolean();
    private final AtomicBoolean refusalLogged = new AtomicBoolean();
    private final AtomicBoolean helperLogged = new AtomicBoolean();
    private final LongAdder helperStripes = new LongAdder();
    private final LongAdder subscriptionGaps = new LongAdder();

    /**
     * Create an empty registry that delivers on the subscriber thread only.
     *
     * @param pubsub the instance to subscribe and publish with; must not be {@code null}
     * @throws IllegalArgumentException if {@code pubsub} is {@code null}
     */
    public RoomRegistry(RedisPubSub pubsub) {
        this(pubsub, null, 1);
    }

    /**
     * Create an empty registry.
     *
     * @param pubsub the instance to subscribe and publish with; must not be {@code null}
     * @param helpers runs the further stripes of large rooms; can be {@code null} if {@code parallelism} is 1
     * @param parallelism how many threads, the subscriber thread included, may hand one message to the members of a
     *     large room; 1 for the subscriber thread alone
     * @throws IllegalArgumentException if {@code pubsub} is {@code null}, {@code parallelism} is less than 1, or
     *     {@code helpers} is {@code null} while {@code parallelism} is more than 1
     */
    public RoomRegistry(RedisPubSub pubsub, Executor helpers, int parallelism) {
        if (pubsub == null) {
            throw new IllegalArgumentException("pubsub must not be null");
        }
        if (parallelism < 1 || (parallelism > 1 && helpers == null)) {
            throw new IllegalArgumentException("parallelism must be at least 1, and helpers given if more than 1");
        }
        this.pubsub = pubsub;
        this.helpers = helpers;
        this.parallelism = parallelism;
    }

    /**
     * Return the instance this registry subscribes and publishes with.
     *
     * @return the instance; never {@code null}
     */
    public RedisPubSub pubsub() {
        return pubsub;
    }

    /**
     * Add a member to a channel, subscribing to the channel if it is the first local member. Does nothing if the
     * member is in the channel already.
     *
     * <p>Returns the room's own instance of the channel name, equal to {@code channel}: a member that keeps the
     * names of its channels keeps that one, so that every member of a room shares one {@code String} instead of
     * each holding the one it was given (such as a copy parsed from its own URL).
     *
     * @param member the member; must not be {@code null}
     * @param channel the channel, without the namespace; must be a valid channel name
     * @return the channel name as the room keeps it, equal to {@code channel}; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid (then nothing changed)
     * @throws IllegalStateException if the {@code RedisPubSub} was destroyed
     */
    public String join(Member member, String channel) {
        return join(member, channel, false);
    }

    /**
     * Add a member to a channel, subscribing to the channel if it is the first local member: with history if
     * {@code history} is {@code true} (see the class comment). Whether a room has history is decided by its first
     * member; later joins do not change it. Does nothing if the member is in the channel already.
     *
     * @param member the member; must not be {@code null}
     * @param channel the channel, without the namespace; must be a valid channel name
     * @param history whether the room, if it is created by this join, has history
     * @return the channel name as the room keeps it, equal to {@code channel}; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid (then nothing changed)
     * @throws IllegalStateException if the {@code RedisPubSub} was destroyed
     * @throws UnsupportedOperationException if {@code history} and the {@code RedisPubSub} has no history
     */
    public String join(Member member, String channel, boolean history) {
        Room joined = rooms.compute(channel, (name, room) -> {
            Room r = room;
            if (r == null) {
                r = new Room(name, history);
                r.members.add(member);
                Room created = r;
                created.subscription = history
                        ? pubsub.subscribeWithHistory(name, String.class, null, new RoomHistory(created))
                        : pubsub.subscribe(name, String.class, new RoomHandler(created));
            }
            if (r.members.add(member)) {
                r.version++;
            }
            return r;
        });
        return joined.name;
    }

    /**
     * Remove a member from a channel, unsubscribing from the channel if it was the last local member. Does nothing if
     * the member is not in the channel.
     *
     * @param member the member; must not be {@code null}
     * @param channel the channel; must not be {@code null}
     */
    public void leave(Member member, String channel) {
        rooms.computeIfPresent(channel, (name, room) -> {
            if (room.members.remove(member)) {
                room.version++;
            }
            if (room.members.isEmpty()) {
                room.subscription.close();
                return null;
            }
            return room;
        });
    }

    /**
     * Publish a payload to a channel, on every instance, skipping {@code sender} when it comes back to this one.
     *
     * <p>If the sender is not a local member of the channel, this is a plain publish.
     *
     * @param sender the member not to deliver this payload to; must not be {@code null}
     * @param channel the channel; must be a valid channel name
     * @param payload the payload; must not be {@code null}
     * @return the stage of {@link RedisPubSub#publish(String, Object)}; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid
     */
    public CompletionStage<Void> publishExcept(Member sender, String channel, String payload) {
        return publishExcept(sender, channel, payload, false);
    }

    /**
     * Publish a payload to a channel, on every instance, skipping {@code sender} when it comes back to this one; with
     * {@link RedisPubSub#publishWithHistory} if {@code history} is {@code true}.
     *
     * @param sender the member not to deliver this payload to; must not be {@code null}
     * @param channel the channel; must be a valid channel name
     * @param payload the payload; must not be {@code null}
     * @param history whether the channel is a history room
     * @return the stage of the publish; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid
     */
    public CompletionStage<Void> publishExcept(Member sender, String channel, String payload, boolean history) {
        Room room = rooms.get(channel);
        if (room == null || !room.members.contains(sender)) {
            return publish(channel, payload, history);
        }
        // remembered before publishing: the message may come back before publish() returns
        SenderExclusions.Entry entry = room.exclusions.add(payload, sender);
        CompletionStage<Void> stage;
        try {
            stage = publish(channel, payload, history);
        } catch (RuntimeException e) {
            room.exclusions.remove(entry);
            throw e;
        }
        return stage.whenComplete((ok, error) -> {
            if (error != null) {
                room.exclusions.remove(entry);
            }
        });
    }

    /**
     * Publish a message to a channel, with history if {@code history} is {@code true}.
     *
     * @param channel the channel; must be a valid channel name
     * @param message the message; can be {@code null}
     * @param history whether the channel is a history room
     * @return a stage completing when Redis accepted the message; never {@code null}
     * @throws IllegalArgumentException if the channel name is invalid
     */
    public CompletionStage<Void> publish(String channel, Object message, boolean history) {
        return history ? pubsub.publishWithHistory(channel, message).thenApply(position -> null)
                : pubsub.publish(channel, message);
    }

    /**
     * Tell whether a channel with local members is a history room.
     *
     * @param channel the channel; must not be {@code null}
     * @return {@code true} if it has local members and history
     */
    public boolean hasHistory(String channel) {
        Room room = rooms.get(channel);
        return room != null && room.history;
    }

    /**
     * Return the number of channels with at least one local member.
     *
     * @return the number of channels, which is the number of Redis subscriptions held
     */
    public int channelCount() {
        return rooms.size();
    }

    /**
     * Return the channels with at least one local member.
     *
     * @return a snapshot of the channel names; never {@code null}
     */
    public Set<String> channels() {
        return Set.copyOf(rooms.keySet());
    }

    /**
     * Return the local members of a channel.
     *
     * @param channel the channel; must not be {@code null}
     * @return a snapshot of the members, empty if none; never {@code null}
     */
    public Set<Member> members(String channel) {
        Room room = rooms.get(channel);
        return room == null ? Set.of() : Set.copyOf(room.members);
    }

    /**
     * Return how many deliveries were skipped because the member was the excluded sender.
     *
     * @return the number of skipped deliveries
     */
    public long excluded() {
        return excluded.sum();
    }

    /**
     * Return how many messages were handed to the members of a room over more than one thread.
     *
     * @return the number of parallel deliveries
     */
    public long parallelDeliveries() {
        return parallelDeliveries.sum();
    }

    /**
     * Return how many stripes (of {@value #STRIPE} members) of parallel deliveries the helper threads delivered (the
     * rest, the subscriber thread).
     *
     * @return the number of stripes delivered by helpers
     */
    public long helperStripes() {
        return helperStripes.sum();
    }

    /**
     * Return how many gaps of plain rooms' subscriptions were told to their members (one per room and gap, counted
     * when at least one member told its client).
     *
     * @return the number of gaps
     */
    public long subscriptionGaps() {
        return subscriptionGaps.sum();
    }

    /** What one message does to one member. */
    @FunctionalInterface
    private interface Hand {
        void to(Member member);
    }

    /** Runs on the subscriber thread. */
    private void deliver(Room room, String payload) {
        Object skip = room.exclusions.match(payload);
        handOut(room, member -> {
            if (member == skip) {
                excluded.increment();
            } else {
                member.deliver(payload);
            }
        });
    }

    /** Runs on the history thread: a message of a history room, in the order of its offset. */
    private void deliverHistory(Room room, String payload, StreamPosition position) {
        Object skip = room.exclusions.match(payload);
        HistoryMessage message = HistoryMessage.of(room.name, position, payload);
        handOut(room, member -> {
            if (member == skip) {
                excluded.increment();
            }
            member.deliverHistory(room.name, message, member == skip);
        });
    }

    /** Hand one message to every member of a room, over several threads for a large room. */
    private void handOut(Room room, Hand hand) {
        if (parallelism > 1 && room.members.size() >= 2 * MIN_STRIPE) {
            Member[] members = room.snapshot();
            int threads = Math.min(parallelism, members.length / MIN_STRIPE);
            if (threads > 1) {
                deliverParallel(room, members, threads, hand);
                return;
            }
        }
        for (Member member : room.members) {
            deliver(room, member, hand);
        }
    }

    private void deliver(Room room, Member member, Hand hand) {
        try {
            hand.to(member);
        } catch (RuntimeException e) {
            // one member must never keep the others from their message
            LOGGER.log(System.Logger.Level.DEBUG,
                    "delivery to a member of channel " + room.name + " failed", e);
        }
    }

    /** The subscription of one plain room: its messages, and the gaps when it was not in force. */
    private final class RoomHandler implements TypedMessageHandler<String> {

        private final Room room;

        RoomHandler(Room room) {
            this.room = room;
        }

        @Override
        public void onMessage(String channel, String payload) {
            deliver(room, payload);
        }

        /** The core's callback thread: tell the members; one gap per room however many members signal it. */
        @Override
        public void onGap(SubscriptionGap gap) {
            boolean[] signalled = new boolean[1];
            for (Member member : room.members) {
                deliver(room, member, m -> signalled[0] |= m.subscriptionGap(room.name, gap));
            }
            if (signalled[0]) {
                subscriptionGaps.increment();
            }
        }
    }

    /** The history subscription of one room. */
    private final class RoomHistory implements HistoryHandler<String> {

        private final Room room;

        RoomHistory(Room room) {
            this.room = room;
        }

        @Override
        public void onMessage(String channel, String message, StreamPosition position) {
            deliverHistory(room, message, position);
        }

        @Override
        public void onLoss(MessageLoss loss) {
            for (Member member : room.members) {
                deliver(room, member, m -> m.historyLost(room.name, loss));
            }
        }
    }

    /** Hand one message to all members over up to {@code threads} threads; returns when every member has it. */
    private void deliverParallel(Room room, Member[] members, int threads, Hand hand) {
        Delivery delivery = new Delivery(room, members, hand);
        for (int i = 1; i < threads; i++) {
            if (queuedHelpers.incrementAndGet() >= parallelism) {
                // helpers posted earlier have not even started: the executor is busy, do the work here
                queuedHelpers.decrementAndGet();
                break;
            }
            try {
                helpers.execute(delivery);
            } catch (RuntimeException e) {
                // rejected (executor shut down or saturated): this thread takes the stripe
                queuedHelpers.decrementAndGet();
                if (refusalLogged.compareAndSet(false, true)) {
                    LOGGER.log(System.Logger.Level.WARNING, "the executor of the delivery threads refused a task ("
                            + e + "); the Redis subscriber thread delivers what it refuses. Logged once.");
                }
                break;
            }
        }
        if (parallelLogged.compareAndSet(false, true)) {
            LOGGER.log(System.Logger.Level.INFO, () -> "channel " + room.name + " has " + members.length
                    + " local sessions: each message is handed to them by up to " + threads + " threads (at most "
                    + parallelism + "; at least " + MIN_STRIPE + " sessions per thread), " + STRIPE
                    + " sessions at a time. Logged once.");
        }
        parallelDeliveries.increment();
        delivery.work();
        delivery.awaitStripes();
    }

    /** One message to the members of one large room, in stripes taken by whichever thread comes first. */
    private final class Delivery implements Runnable {

        private final Room room;
        private final Member[] members;
        private final int stripes;
        private final Hand hand;
        private final Thread owner = Thread.currentThread();
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger finished = new AtomicInteger();

        Delivery(Room room, Member[] members, Hand hand) {
            this.room = room;
            this.members = members;
            this.stripes = (members.length + STRIPE - 1) / STRIPE;
            this.hand = hand;
        }

        /** A helper thread. */
        @Override
        public void run() {
            queuedHelpers.decrementAndGet();
            work();
        }

        /** Take stripes until none is left. */
        void work() {
            boolean helper = Thread.currentThread() != owner;
            int stripe;
            while ((stripe = next.getAndIncrement()) < stripes) {
                if (helper) {
                    helperStripes.increment();
                    if (helperLogged.compareAndSet(false, true)) {
                        LOGGER.log(System.Logger.Level.INFO, "a delivery helper took its first stripe of channel "
                                + room.name + " on thread " + Thread.currentThread().getName() + ". Logged once.");
                    }
                }
                int from = stripe * STRIPE;
                int to = Math.min(members.length, from + STRIPE);
                try {
                    for (int i = from; i < to; i++) {
                        deliver(room, members[i], hand);
                    }
                } finally {
                    if (finished.incrementAndGet() == stripes && helper) {
                        LockSupport.unpark(owner);
                    }
                }
            }
        }

        /** The subscriber thread: wait for the stripes that helpers took. */
        void awaitStripes() {
            while (finished.get() < stripes) {
                LockSupport.park(this);
            }
        }
    }

    private static final class Room {

        final String name;
        final boolean history;
        final Set<Member> members = ConcurrentHashMap.newKeySet();
        final SenderExclusions<Member> exclusions =
                new SenderExclusions<>(EXCLUSION_CAPACITY, EXCLUSION_TTL_NANOS, System::nanoTime);
        Subscription subscription;
        /** Counts changes of {@code members}; written in the room's compute section only. */
        volatile int version;
        /** The members as an array, for parallel delivery; current while its version is {@code version}. */
        private volatile Snapshot snapshot;

        Room(String name, boolean history) {
            this.name = name;
            this.history = history;
        }

        /** The members as an array: the cached one if no member joined or left since, else a new one. */
        Member[] snapshot() {
            int v = version; // read before the members: a change after this makes the copy stale for the next call
            Snapshot s = snapshot;
            if (s != null && s.version == v) {
                return s.members;
            }
            Member[] copy = members.toArray(new Member[0]);
            snapshot = new Snapshot(v, copy);
            return copy;
        }
    }

    private record Snapshot(int version, Member[] members) {
    }
}

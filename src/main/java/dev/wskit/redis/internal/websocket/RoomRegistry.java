package dev.wskit.redis.internal.websocket;

import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.Subscription;

/**
 * The rooms of one registered endpoint on this instance: channel to local members, with one Redis subscription per
 * channel, taken when the first member joins and released when the last one leaves.
 *
 * <p>Messages arrive on the subscriber thread of the {@link RedisPubSub}, as the raw payload ({@code String.class},
 * no decoding), and are handed to every member's {@link Member#deliver(String)}, which must not block. A payload this
 * instance published with {@link #publishExcept} is not handed to its sender, see {@link SenderExclusions}.
 *
 * <p>Joining and leaving a channel are atomic per channel ({@link ConcurrentHashMap#compute}), so a join racing the
 * last leave either keeps the subscription or takes a new one, never leaves a member without one. The
 * {@code subscribe} and {@code close} calls into the core run inside that per-channel section; the core does not call
 * handlers while holding its own locks, so this cannot deadlock with delivery.
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
    }

    /** Most payloads kept per channel waiting to come back for sender exclusion. */
    static final int EXCLUSION_CAPACITY = 1024;

    /** How long a payload published with sender exclusion waits to come back. */
    static final long EXCLUSION_TTL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RedisPubSub pubsub;
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final LongAdder excluded = new LongAdder();

    /**
     * Create an empty registry.
     *
     * @param pubsub the instance to subscribe and publish with; must not be {@code null}
     * @throws IllegalArgumentException if {@code pubsub} is {@code null}
     */
    public RoomRegistry(RedisPubSub pubsub) {
        if (pubsub == null) {
            throw new IllegalArgumentException("pubsub must not be null");
        }
        this.pubsub = pubsub;
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
        Room joined = rooms.compute(channel, (name, room) -> {
            Room r = room;
            if (r == null) {
                r = new Room(name);
                r.members.add(member);
                Room created = r;
                created.subscription = pubsub.subscribe(name, String.class, (ch, payload) -> deliver(created, payload));
            }
            r.members.add(member);
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
            room.members.remove(member);
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
        Room room = rooms.get(channel);
        if (room == null || !room.members.contains(sender)) {
            return pubsub.publish(channel, payload);
        }
        // remembered before publishing: the message may come back before publish() returns
        SenderExclusions.Entry entry = room.exclusions.add(payload, sender);
        CompletionStage<Void> stage;
        try {
            stage = pubsub.publish(channel, payload);
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

    /** Runs on the subscriber thread. */
    private void deliver(Room room, String payload) {
        Object skip = room.exclusions.match(payload);
        for (Member member : room.members) {
            if (member == skip) {
                excluded.increment();
                continue;
            }
            try {
                member.deliver(payload);
            } catch (RuntimeException e) {
                // one member must never keep the others from their message
                System.getLogger("dev.wskit.redis.websocket").log(System.Logger.Level.DEBUG,
                        "delivery to a member of channel " + room.name + " failed", e);
            }
        }
    }

    private static final class Room {

        final String name;
        final Set<Member> members = ConcurrentHashMap.newKeySet();
        final SenderExclusions<Member> exclusions =
                new SenderExclusions<>(EXCLUSION_CAPACITY, EXCLUSION_TTL_NANOS, System::nanoTime);
        Subscription subscription;

        Room(String name) {
            this.name = name;
        }
    }
}

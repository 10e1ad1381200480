package dev.wskit.redis.websocket;

import java.util.Objects;

import jakarta.websocket.Session;

import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.SubscriptionGap;

/**
 * Messages that a session did not receive: of a history room, messages the library could not send it; of a plain room
 * that signals them ({@link RedisPubSubEndpoint#signalsMissedMessages(String)}), messages published while the
 * instance's subscription to the room was not in force ({@link Reason#SUBSCRIPTION_GAP}, with {@link #gap()}), or
 * dropped for the session because its send queue was full ({@link Reason#MESSAGES_DROPPED}, with {@link #gap()}). The
 * client was told (a {@code not-recovered}, {@code lost} or {@code missed} frame, see
 * {@code docs/client-protocol.md}), and the application
 * hears it through {@link RedisPubSubEndpoint#onMissedMessages(Session, MissedMessages)} and, when a CDI container
 * is reachable, as a CDI event of this type ({@code void missed(@Observes MissedMessages missed)}), so that it can
 * send the client what it needs to start over (a snapshot of the room's state, say).
 *
 * <p>Found either while the session resumed after the position its client gave ({@link #onResume()} {@code true}:
 * the client reconnected too late, or to a room whose history was reset), or during the session (the instance lost
 * messages it could not read back from the history). Immutable.
 *
 * @since 0.2
 */
public final class MissedMessages {

    /** Why the messages could not be sent. */
    public enum Reason {
        /** The room's history was reset (a new epoch: Redis lost it); nothing of the old one can be read. */
        HISTORY_RESET,
        /** The messages are no longer in the history: trimmed to its size, or expired after its time to live. */
        NOT_IN_HISTORY,
        /**
         * More messages were missed than the server sends one session from the history
         * ({@code wskit.redis.websocket.history-max-replay}); the session continues at the room's position.
         */
        TOO_FAR_BEHIND,
        /**
         * A plain room (no history): the instance's subscription to the room was not in force for a while (its
         * subscriber connection was lost or replaced), so messages published then may have been missed; see
         * {@link MissedMessages#gap()}. {@link MissedMessages#since()} and {@link MissedMessages#position()} are
         * {@code null}.
         *
         * @since 0.2
         */
        SUBSCRIPTION_GAP,
        /**
         * A plain room (no history): the session's send queue was full under the {@code drop-newest} or
         * {@code drop-oldest} overflow policy ({@link RedisPubSubEndpoint#overflowPolicy()}), and messages were dropped
         * for it; {@link MissedMessages#gap()} says when (its reason
         * {@link SubscriptionGap.Reason#MESSAGES_DROPPED}). {@link MissedMessages#since()} and
         * {@link MissedMessages#position()} are {@code null}.
         *
         * @since 0.2
         */
        MESSAGES_DROPPED
    }

    private final Session session;
    private final String room;
    private final StreamPosition since;
    private final StreamPosition position;
    private final Reason reason;
    private final boolean onResume;
    private final SubscriptionGap gap;

    private MissedMessages(Session session, String room, StreamPosition since, StreamPosition position,
            Reason reason, boolean onResume, SubscriptionGap gap) {
        this.gap = gap;
        this.session = session;
        this.room = room;
        this.since = since;
        this.position = position;
        this.reason = reason;
        this.onResume = onResume;
    }

    /**
     * Create a report (the library does; a test may too).
     *
     * @param session the session; must not be {@code null}
     * @param room the room; must not be {@code null}
     * @param since the session's position before the missed messages; can be {@code null}
     * @param position where the session continues; can be {@code null}
     * @param reason why; must not be {@code null}
     * @param onResume {@code true} if found while resuming, {@code false} during the session
     * @return the report
     */
    public static MissedMessages of(Session session, String room, StreamPosition since, StreamPosition position,
            Reason reason, boolean onResume) {
        return new MissedMessages(Objects.requireNonNull(session, "session must not be null"),
                Objects.requireNonNull(room, "room must not be null"), since, position,
                Objects.requireNonNull(reason, "reason must not be null"), onResume, null);
    }

    /**
     * Create the report of a gap of a plain room's subscription (the library does; a test may too): reason
     * {@link Reason#SUBSCRIPTION_GAP}, or {@link Reason#MESSAGES_DROPPED} for a gap of that reason; no positions, not
     * on resume.
     *
     * @param session the session; must not be {@code null}
     * @param room the room; must not be {@code null}
     * @param gap when the room's subscription was not in force; must not be {@code null}
     * @return the report
     * @since 0.2
     */
    public static MissedMessages of(Session session, String room, SubscriptionGap gap) {
        return new MissedMessages(Objects.requireNonNull(session, "session must not be null"),
                Objects.requireNonNull(room, "room must not be null"), null, null,
                Objects.requireNonNull(gap, "gap must not be null").reason()
                        == SubscriptionGap.Reason.MESSAGES_DROPPED ? Reason.MESSAGES_DROPPED : Reason.SUBSCRIPTION_GAP,
                false, gap);
    }

    /**
     * Return when the instance's subscription to the plain room was not in force: messages published between its
     * {@link SubscriptionGap#from()} and {@link SubscriptionGap#to()} may have been missed.
     *
     * @return the gap for {@link Reason#SUBSCRIPTION_GAP} and {@link Reason#MESSAGES_DROPPED} (when the messages
     *     were dropped); {@code null} for the other reasons
     * @since 0.2
     */
    public SubscriptionGap gap() {
        return gap;
    }

    /**
     * Return the session that missed the messages.
     *
     * @return the session; never {@code null} (it may have closed since)
     */
    public Session session() {
        return session;
    }

    /**
     * Return the room.
     *
     * @return the room; never {@code null}
     */
    public String room() {
        return room;
    }

    /**
     * Return the session's position before the missed messages: the one its client resumed after, or the last
     * message it received.
     *
     * @return the position; {@code null} if the session had none
     */
    public StreamPosition since() {
        return since;
    }

    /**
     * Return where the session continues: the next message it receives in the room is after this position.
     *
     * @return the position; {@code null} if not known yet (the next message tells)
     */
    public StreamPosition position() {
        return position;
    }

    /**
     * Return why the messages could not be sent.
     *
     * @return the reason; never {@code null}
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Tell whether this was found while the session resumed after the position its client gave.
     *
     * @return {@code true} on resume, {@code false} during the session
     */
    public boolean onResume() {
        return onResume;
    }

    @Override
    public String toString() {
        return "MissedMessages{session=" + session.getId() + ", room=" + room + ", since=" + since + ", position="
                + position + ", reason=" + reason + (onResume ? ", on resume" : "") + (gap == null ? "" : ", " + gap)
                + "}";
    }
}

package dev.wskit.redis;

import java.time.Instant;
import java.util.Objects;

/**
 * A time during which a subscription to a channel (or a pattern) without history was not in force, so that its
 * handlers may have missed messages published then: reported to {@link MessageHandler#onGap} and
 * {@link TypedMessageHandler#onGap} once the subscription is confirmed by Redis again.
 *
 * <p>Delivery without history is at-most-once; this makes the loss visible, never silent. Messages published to the
 * channel between {@link #from()} and {@link #to()} may have been missed (some of them may have been received);
 * messages published before {@code from} were received, and those published after {@code to} are (as long as the
 * subscription holds). Both instants are taken on this instance's clock ({@link Instant#now()}), and {@code from} is
 * conservative: it is the last moment the subscription was known to be in force, never later. For a lost connection
 * that is when the last PING that Redis answered on it was written (at most about one
 * {@linkplain RedisPubSubOptions#pingInterval() ping interval} before the loss began); for a connection the library
 * replaced because it may have been deaf while still answering PING ({@link Reason#RESUBSCRIBED}: the loopback
 * canary, a Sentinel switch), when the last loopback canary that came back was published (about one to two
 * {@linkplain RedisPubSubOptions#canaryInterval() canary intervals} before), or without one, when the connection was
 * opened.
 *
 * <p>Channels with history ({@link RedisPubSub#subscribeWithHistory}) are not reported here: they read what they
 * missed from the history, and report what they cannot read to {@link HistoryHandler#onLoss}.
 *
 * <p>In the WebSocket layer a gap of reason {@link Reason#MESSAGES_DROPPED} tells one session of a plain room that
 * messages were dropped for it (its send queue was full); the subscription was in force.
 *
 * <p>Immutable.
 *
 * @since 0.2
 */
public final class SubscriptionGap {

    /** Why the subscription was not in force. More reasons may be added in later versions. */
    public enum Reason {
        /** The subscriber connection was lost (closed by Redis or the network, or refused) and opened again. */
        CONNECTION_LOST,
        /**
         * The library found the subscription possibly not in force without the connection failing and subscribed
         * again: the loopback canary did not come back, PINGs went unanswered or a write was blocked (a half-open
         * socket), Sentinel named a new master, or with sharded pub/sub the channel's slot moved to another master.
         */
        RESUBSCRIBED,
        /**
         * The WebSocket layer only, for one session of a plain room that signals missed messages: the subscription
         * was in force, but the session's send queue was full under the {@code drop-newest} or {@code drop-oldest}
         * overflow policy, and messages were dropped for it. {@link SubscriptionGap#from()} and
         * {@link SubscriptionGap#to()} are when the first and the last were dropped, on this instance's clock:
         * messages that reached the instance between them may not have reached the session. Never reported to the
         * handlers of {@link RedisPubSub} (the core drops nothing).
         *
         * @since 0.2
         */
        MESSAGES_DROPPED
    }

    private final String channel;
    private final boolean pattern;
    private final Instant from;
    private final Instant to;
    private final Reason reason;

    private SubscriptionGap(String channel, boolean pattern, Instant from, Instant to, Reason reason) {
        this.channel = channel;
        this.pattern = pattern;
        this.from = from;
        this.to = to;
        this.reason = reason;
    }

    /**
     * Create a gap (the library does; a test may too).
     *
     * @param channel the channel or pattern subscribed, without the namespace prefix; must not be {@code null}
     * @param pattern {@code true} if {@code channel} is a pattern ({@code psubscribe})
     * @param from when the subscription stopped being known to be in force; must not be {@code null}
     * @param to when it was confirmed again; must not be {@code null} nor before {@code from}
     * @param reason why; must not be {@code null}
     * @return the gap; never {@code null}
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code to} is before {@code from}
     */
    public static SubscriptionGap of(String channel, boolean pattern, Instant from, Instant to, Reason reason) {
        Objects.requireNonNull(channel, "channel must not be null");
        Objects.requireNonNull(from, "from must not be null");
        Objects.requireNonNull(to, "to must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from, was from=" + from + ", to=" + to);
        }
        return new SubscriptionGap(channel, pattern, from, to, reason);
    }

    /**
     * Return the channel or pattern of the subscription, as given to {@code subscribe} or {@code psubscribe}.
     *
     * @return the channel or pattern, without the namespace prefix; never {@code null}
     */
    public String channel() {
        return channel;
    }

    /**
     * Tell whether the subscription is a pattern subscription.
     *
     * @return {@code true} for {@code psubscribe}
     */
    public boolean isPattern() {
        return pattern;
    }

    /**
     * Return the last moment the subscription was known to be in force: messages published before it were received.
     *
     * @return the instant; never {@code null}
     */
    public Instant from() {
        return from;
    }

    /**
     * Return when Redis confirmed the subscription again: messages published after it are received.
     *
     * @return the instant; never {@code null}, never before {@link #from()}
     */
    public Instant to() {
        return to;
    }

    /**
     * Return why the subscription was not in force.
     *
     * @return the reason; never {@code null}
     */
    public Reason reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubscriptionGap g && channel.equals(g.channel) && pattern == g.pattern
                && from.equals(g.from) && to.equals(g.to) && reason == g.reason;
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, pattern, from, to, reason);
    }

    @Override
    public String toString() {
        return "SubscriptionGap{" + (pattern ? "pattern=" : "channel=") + channel + ", from=" + from + ", to=" + to
                + ", reason=" + reason + "}";
    }
}

package dev.wskit.redis;

import java.util.Objects;

/**
 * Messages of a channel with history that a subscriber could not receive, reported to
 * {@link HistoryHandler#onLoss}: the messages after {@link #after()} and before {@link #next()} are lost for it.
 *
 * <p>Immutable.
 *
 * @since 0.2
 */
public final class MessageLoss {

    /** Why the messages could not be recovered. */
    public enum Reason {
        /**
         * The channel's history was reset (Redis lost it: restarted without persistence, the keys expired or were
         * evicted): it has a new epoch, and nothing of the old one can be read.
         */
        HISTORY_RESET,
        /** The messages are no longer in the history: trimmed to its size, or expired after its time-to-live. */
        NOT_IN_HISTORY
    }

    private final String channel;
    private final StreamPosition after;
    private final StreamPosition next;
    private final Reason reason;

    private MessageLoss(String channel, StreamPosition after, StreamPosition next, Reason reason) {
        this.channel = channel;
        this.after = after;
        this.next = next;
        this.reason = reason;
    }

    /**
     * Create a report of lost messages (the library does; a test may too).
     *
     * @param channel the channel without the namespace prefix
     * @param after the position of the last message received before the loss, {@code null} if none
     * @param next the position of the first message delivered after the loss, {@code null} if not known yet
     * @param reason why
     * @return the loss
     */
    public static MessageLoss of(String channel, StreamPosition after, StreamPosition next, Reason reason) {
        return new MessageLoss(Objects.requireNonNull(channel), after, next, Objects.requireNonNull(reason));
    }

    /**
     * Return the channel.
     *
     * @return the channel, without the namespace prefix
     */
    public String channel() {
        return channel;
    }

    /**
     * Return the position of the last message received before the loss.
     *
     * @return the position; {@code null} if the subscriber had received none
     */
    public StreamPosition after() {
        return after;
    }

    /**
     * Return the position from which messages are delivered again: the messages after {@link #after()} and before
     * this one are lost.
     *
     * @return the position; {@code null} if no later message is known yet
     */
    public StreamPosition next() {
        return next;
    }

    /**
     * Return why the messages could not be recovered.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "MessageLoss{channel=" + channel + ", after=" + after + ", next=" + next + ", reason=" + reason + "}";
    }
}

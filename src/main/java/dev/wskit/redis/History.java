package dev.wskit.redis;

import java.util.List;
import java.util.Objects;

/**
 * What {@link RedisPubSub#history} read from a channel's history: the messages after a position, or the news that
 * they cannot be recovered.
 *
 * <p>{@link #recoverable()} is {@code true} when every message after the position asked for is still in the history
 * in the same epoch; then {@link #entries()} are the next of them in order (at most the limit asked for), and
 * {@link #complete()} tells whether they reach the channel's current {@link #position()}. When it is {@code false},
 * {@link #reason()} says why, and {@link #entries()} holds the oldest messages still in the history (up to the
 * limit), from which a receiver may continue after telling its user about the loss.
 *
 * <p>Immutable.
 *
 * @since 0.2
 */
public final class History {

    /** One message of a channel's history. */
    public static final class Entry {

        private final StreamPosition position;
        private final String payload;

        private Entry(StreamPosition position, String payload) {
            this.position = position;
            this.payload = payload;
        }

        /**
         * Create an entry (the library does; a test may too).
         *
         * @param position the message's position
         * @param payload the message as published (serialized)
         * @return the entry
         */
        public static Entry of(StreamPosition position, String payload) {
            return new Entry(Objects.requireNonNull(position), Objects.requireNonNull(payload));
        }

        /**
         * Return the message's position.
         *
         * @return the position
         */
        public StreamPosition position() {
            return position;
        }

        /**
         * Return the message as it was serialized by the publisher (the configured {@code serializeMessage}).
         *
         * @return the payload
         */
        public String payload() {
            return payload;
        }

        @Override
        public String toString() {
            return position + "=" + (payload.length() > 32 ? payload.substring(0, 32) + "..." : payload);
        }
    }

    private final StreamPosition position;
    private final List<Entry> entries;
    private final MessageLoss.Reason reason;

    private History(StreamPosition position, List<Entry> entries, MessageLoss.Reason reason) {
        this.position = position;
        this.entries = entries;
        this.reason = reason;
    }

    /**
     * Create a result (the library does; a test may too).
     *
     * @param position the channel's current position
     * @param entries the messages read, in order of their offsets
     * @param reason why the messages asked for cannot be recovered; {@code null} if they can
     * @return the result
     */
    public static History of(StreamPosition position, List<Entry> entries, MessageLoss.Reason reason) {
        return new History(Objects.requireNonNull(position), List.copyOf(entries), reason);
    }

    /**
     * Return the channel's current position: the offset of the last message published and the current epoch
     * (offset 0 if none was published in this epoch).
     *
     * @return the position
     */
    public StreamPosition position() {
        return position;
    }

    /**
     * Tell whether every message after the position asked for is still in the history.
     *
     * @return {@code true} if recoverable
     */
    public boolean recoverable() {
        return reason == null;
    }

    /**
     * Return why the messages cannot be recovered.
     *
     * @return the reason; {@code null} if {@link #recoverable()}
     */
    public MessageLoss.Reason reason() {
        return reason;
    }

    /**
     * Return the messages read, in order of their offsets.
     *
     * @return the entries; never {@code null}
     */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * Tell whether the entries reach the current position (nothing more to read).
     *
     * @return {@code true} if the last entry is at {@link #position()}, or there is no entry and nothing was
     *         published after the position asked for
     */
    public boolean complete() {
        return entries.isEmpty() ? true : entries.get(entries.size() - 1).position().offset() >= position.offset();
    }

    @Override
    public String toString() {
        return "History{position=" + position + ", entries=" + entries.size()
                + (reason == null ? "" : ", not recoverable: " + reason) + "}";
    }
}

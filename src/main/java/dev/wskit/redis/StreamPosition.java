package dev.wskit.redis;

import java.util.Objects;

/**
 * A position in the history of a channel: the offset of a message and the epoch of the history it belongs to.
 *
 * <p>Every message published with {@link RedisPubSub#publishWithHistory} gets the next offset of its channel (1, 2,
 * 3, ... without gaps) and the channel's epoch: an id chosen when the channel's history is created in Redis, and
 * chosen anew when that history is gone (Redis restarted without persistence, the keys expired or were evicted). An
 * offset means something only within its epoch; a receiver that remembers {@code (offset, epoch)} can ask for every
 * later message ({@link RedisPubSub#history}) and learns from a different epoch that the messages in between cannot
 * be recovered.
 *
 * <p>{@link #toString()} gives the compact form {@code <offset>:<epoch>} that {@link #parse} reads, suitable for a
 * query parameter or a browser's storage. Immutable; two are equal when offset and epoch are.
 *
 * @since 0.2
 */
public final class StreamPosition {

    /** The longest epoch accepted. */
    public static final int MAX_EPOCH_LENGTH = 32;

    private final long offset;
    private final String epoch;

    private StreamPosition(long offset, String epoch) {
        this.offset = offset;
        this.epoch = epoch;
    }

    /**
     * Return a position.
     *
     * @param offset the offset of the last message received, 0 for "before the first message"; at least 0
     * @param epoch the epoch; 1 to {@value #MAX_EPOCH_LENGTH} characters from {@code [A-Za-z0-9_-]}
     * @return the position
     * @throws IllegalArgumentException if an argument breaks its rule (the message says which)
     */
    public static StreamPosition of(long offset, String epoch) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be at least 0, was " + offset);
        }
        if (!isEpoch(epoch)) {
            throw new IllegalArgumentException("epoch must be 1 to " + MAX_EPOCH_LENGTH
                    + " characters from [A-Za-z0-9_-]");
        }
        return new StreamPosition(offset, epoch);
    }

    /**
     * Read the form {@code <offset>:<epoch>} that {@link #toString()} writes.
     *
     * @param text the text; must not be {@code null}
     * @return the position
     * @throws IllegalArgumentException if the text is not such a position (the message does not repeat the text)
     */
    public static StreamPosition parse(String text) {
        Objects.requireNonNull(text, "text must not be null");
        int colon = text.indexOf(':');
        if (colon < 1 || colon > 19) {
            throw new IllegalArgumentException("a stream position reads <offset>:<epoch>");
        }
        long offset = 0;
        for (int i = 0; i < colon; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("a stream position reads <offset>:<epoch>, the offset in digits");
            }
            offset = offset * 10 + (c - '0');
        }
        if (offset < 0) {
            throw new IllegalArgumentException("the offset of a stream position is too large");
        }
        return of(offset, text.substring(colon + 1));
    }

    static boolean isEpoch(String epoch) {
        if (epoch == null || epoch.isEmpty() || epoch.length() > MAX_EPOCH_LENGTH) {
            return false;
        }
        for (int i = 0; i < epoch.length(); i++) {
            char c = epoch.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Return the offset: the number of messages published to the channel in this epoch up to this position.
     *
     * @return the offset, at least 0
     */
    public long offset() {
        return offset;
    }

    /**
     * Return the epoch of the channel's history.
     *
     * @return the epoch; never {@code null}
     */
    public String epoch() {
        return epoch;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StreamPosition p && p.offset == offset && p.epoch.equals(epoch);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + epoch.hashCode();
    }

    /**
     * Return {@code <offset>:<epoch>}, the form {@link #parse} reads.
     *
     * @return the position as text
     */
    @Override
    public String toString() {
        return offset + ":" + epoch;
    }
}

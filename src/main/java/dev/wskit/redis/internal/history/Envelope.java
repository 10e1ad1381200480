package dev.wskit.redis.internal.history;

import dev.wskit.redis.StreamPosition;

/**
 * The message on the wire of a channel with history, as the publish script writes it:
 * {@code w1:<offset>:<epoch>:<payload>} ({@code w1} the version, the offset in decimal digits, the epoch of
 * {@code [A-Za-z0-9_-]}, then the payload as serialized, unchanged).
 *
 * @param position the message's position
 * @param payload the message as serialized by the publisher
 */
public record Envelope(StreamPosition position, String payload) {

    static final String PREFIX = "w1:";

    /** Write an envelope (the script does it in Redis; this is for tests and the in-memory implementation). */
    public static String encode(StreamPosition position, String payload) {
        return PREFIX + position.offset() + ":" + position.epoch() + ":" + payload;
    }

    /**
     * Read an envelope.
     *
     * @return the envelope; {@code null} if {@code text} is not one
     */
    public static Envelope decode(String text) {
        if (!text.startsWith(PREFIX)) {
            return null;
        }
        int offsetEnd = text.indexOf(':', PREFIX.length());
        if (offsetEnd <= PREFIX.length() || offsetEnd - PREFIX.length() > 18) {
            return null;
        }
        long offset = 0;
        for (int i = PREFIX.length(); i < offsetEnd; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            offset = offset * 10 + (c - '0');
        }
        int epochEnd = text.indexOf(':', offsetEnd + 1);
        if (epochEnd < 0 || offset < 1) {
            return null;
        }
        String epoch = text.substring(offsetEnd + 1, epochEnd);
        try {
            return new Envelope(StreamPosition.of(offset, epoch), text.substring(epochEnd + 1));
        } catch (IllegalArgumentException notAnEpoch) {
            return null;
        }
    }
}

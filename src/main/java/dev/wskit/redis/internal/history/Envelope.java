package dev.wskit.redis.internal.history;

import java.util.ArrayList;
import java.util.List;

import dev.wskit.redis.StreamPosition;

/**
 * The message on the wire of a channel with history, as the publish script writes it. Two forms:
 * <ul>
 * <li>{@code w1:<offset>:<epoch>:<payload>}: one message ({@code w1} the version, the offset in decimal digits, the
 * epoch of {@code [A-Za-z0-9_-]}, then the payload as serialized, unchanged);</li>
 * <li>{@code w2:<first>:<epoch>:<count>} followed, per message, by {@code :<length>:<payload>}: {@code count}
 * consecutive messages of the channel (offsets {@code first}, {@code first + 1}, ...) published by one script call,
 * each payload preceded by its length in UTF-8 bytes. Redis then delivers a batch as one message.</li>
 * </ul>
 *
 * @param position the message's position
 * @param payload the message as serialized by the publisher
 */
public record Envelope(StreamPosition position, String payload) {

    static final String PREFIX = "w1:";
    static final String BATCH_PREFIX = "w2:";
    /** The most digits of an offset (below {@code 10^18}, within a {@code long}). */
    private static final int MAX_OFFSET_DIGITS = 18;
    /** The most digits of a payload's length or of a batch's count. */
    private static final int MAX_LENGTH_DIGITS = 10;

    /** Write an envelope (the script does it in Redis; this is for tests and the in-memory implementation). */
    public static String encode(StreamPosition position, String payload) {
        return PREFIX + position.offset() + ":" + position.epoch() + ":" + payload;
    }

    /**
     * Write a batch envelope of consecutive messages (the script does it in Redis; this is for tests).
     *
     * @param first the position of the first message; the others follow it
     */
    static String encodeBatch(StreamPosition first, List<String> payloads) {
        StringBuilder text = new StringBuilder(BATCH_PREFIX).append(first.offset()).append(':').append(first.epoch())
                .append(':').append(payloads.size());
        for (String p : payloads) {
            text.append(':').append(utf8Length(p)).append(':').append(p);
        }
        return text.toString();
    }

    /**
     * Read an envelope of one message.
     *
     * @return the envelope; {@code null} if {@code text} is not one of one message
     */
    public static Envelope decode(String text) {
        List<Envelope> all = decodeAll(text);
        return all != null && all.size() == 1 && text.startsWith(PREFIX) ? all.get(0) : null;
    }

    /**
     * Read an envelope of one message or of a batch.
     *
     * @return the messages, in the order of their offsets; {@code null} if {@code text} is not an envelope
     */
    public static List<Envelope> decodeAll(String text) {
        boolean batch = text.startsWith(BATCH_PREFIX);
        if (!batch && !text.startsWith(PREFIX)) {
            return null;
        }
        int offsetEnd = text.indexOf(':', PREFIX.length());
        long offset = digits(text, PREFIX.length(), offsetEnd, MAX_OFFSET_DIGITS);
        int epochEnd = offsetEnd < 0 ? -1 : text.indexOf(':', offsetEnd + 1);
        if (offset < 1 || epochEnd < 0) {
            return null;
        }
        StreamPosition position;
        try {
            position = StreamPosition.of(offset, text.substring(offsetEnd + 1, epochEnd));
        } catch (IllegalArgumentException notAnEpoch) {
            return null;
        }
        if (!batch) {
            return List.of(new Envelope(position, text.substring(epochEnd + 1)));
        }
        return batch(text, position, epochEnd + 1);
    }

    /** The messages of a batch envelope whose count starts at {@code at}. */
    private static List<Envelope> batch(String text, StreamPosition first, int at) {
        int countEnd = text.indexOf(':', at);
        long count = digits(text, at, countEnd, MAX_LENGTH_DIGITS);
        // every message takes at least 3 characters (":0:"): a count beyond that is not from the script
        if (count < 1 || count > (text.length() - at) / 3) {
            return null;
        }
        List<Envelope> messages = new ArrayList<>((int) count);
        int i = countEnd;
        for (long n = 0; n < count; n++) {
            if (i >= text.length() || text.charAt(i) != ':') {
                return null;
            }
            int lengthEnd = text.indexOf(':', i + 1);
            long length = digits(text, i + 1, lengthEnd, MAX_LENGTH_DIGITS);
            int payloadEnd = length < 0 ? -1 : skipUtf8(text, lengthEnd + 1, length);
            if (payloadEnd < 0) {
                return null;
            }
            messages.add(new Envelope(n == 0 ? first : StreamPosition.of(first.offset() + n, first.epoch()),
                    text.substring(lengthEnd + 1, payloadEnd)));
            i = payloadEnd;
        }
        return i == text.length() ? messages : null;
    }

    /** The decimal number in {@code text[from, to)}; -1 if it is empty, too long or not digits. */
    private static long digits(String text, int from, int to, int maxDigits) {
        if (to <= from || to - from > maxDigits) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * The index in {@code text} after {@code bytes} UTF-8 bytes from {@code from}; -1 if that is past the end or
     * inside a character.
     */
    static int skipUtf8(String text, int from, long bytes) {
        int i = from;
        long left = bytes;
        while (left > 0) {
            if (i >= text.length()) {
                return -1;
            }
            char c = text.charAt(i);
            int size;
            int chars = 1;
            if (c < 0x80) {
                size = 1;
            } else if (c < 0x800) {
                size = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                size = 4;
                chars = 2;
            } else {
                size = 3;
            }
            left -= size;
            i += chars;
        }
        return left == 0 ? i : -1;
    }

    /** The length of {@code s} in UTF-8 bytes (lone surrogates counted as the one byte Java encodes them to). */
    static long utf8Length(String s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}

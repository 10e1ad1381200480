package dev.wskit.redis.internal.websocket.delivery;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;

import dev.wskit.redis.StreamPosition;

/**
 * The text frames a session of a history room receives (protocol version 1, see {@code docs/client-protocol.md}):
 * one JSON object per frame, always starting with {@value #PREFIX}, then {@code "type"} and {@code "room"}, then the
 * fields of its type, in a fixed order.
 *
 * <pre>
 * {"wskit":1,"type":"message","room":"lobby","offset":5,"epoch":"Ab3","data":"hello"}
 * {"wskit":1,"type":"subscribed","room":"lobby","offset":4,"epoch":"Ab3"}
 * {"wskit":1,"type":"recovered","room":"lobby","offset":12,"epoch":"Ab3","replayed":7}
 * {"wskit":1,"type":"not-recovered","room":"lobby","offset":40,"epoch":"Ab3","since":"5:Ab3","reason":"not-in-history"}
 * {"wskit":1,"type":"lost","room":"lobby","offset":40,"epoch":"Ab3","after":"5:Ab3","reason":"not-in-history"}
 * </pre>
 *
 * {@code offset} and {@code epoch} are always the client's position in the room after the frame (the next message
 * has {@code offset + 1}); only a {@code lost} frame whose continuation is not known yet has neither. Strings are
 * JSON-escaped (quote, backslash, control characters, U+2028 and U+2029); {@code data} is the message exactly as
 * published (its serialized text).
 */
public final class HistoryFrames {

    /** How every frame of the protocol starts; a client tells them from plain payloads by it. */
    public static final String PREFIX = "{\"wskit\":1,";

    /** Why messages were not received, as the frames spell it. */
    public enum Reason {
        /** The room's history was reset (a new epoch): nothing of the old one can be read. */
        HISTORY_RESET("history-reset"),
        /** The messages are no longer in the history (trimmed or expired). */
        NOT_IN_HISTORY("not-in-history"),
        /** More messages were missed than the server replays to one session. */
        TOO_FAR_BEHIND("too-far-behind");

        private final String wire;

        Reason(String wire) {
            this.wire = wire;
        }

        /**
         * Return the reason as written in a frame.
         *
         * @return the text, such as {@code history-reset}
         */
        public String wire() {
            return wire;
        }
    }

    private HistoryFrames() {
    }

    /**
     * Return the frame of one message.
     *
     * @param room the room; must not be {@code null}
     * @param position the message's position; must not be {@code null}
     * @param data the message as published; must not be {@code null}
     * @return the frame
     */
    public static String message(String room, StreamPosition position, String data) {
        StringBuilder sb = start("message", room, data.length() + 32);
        position(sb, position);
        sb.append(",\"data\":");
        string(sb, data);
        return sb.append('}').toString();
    }

    /**
     * Return the frame telling a session that joined without a position where the room stands.
     *
     * @param room the room
     * @param position the room's current position
     * @return the frame
     */
    public static String subscribed(String room, StreamPosition position) {
        StringBuilder sb = start("subscribed", room, 16);
        position(sb, position);
        return sb.append('}').toString();
    }

    /**
     * Return the frame telling a resuming session that it received every message it had missed.
     *
     * @param room the room
     * @param position the position reached
     * @param replayed how many messages were sent from the history
     * @return the frame
     */
    public static String recovered(String room, StreamPosition position, long replayed) {
        StringBuilder sb = start("recovered", room, 32);
        position(sb, position);
        return sb.append(",\"replayed\":").append(replayed).append('}').toString();
    }

    /**
     * Return the frame telling a resuming session that messages it missed cannot be sent.
     *
     * @param room the room
     * @param position where the session continues from; must not be {@code null}
     * @param since the position it asked to resume after
     * @param reason why
     * @return the frame
     */
    public static String notRecovered(String room, StreamPosition position, StreamPosition since, Reason reason) {
        StringBuilder sb = start("not-recovered", room, 64);
        position(sb, position);
        sb.append(",\"since\":");
        string(sb, since.toString());
        sb.append(",\"reason\":\"").append(reason.wire()).append('"');
        return sb.append('}').toString();
    }

    /**
     * Return the frame telling a session that messages were lost while it was in the room.
     *
     * @param room the room
     * @param position where the session continues from; {@code null} if not known yet (the next message tells)
     * @param after the position of the last message before the loss; can be {@code null}
     * @param reason why
     * @return the frame
     */
    public static String lost(String room, StreamPosition position, StreamPosition after, Reason reason) {
        StringBuilder sb = start("lost", room, 64);
        if (position != null) {
            position(sb, position);
        }
        sb.append(",\"after\":");
        if (after == null) {
            sb.append("null");
        } else {
            string(sb, after.toString());
        }
        sb.append(",\"reason\":\"").append(reason.wire()).append('"');
        return sb.append('}').toString();
    }

    /**
     * Return the frame telling a session of a plain room (no history) that the instance may have missed messages
     * of the room published between {@code from} and {@code to}: its subscription was not in force then. The
     * instants are written as ISO-8601 UTC with milliseconds, {@code from} rounded down and {@code to} up, so that
     * the window written covers the window known.
     *
     * @param room the room
     * @param from the last moment the subscription was known to be in force
     * @param to when it was confirmed again
     * @param reason why, as written ({@code connection-lost}, {@code resubscribed})
     * @return the frame
     */
    public static String missed(String room, Instant from, Instant to, String reason) {
        StringBuilder sb = start("missed", room, 96);
        Instant floor = from.truncatedTo(ChronoUnit.MILLIS);
        Instant ceiling = to.truncatedTo(ChronoUnit.MILLIS);
        if (ceiling.isBefore(to)) {
            ceiling = ceiling.plusMillis(1);
        }
        sb.append(",\"from\":\"").append(MILLIS.format(floor)).append("\",\"to\":\"").append(MILLIS.format(ceiling))
                .append("\",\"reason\":\"").append(reason).append('"');
        return sb.append('}').toString();
    }

    private static final DateTimeFormatter MILLIS = new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

    private static StringBuilder start(String type, String room, int extra) {
        StringBuilder sb = new StringBuilder(PREFIX.length() + room.length() + extra + 32);
        sb.append(PREFIX).append("\"type\":\"").append(type).append("\",\"room\":");
        string(sb, room);
        return sb;
    }

    private static void position(StringBuilder sb, StreamPosition position) {
        sb.append(",\"offset\":").append(position.offset()).append(",\"epoch\":\"").append(position.epoch())
                .append('"');
    }

    /** Append a JSON string. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String escape = escape(c);
            if (escape != null) {
                sb.append(s, start, i).append(escape);
                start = i + 1;
            }
        }
        sb.append(s, start, s.length()).append('"');
    }

    private static String escape(char c) {
        if (c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029') {
            return null;
        }
        switch (c) {
            case '"':
                return "\\\"";
            case '\\':
                return "\\\\";
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                return String.format("\\u%04x", (int) c);
        }
    }
}

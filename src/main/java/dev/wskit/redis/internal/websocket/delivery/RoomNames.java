package dev.wskit.redis.internal.websocket.delivery;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Confines the room names that come from a client (the path parameters of the default {@code channelsFor}).
 *
 * <p>The Redis channel of a room is {@code namespace + ":" + room}, so a room containing {@code :} could name a
 * channel of another namespace: in room {@code admin:alerts} of an application with namespace {@code ws} a client
 * would reach channel {@code alerts} of an application with namespace {@code ws:admin}. Control and format characters
 * (Unicode categories Cc and Cf: zero-width spaces and joiners, bidirectional overrides, the byte order mark) make a
 * room look like another one. Both are refused; the name is normalized to NFC, so that the composed and decomposed
 * spellings of the same text are the same room.
 */
public final class RoomNames {

    private RoomNames() {
    }

    /**
     * Return a room name from a client as its channel: normalized to NFC, checked.
     *
     * @param room the name; must not be {@code null}
     * @return the normalized name; never {@code null}
     * @throws InvalidRoomException if the name contains {@code :}, a control or format character or an unpaired
     *     surrogate; the message names the character by its code point, never echoing it
     */
    public static String confine(String room) {
        String normalized = Normalizer.normalize(room, Normalizer.Form.NFC);
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            String why = null;
            if (cp == ':') {
                why = "':' (it separates the namespace from the room in the Redis channel)";
            } else {
                int type = Character.getType(cp);
                if (type == Character.CONTROL) {
                    why = codePoint(cp) + " (a control character)";
                } else if (type == Character.FORMAT) {
                    why = codePoint(cp) + " (an invisible format character)";
                } else if (type == Character.SURROGATE) {
                    why = codePoint(cp) + " (an unpaired surrogate)";
                }
            }
            if (why != null) {
                throw new InvalidRoomException("invalid room: it must not contain " + why);
            }
            i += Character.charCount(cp);
        }
        return normalized;
    }

    private static String codePoint(int cp) {
        return String.format(Locale.ROOT, "U+%04X", cp);
    }

    /** A room name from a client that {@link #confine(String)} refused. */
    public static final class InvalidRoomException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        InvalidRoomException(String message) {
            super(message);
        }
    }
}

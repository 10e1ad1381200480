package dev.wskit.redis.internal.websocket.delivery;

import java.nio.charset.StandardCharsets;

import jakarta.websocket.CloseReason;

/**
 * Builds close reasons whose phrase always fits a close frame.
 */
public final class CloseReasons {

    /** The longest reason phrase a close frame carries, in UTF-8 bytes (RFC 6455, section 5.5). */
    public static final int MAX_PHRASE_BYTES = 123;

    private CloseReasons() {
    }

    /**
     * Create a close reason, shortening the phrase to {@value #MAX_PHRASE_BYTES} UTF-8 bytes (ending in "...").
     *
     * @param code the close code; must not be {@code null}
     * @param phrase the reason phrase; can be {@code null} (then empty)
     * @return the close reason; never {@code null}
     */
    public static CloseReason of(CloseReason.CloseCode code, String phrase) {
        return new CloseReason(code, shorten(phrase == null ? "" : phrase));
    }

    /**
     * Shorten a phrase to {@value #MAX_PHRASE_BYTES} UTF-8 bytes, ending in "..." when it was longer.
     *
     * @param phrase the phrase; must not be {@code null}
     * @return the phrase, shortened if needed; never {@code null}
     */
    public static String shorten(String phrase) {
        if (phrase.getBytes(StandardCharsets.UTF_8).length <= MAX_PHRASE_BYTES) {
            return phrase;
        }
        int budget = MAX_PHRASE_BYTES - 3;
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < phrase.length(); ) {
            int cp = phrase.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > budget) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return sb.append("...").toString();
    }
}

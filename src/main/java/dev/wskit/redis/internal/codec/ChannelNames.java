package dev.wskit.redis.internal.codec;

import java.nio.charset.StandardCharsets;

import dev.wskit.redis.internal.support.Masking;


/**
 * Checks channel names and patterns and maps them to and from their namespaced form on the wire.
 *
 * <p>With namespace {@code ws}, channel {@code chat} is {@code ws:chat} in Redis. A channel or pattern must not be
 * empty, must have at most {@value #MAX_LENGTH} characters, must not contain whitespace or control characters and
 * must not start with the namespace prefix. A channel must also not contain the glob characters
 * {@code * ? [ ]}, so that it is never mistaken for a pattern; a pattern may.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ChannelNames {

    /** The longest channel or pattern, without the namespace, {@value}. */
    public static final int MAX_LENGTH = 1024;


    /** The start of the channels the library uses itself, after the namespace's prefix: {@value}. */
    public static final String RESERVED = "__wskit:";

    private final String prefix;
    private final byte[] reservedPrefix;

    /**
     * Create the names of a namespace.
     *
     * @param namespace the namespace, already checked by the options; must not be {@code null}
     * @throws IllegalArgumentException if {@code namespace} is {@code null}
     */
    public ChannelNames(String namespace) {
        if (namespace == null) {
            throw new IllegalArgumentException("namespace must not be null");
        }
        this.prefix = namespace + ":";
        this.reservedPrefix = (prefix + RESERVED).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Return the prefix of every name on the wire: the namespace followed by {@code :}.
     *
     * @return the prefix; never {@code null}
     */
    public String prefix() {
        return prefix;
    }

    /**
     * Check a channel name and return it as sent to Redis.
     *
     * @param channel the channel without the namespace; must be valid
     * @return the namespaced channel; never {@code null}
     * @throws IllegalArgumentException if the channel is not valid; the message names the rule and the value
     */
    public String toWire(String channel) {
        check(channel, "channel", false);
        return prefix.concat(channel);
    }

    /**
     * Check a glob-style pattern and return it as sent to Redis.
     *
     * @param pattern the pattern without the namespace; must be valid
     * @return the namespaced pattern; never {@code null}
     * @throws IllegalArgumentException if the pattern is not valid; the message names the rule and the value
     */
    public String patternToWire(String pattern) {
        check(pattern, "pattern", true);
        return prefix.concat(pattern);
    }

    /**
     * Tell whether a channel received from Redis is one of the library's own ({@code <namespace>:__wskit:...}, such as
     * the loopback canary's), which pattern subscriptions do not deliver.
     *
     * @param wireChannel the channel as received; must not be {@code null}
     * @return {@code true} if it is reserved
     */
    public boolean isReserved(byte[] wireChannel) {
        byte[] reserved = reservedPrefix;
        if (wireChannel.length < reserved.length) {
            return false;
        }
        for (int i = 0; i < reserved.length; i++) {
            if (wireChannel[i] != reserved[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Strip the namespace prefix from a channel received from Redis.
     *
     * @param wireChannel the channel as received; must not be {@code null}
     * @return the channel without the prefix, or {@code wireChannel} unchanged if it lacks the prefix
     */
    public String fromWire(String wireChannel) {
        if (wireChannel.startsWith(prefix)) {
            return wireChannel.substring(prefix.length());
        }
        return wireChannel;
    }

    private void check(String name, String subject, boolean globAllowed) {
        if (name == null) {
            throw new IllegalArgumentException(subject + " must not be null");
        }
        int len = name.length();
        if (len == 0) {
            throw new IllegalArgumentException(subject + " must not be empty, was \"\"");
        }
        if (len > MAX_LENGTH) {
            throw new IllegalArgumentException(subject + " must be at most " + MAX_LENGTH + " characters, was "
                    + Masking.quoteVerbatim(name));
        }
        for (int i = 0; i < len; i++) {
            char c = name.charAt(i);
            if (c > ' ' && c < 0x7f) {
                if (!globAllowed && (c == '*' || c == '?' || c == '[' || c == ']')) {
                    throw new IllegalArgumentException(subject + " must not contain the glob characters * ? [ ], was "
                            + Masking.quoteVerbatim(name) + "; use psubscribe for patterns");
                }
            } else if (c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c)
                    || Character.isISOControl(c)) {
                throw new IllegalArgumentException(subject + " must not contain whitespace or control characters, was "
                        + Masking.quoteVerbatim(name));
            }
        }
        if (name.startsWith(prefix)) {
            throw new IllegalArgumentException(subject + " must not start with the namespace prefix \"" + prefix
                    + "\", was " + Masking.quoteVerbatim(name) + "; pass the " + subject + " without the namespace");
        }
    }
}

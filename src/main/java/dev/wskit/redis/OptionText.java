package dev.wskit.redis;

import java.time.Duration;
import java.util.List;

import dev.wskit.redis.internal.support.Masking;

/**
 * How the options check text and show values in {@link OptionProblem}s and {@code toString()}; every
 * value goes through {@link Masking}, so no secret is shown.
 */
final class OptionText {

    private OptionText() {
    }

    /** Quote a value: masked, escaped, shortened (see {@link Masking#quote(String)}). */
    static String quote(String value) {
        return Masking.quote(value);
    }

    /**
     * Show a list. When an entry may hold credentials (an '@' or a '?'), the list is shown joined with commas and
     * masked as one value: a configuration value holding a URL whose password has a comma is split into entries,
     * and masking each piece alone would show part of the password.
     */
    static String quoteList(List<String> values) {
        if (hasCredentials(values)) {
            return quote(String.join(",", values.stream().map(String::valueOf).toList()));
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(quote(values.get(i)));
        }
        return sb.append(']').toString();
    }

    /** Whether an entry of a host list may hold credentials: an '@' or a '?'. */
    static boolean hasCredentials(List<String> entries) {
        for (String entry : entries) {
            if (entry != null && (entry.indexOf('@') >= 0 || entry.indexOf('?') >= 0)) {
                return true;
            }
        }
        return false;
    }

    /** A duration in milliseconds ({@code 100 ms}), or in ISO form when it has a fraction of a millisecond. */
    static String duration(Duration d) {
        if (d == null) {
            return "null";
        }
        if (d.getNano() % 1_000_000 == 0) {
            try {
                return d.toMillis() + " ms";
            } catch (ArithmeticException e) {
                // too long for milliseconds: fall through to the ISO form
            }
        }
        return d.toString();
    }

    /** {@code host:port}, an IPv6 address in brackets. */
    static String hostPort(String host, int port) {
        if (host.indexOf(':') >= 0) {
            return "[" + host + "]:" + port;
        }
        return host + ":" + port;
    }

    /** Escape text for the rule or hint of a {@link OptionProblem}, where braces name options. */
    static String literal(String text) {
        return text.replace("{", "{{");
    }

    static boolean hasWhitespaceOrControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                if (c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean hasGlob(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']') {
                return true;
            }
        }
        return false;
    }

    static boolean isHostName(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        if (s.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9')
                    || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

package dev.wskit.redis.internal.support;

import java.util.Locale;

/**
 * The one rule by which the library hides secrets in the values it shows: in messages, problems, {@code toString()}s
 * and log lines. Every value of the user's that is echoed goes through {@link #mask(String)} first (before it is
 * quoted or shortened, so that shortening never cuts a mask off).
 *
 * <p>The rule deliberately ignores the value's structure, so that a malformed URL, or a URL given where a host was
 * expected, is masked too:
 * <ul>
 * <li>the <em>user info</em>, everything from the start of the value (or from just after its first {@code ://})
 *     to its <em>last</em> {@code @}, is a secret: it becomes {@code user:***} when it holds a {@code :} (the user
 *     name is kept), else {@code ***} (some clients read {@code redis://secret@host} as a password); taking the last
 *     {@code @} masks a password that itself contains {@code @};</li>
 * <li>in a URL without user info, a {@code :} followed by something other than a port number is taken for a
 *     password given without its {@code @} ({@code redis://user:secret}): what follows it in that host entry becomes
 *     {@code ***}; an entry with several {@code :} (an IPv6 address without brackets) is kept;</li>
 * <li>after the user info, the value of every query parameter ({@code ?name=value&...}) becomes {@code ***}, and a
 *     parameter without {@code =} becomes {@code ***} as a whole;</li>
 * <li>a fragment ({@code #...}) becomes {@code #***}.</li>
 * </ul>
 * For example {@code redis://:p@ss@h:6379} shows as {@code redis://:***@h:6379},
 * {@code redis-sentinel://s1?sentinels=m&password=x} as {@code redis-sentinel://s1?sentinels=***&password=***} and a
 * host {@code user:pw@h} as {@code user:***@h}. Masking a masked value changes nothing.
 *
 * <p>Not API; public for the library's other packages and its demo.
 */
public final class Masking {

    /** What a secret is replaced by. */
    public static final String MASK = "***";

    /** The longest part of a value that {@link #quote(String)} shows. */
    public static final int MAX_ECHO_LENGTH = 64;

    private Masking() {
    }

    /**
     * Mask the secrets of a value by the rule of the class doc. Linear in the length of the value.
     *
     * @param value the value as given; can be {@code null}
     * @return the value with its secrets replaced by {@value #MASK}; {@code null} if {@code value} is
     */
    public static String mask(String value) {
        if (value == null) {
            return null;
        }
        int at = value.lastIndexOf('@');
        int scheme = value.indexOf("://");
        // the user info starts after the scheme, unless the '@' comes first (then nothing before it is trusted)
        int start = scheme >= 0 && scheme + 3 <= at ? scheme + 3 : (at >= 0 ? 0 : (scheme >= 0 ? scheme + 3 : 0));
        StringBuilder sb = new StringBuilder(value.length() + 8);
        int rest;
        if (at >= 0) {
            int colon = value.indexOf(':', start);
            if (colon >= 0 && colon < at) {
                sb.append(value, 0, colon + 1).append(MASK);
            } else {
                sb.append(value, 0, start).append(MASK);
            }
            rest = at;
        } else {
            rest = start;
            sb.append(value, 0, start);
        }
        int query = value.indexOf('?', rest);
        int fragment = value.indexOf('#', rest);
        int hostEnd = query >= 0 && (fragment < 0 || query < fragment) ? query : fragment;
        int end = hostEnd < 0 ? value.length() : hostEnd;
        if (at < 0 && scheme >= 0) {
            maskPorts(sb, value, rest, end);
        } else {
            sb.append(value, rest, end);
        }
        if (hostEnd < 0) {
            return sb.toString();
        }
        if (hostEnd == query) {
            int queryEnd = fragment > query ? fragment : value.length();
            sb.append('?');
            maskQuery(sb, value, query + 1, queryEnd);
            if (queryEnd < value.length()) {
                sb.append('#').append(MASK);
            }
        } else {
            sb.append('#').append(MASK);
        }
        return sb.toString();
    }

    /**
     * Append the hosts and path of a URL without user info, each comma-separated host entry's port masked unless it
     * is a number: {@code user:secret} would otherwise show a password written without its {@code @}.
     */
    private static void maskPorts(StringBuilder sb, String value, int from, int to) {
        int path = value.indexOf('/', from);
        int hostsEnd = path >= 0 && path < to ? path : to;
        int i = from;
        while (i <= hostsEnd) {
            int comma = value.indexOf(',', i);
            int entryEnd = comma < 0 || comma > hostsEnd ? hostsEnd : comma;
            int colon = -1;
            int colons = 0;
            for (int j = i; j < entryEnd; j++) {
                if (value.charAt(j) == ':') {
                    colon = colons == 0 ? j : colon;
                    colons++;
                }
            }
            if (value.startsWith("[", i)) {
                // [IPv6]:port: only the part after the bracket can be a port
                int close = i;
                while (close < entryEnd && value.charAt(close) != ']') {
                    close++;
                }
                colons = 0;
                colon = -1;
                if (close + 1 < entryEnd && value.charAt(close + 1) == ':') {
                    colon = close + 1;
                    colons = 1;
                }
            }
            if (colons == 1 && !isDigits(value, colon + 1, entryEnd)) {
                sb.append(value, i, colon + 1).append(MASK);
            } else {
                sb.append(value, i, entryEnd);
            }
            if (entryEnd >= hostsEnd) {
                break;
            }
            sb.append(',');
            i = entryEnd + 1;
        }
        sb.append(value, hostsEnd, to);
    }

    private static boolean isDigits(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static void maskQuery(StringBuilder sb, String value, int from, int to) {
        int i = from;
        while (true) {
            int end = i;
            int eq = -1;
            while (end < to && value.charAt(end) != '&') {
                if (eq < 0 && value.charAt(end) == '=') {
                    eq = end;
                }
                end++;
            }
            if (eq >= 0) {
                sb.append(value, i, eq + 1);
                if (eq + 1 < end) {
                    sb.append(MASK);
                }
            } else if (end > i) {
                sb.append(MASK);
            }
            if (end >= to) {
                return;
            }
            sb.append('&');
            i = end + 1;
        }
    }

    /**
     * Show a value in a message: its secrets masked by {@link #mask(String)}, then quoted and {@linkplain
     * #escape(String) escaped}, and cut after {@value #MAX_ECHO_LENGTH} characters with the full length said:
     * {@code "a\"b"}, {@code "xxxx..."... (300 characters)}.
     *
     * @param value the value as given; can be {@code null}
     * @return the value quoted; {@code null} (unquoted) if {@code value} is {@code null}
     */
    public static String quote(String value) {
        return value == null ? "null" : quoteVerbatim(mask(value));
    }

    /**
     * Show a value that holds no secret (a channel name, a payload) in a message: quoted and {@linkplain
     * #escape(String) escaped}, and cut after {@value #MAX_ECHO_LENGTH} characters with the full length said, like
     * {@link #quote(String)} but not masked.
     *
     * @param s the value; can be {@code null}
     * @return the value quoted; {@code null} (unquoted) if {@code s} is {@code null}
     */
    public static String quoteVerbatim(String s) {
        if (s == null) {
            return "null";
        }
        boolean cut = s.length() > MAX_ECHO_LENGTH;
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_ECHO_LENGTH) + 24).append('"');
        appendEscaped(sb, cut ? s.substring(0, MAX_ECHO_LENGTH) : s);
        sb.append('"');
        if (cut) {
            sb.append("... (").append(s.length()).append(" characters)");
        }
        return sb.toString();
    }

    /**
     * Show a URL in a message, unquoted: its secrets masked by {@link #mask(String)}, then {@linkplain
     * #escape(String) escaped}.
     *
     * @param url the URL as given; can be {@code null}
     * @return the URL masked; {@code null} (unquoted) if {@code url} is {@code null}
     */
    public static String maskUrl(String url) {
        return url == null ? "null" : escape(mask(url));
    }

    /**
     * Escape text for a message: {@code "} and {@code \} with a backslash, line breaks and tabs as {@code \n},
     * {@code \r}, {@code \t}, other control characters as a Java unicode escape (a backslash, {@code u} and four
     * hex digits). Does not mask.
     *
     * @param text the text; must not be {@code null}
     * @return the text escaped; never {@code null}
     */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        appendEscaped(sb, text);
        return sb.toString();
    }

    private static void appendEscaped(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
    }
}

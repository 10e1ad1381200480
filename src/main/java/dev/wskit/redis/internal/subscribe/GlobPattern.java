package dev.wskit.redis.internal.subscribe;

import java.nio.charset.StandardCharsets;

/**
 * Redis's glob-style matching ({@code stringmatchlen} in Redis's {@code util.c}), as {@code PSUBSCRIBE} applies it
 * to channel names: {@code *} any sequence, {@code ?} one byte, {@code [abc]}, {@code [^abc]}, {@code [a-z]} (bounds
 * in either order), {@code \} escapes the next character, inside brackets too. Like Redis it works on the UTF-8
 * bytes ({@code ?} matches one byte), is case-sensitive, and compares bytes as signed values in ranges, as Redis
 * built for x86-64 does (this only matters for ranges over non-ASCII bytes).
 *
 * <p>Immutable and thread-safe.
 */
public final class GlobPattern {

    /** Redis gives up (no match) beyond this depth of {@code *} nesting. */
    private static final int MAX_NESTING = 1000;

    private final String pattern;
    private final byte[] bytes;

    /**
     * Compile a pattern.
     *
     * @param pattern the pattern as Redis receives it (namespace included); must not be {@code null}
     */
    public GlobPattern(String pattern) {
        this.pattern = pattern;
        this.bytes = pattern.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Tell whether a channel matches, as Redis would decide for a {@code PSUBSCRIBE} of this pattern.
     *
     * @param channel the channel as published (namespace included); must not be {@code null}
     * @return {@code true} if it matches
     */
    public boolean matches(String channel) {
        byte[] s = channel.getBytes(StandardCharsets.UTF_8);
        return match(bytes, 0, bytes.length, s, 0, s.length, new boolean[1], 0);
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static byte at(byte[] a, int i, int end) {
        // C strings end with NUL: Redis reads that terminator at some edges
        return i < end ? a[i] : 0;
    }

    private static boolean match(byte[] p, int pi, int pl, byte[] s, int si, int sl, boolean[] skipLonger,
            int nesting) {
        int pend = pi + pl;
        if (nesting > MAX_NESTING) {
            return false;
        }
        while (pl > 0 && sl > 0) {
            switch (p[pi]) {
                case '*' -> {
                    while (pl > 0 && at(p, pi + 1, pend) == '*') {
                        pi++;
                        pl--;
                    }
                    if (pl == 1) {
                        return true;
                    }
                    while (sl > 0) {
                        if (match(p, pi + 1, pl - 1, s, si, sl, skipLonger, nesting + 1)) {
                            return true;
                        }
                        if (skipLonger[0]) {
                            return false;
                        }
                        si++;
                        sl--;
                    }
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> {
                    si++;
                    sl--;
                }
                case '[' -> {
                    int classEnd = matchClass(p, pi + 1, pend, s[si]);
                    if (classEnd < 0) {
                        return false;
                    }
                    pi = classEnd;
                    pl = pend - classEnd;
                    si++;
                    sl--;
                }
                default -> {
                    if (p[pi] == '\\' && pl >= 2) {
                        pi++;
                        pl--;
                    }
                    if (p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                    sl--;
                }
            }
            pi++;
            pl--;
            if (sl == 0) {
                while (at(p, pi, pend) == '*') {
                    pi++;
                    pl--;
                }
                break;
            }
        }
        return pl == 0 && sl == 0;
    }

    /**
     * Match one byte against the character class that starts at {@code pi} (after its {@code [}).
     *
     * @return the index of the class's closing {@code ]} (or of the pattern's last byte when it has none) if
     *         {@code c} is in the class, else that index negated minus one
     */
    private static int matchClass(byte[] p, int pi, int pend, byte c) {
        int pl = pend - pi;
        boolean not = at(p, pi, pend) == '^';
        if (not) {
            pi++;
            pl--;
        }
        boolean match = false;
        while (true) {
            if (at(p, pi, pend) == '\\' && pl >= 2) {
                pi++;
                pl--;
                if (p[pi] == c) {
                    match = true;
                }
            } else if (at(p, pi, pend) == ']') {
                break;
            } else if (pl == 0) {
                pi--;
                pl++;
                break;
            } else if (pl >= 3 && p[pi + 1] == '-') {
                int start = p[pi];
                int end = p[pi + 2];
                if (start > end) {
                    int t = start;
                    start = end;
                    end = t;
                }
                pi += 2;
                pl -= 2;
                if (c >= start && c <= end) {
                    match = true;
                }
            } else if (p[pi] == c) {
                match = true;
            }
            pi++;
            pl--;
        }
        return match != not ? pi : -pi - 1;
    }
}

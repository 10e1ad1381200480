package dev.wskit.redis.internal.codec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON reader into plain Java values, so that receiving messages needs no JSON-B.
 *
 * <p>Objects become unmodifiable {@code Map<String, Object>} in document order (the last of duplicate keys wins),
 * arrays unmodifiable {@code List<Object>}, numbers {@link BigDecimal}, strings {@code String}, {@code true} and
 * {@code false} {@link Boolean}, and {@code null} {@code null}. Any text that is not exactly one JSON value (with
 * optional surrounding whitespace) yields {@link #NOT_JSON}. Nesting deeper than {@link #MAX_DEPTH} also yields
 * {@link #NOT_JSON}, which bounds the recursion whatever the input.
 *
 * <p>The input comes from anyone who can publish to Redis, so the work is linear in its length whatever it holds. A
 * number longer than {@link #MAX_NUMBER_LENGTH} characters, or with an exponent beyond &plusmn;{@link #MAX_EXPONENT},
 * also yields {@link #NOT_JSON}: the {@link BigDecimal} constructor is quadratic in the number of digits (400,000
 * digits took seconds), and a huge exponent makes a valid {@code BigDecimal} whose {@code intValue()} or
 * {@code toBigInteger()} never finishes. The scan stops at the cap, so a longer number costs no more than the cap.
 *
 * <p>Thread-safe: {@link #parse(String)} keeps its state in a fresh parser per call.
 *
 * @since 0.1
 */
public final class Json {

    /** The value {@link #parse(String)} returns for text that is not JSON; compare with {@code ==}. */
    public static final Object NOT_JSON = new Object() {
        @Override
        public String toString() {
            return "NOT_JSON";
        }
    };

    /** The deepest nesting of objects and arrays that is read, {@value}. */
    public static final int MAX_DEPTH = 512;

    /** The longest number that is read, in characters (sign, digits, point and exponent), {@value}. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /** The largest exponent, in absolute value, of a number that is read ({@code 1e1000}), {@value}. */
    public static final int MAX_EXPONENT = 1000;

    /** Thrown to unwind on the first error; shared, without stack trace, so that failing is cheap. */
    private static final RuntimeException FAIL = new RuntimeException("not JSON", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    private final String s;
    private final int len;
    private int pos;

    private Json(String s) {
        this.s = s;
        this.len = s.length();
    }

    /**
     * Parse a JSON text.
     *
     * @param text the text; can be {@code null} (then {@link #NOT_JSON})
     * @return the value, which can be {@code null} for the JSON literal {@code null}, or {@link #NOT_JSON}
     */
    public static Object parse(String text) {
        if (text == null) {
            return NOT_JSON;
        }
        Json parser = new Json(text);
        try {
            Object value = parser.value(0);
            parser.skipWhitespace();
            return parser.pos == parser.len ? value : NOT_JSON;
        } catch (RuntimeException e) {
            // FAIL, or a BigDecimal exponent beyond int range
            return NOT_JSON;
        }
    }

    private Object value(int depth) {
        skipWhitespace();
        if (pos >= len) {
            throw FAIL;
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                pos++;
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw FAIL;
        }
    }

    private Map<String, Object> object(int depth) {
        if (depth > MAX_DEPTH) {
            throw FAIL;
        }
        pos++;
        skipWhitespace();
        if (pos < len && s.charAt(pos) == '}') {
            pos++;
            return Collections.emptyMap();
        }
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            skipWhitespace();
            expect('"');
            String key = string();
            skipWhitespace();
            expect(':');
            map.put(key, value(depth));
            skipWhitespace();
            if (pos >= len) {
                throw FAIL;
            }
            char c = s.charAt(pos++);
            if (c == '}') {
                return Collections.unmodifiableMap(map);
            }
            if (c != ',') {
                throw FAIL;
            }
        }
    }

    private List<Object> array(int depth) {
        if (depth > MAX_DEPTH) {
            throw FAIL;
        }
        pos++;
        skipWhitespace();
        if (pos < len && s.charAt(pos) == ']') {
            pos++;
            return Collections.emptyList();
        }
        List<Object> list = new ArrayList<>();
        while (true) {
            list.add(value(depth));
            skipWhitespace();
            if (pos >= len) {
                throw FAIL;
            }
            char c = s.charAt(pos++);
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                throw FAIL;
            }
        }
    }

    /** Read a string whose opening quote was consumed. */
    private String string() {
        int start = pos;
        for (int i = start; i < len; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return s.substring(start, i);
            }
            if (c == '\\') {
                return escapedString(start, i);
            }
            if (c < 0x20) {
                throw FAIL;
            }
        }
        throw FAIL;
    }

    private String escapedString(int start, int firstEscape) {
        StringBuilder sb = new StringBuilder(firstEscape - start + 16);
        sb.append(s, start, firstEscape);
        int i = firstEscape;
        while (i < len) {
            char c = s.charAt(i++);
            if (c == '"') {
                pos = i;
                return sb.toString();
            }
            if (c < 0x20) {
                throw FAIL;
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= len) {
                throw FAIL;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    sb.append(e);
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    // a surrogate pair arrives as two \\u escapes, which append to a valid pair of chars
                    sb.append(hex4(i));
                    i += 4;
                    break;
                default:
                    throw FAIL;
            }
        }
        throw FAIL;
    }

    private char hex4(int at) {
        if (at + 4 > len) {
            throw FAIL;
        }
        int v = 0;
        for (int i = at; i < at + 4; i++) {
            char c = s.charAt(i);
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                throw FAIL;
            }
            v = (v << 4) | d;
        }
        return (char) v;
    }

    private BigDecimal number() {
        int start = pos;
        // every scan below stops at this limit, so a longer number is rejected after at most the cap
        int limit = Math.min(len, start + MAX_NUMBER_LENGTH + 1);
        if (s.charAt(pos) == '-') {
            pos++;
        }
        if (pos >= limit) {
            throw FAIL;
        }
        char c = s.charAt(pos);
        if (c == '0') {
            pos++;
        } else if (c >= '1' && c <= '9') {
            skipDigits(limit);
        } else {
            throw FAIL;
        }
        if (pos < limit && s.charAt(pos) == '.') {
            pos++;
            requireDigits(limit);
        }
        if (pos < limit && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            pos++;
            if (pos < limit && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            int digits = pos;
            requireDigits(limit);
            int exponent = 0;
            for (int i = digits; i < pos; i++) {
                exponent = exponent * 10 + (s.charAt(i) - '0');
                if (exponent > MAX_EXPONENT) {
                    throw FAIL;
                }
            }
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw FAIL;
        }
        // at most MAX_NUMBER_LENGTH characters: the constructor's cost is bounded by a constant
        return new BigDecimal(s.substring(start, pos));
    }

    private void requireDigits(int limit) {
        int start = pos;
        skipDigits(limit);
        if (pos == start) {
            throw FAIL;
        }
    }

    private void skipDigits(int limit) {
        while (pos < limit) {
            char c = s.charAt(pos);
            if (c < '0' || c > '9') {
                return;
            }
            pos++;
        }
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) {
            throw FAIL;
        }
        pos += word.length();
    }

    private void expect(char c) {
        if (pos >= len || s.charAt(pos) != c) {
            throw FAIL;
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < len) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }
}

package dev.wskit.redis.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JsonTest {

    private static Object parse(String text) {
        return Json.parse(text);
    }

    private static void assertNotJson(String... texts) {
        for (String text : texts) {
            assertThat(parse(text)).as("%s", text).isSameAs(Json.NOT_JSON);
        }
    }

    // literals

    @Test
    void literals() {
        assertThat(parse("true")).isEqualTo(Boolean.TRUE);
        assertThat(parse("false")).isEqualTo(Boolean.FALSE);
        assertThat(parse("null")).isNull();
    }

    @Test
    void misspelledOrTruncatedLiteralsAreNotJson() {
        assertNotJson("tru", "True", "nul", "NULL", "falsey", "truex", "nullnull", "t");
    }

    // numbers

    @Test
    void numbersBecomeBigDecimals() {
        assertThat(parse("0")).isEqualTo(new BigDecimal("0"));
        assertThat(parse("-0")).isEqualTo(new BigDecimal("0"));
        assertThat(parse("42")).isEqualTo(new BigDecimal("42"));
        assertThat(parse("-17")).isEqualTo(new BigDecimal("-17"));
        assertThat(parse("123.456")).isEqualTo(new BigDecimal("123.456"));
        assertThat(parse("-0.5e10")).isEqualTo(new BigDecimal("-0.5e10"));
        assertThat(parse("1E+2")).isEqualTo(new BigDecimal("1E+2"));
        assertThat(parse("1e-2")).isEqualTo(new BigDecimal("0.01"));
        assertThat(parse("0.0")).isEqualTo(new BigDecimal("0.0"));
    }

    @Test
    void numbersKeepTheirFullPrecision() {
        assertThat(parse("123456789012345678901234567890.123456789"))
                .isEqualTo(new BigDecimal("123456789012345678901234567890.123456789"));
        assertThat(parse("1.10")).isEqualTo(new BigDecimal("1.10"));
    }

    @Test
    void numbersOutsideTheGrammarAreNotJson() {
        assertNotJson("01", "-01", "00", "-", "1.", ".5", "+1", "1e", "1e+", "1E-", "0x10", "NaN", "Infinity",
                "-Infinity", "1.5.2", "1e5e5", "--1", "- 1", "1_000", "١");
    }

    @Test
    void exponentBeyondBigDecimalRangeIsNotJsonInsteadOfThrowing() {
        assertNotJson("1e99999999999", "[1e-99999999999]");
    }

    // numbers from a hostile publisher: bounded length and exponent, so that parsing stays linear

    @Test
    void numbersUpToTheLengthCapAreRead() {
        String longest = "1".repeat(1000);

        assertThat(parse(longest)).isEqualTo(new BigDecimal(longest));
        assertThat(parse("-0." + "5".repeat(997))).isEqualTo(new BigDecimal("-0." + "5".repeat(997)));
    }

    @Test
    void numbersLongerThanTheCapAreNotJson() {
        assertNotJson("1".repeat(1001), "-" + "1".repeat(1000), "0." + "1".repeat(999), "1e" + "0".repeat(999),
                "[" + "1".repeat(1001) + "]", "{\"a\":" + "1".repeat(1001) + "}");
    }

    @Test
    void aNumberBombIsNotJson() {
        // 400,000 digits took seconds with the BigDecimal constructor, which is quadratic in the digits
        String bomb = "1".repeat(400_000);

        assertNotJson(bomb, "[" + bomb + "]", "0." + bomb, "1e" + bomb, "[1," + bomb + "]");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard, not a measurement: the quadratic parse took hours
    void aTenMegabyteNumberIsNotJson() {
        // the scan stops at the cap and the digits are never converted
        assertNotJson("9".repeat(10 * 1024 * 1024));
    }

    @Test
    void manyNumbersWithinTheCapAreAllRead() {
        // the cap is per number: a large array of ordinary numbers is still JSON
        String item = "1".repeat(999);
        String text = "[" + String.join(",", Collections.nCopies(2000, item)) + "]";

        assertThat((List<?>) parse(text)).hasSize(2000);
    }

    @Test
    void exponentsUpToTheCapAreRead() {
        assertThat(parse("1e1000")).isEqualTo(new BigDecimal("1e1000"));
        assertThat(parse("1E-1000")).isEqualTo(new BigDecimal("1e-1000"));
        assertThat(parse("1e+0001000")).isEqualTo(new BigDecimal("1e1000"));
    }

    @Test
    void exponentsBeyondTheCapAreNotJson() {
        // 1e2000000000 is a valid BigDecimal whose intValue() or toBigInteger() never finishes
        assertNotJson("1e1001", "1e-1001", "-2.5E+999999", "1e2000000000", "[1e1001]");
    }

    // strings

    @Test
    void simpleString() {
        assertThat(parse("\"hello\"")).isEqualTo("hello");
        assertThat(parse("\"\"")).isEqualTo("");
    }

    @Test
    void allEscapes() {
        assertThat(parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"")).isEqualTo("\" \\ / \b \f \n \r \t");
    }

    @Test
    void textAroundEscapesIsKept() {
        assertThat(parse("\"ab\\ncd\\tef\"")).isEqualTo("ab\ncd\tef");
    }

    @Test
    void unicodeEscapes() {
        assertThat(parse("\"caf\\u00e9\"")).isEqualTo("café");
        assertThat(parse("\"\\u00E9\\u00c9\"")).isEqualTo("éÉ");
        assertThat(parse("\"\\u0000\"")).isEqualTo("\u0000");
    }

    @Test
    void surrogatePairEscapesFormOneCodePoint() {
        Object value = parse("\"\\uD83D\\uDE00!\"");

        assertThat(value).isEqualTo("😀!");
        assertThat(((String) value).codePointAt(0)).isEqualTo(0x1F600);
        assertThat(((String) value).codePointCount(0, ((String) value).length())).isEqualTo(2);
    }

    @Test
    void rawNonAsciiIsKept() {
        assertThat(parse("\"grüße 😀 日本\"")).isEqualTo("grüße 😀 日本");
    }

    @Test
    void badEscapesAreNotJson() {
        assertNotJson("\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\u\"", "\"\\", "\"\\'\"", "\"\\U00e9\"",
                "\"\\u١٢٣٤\"");
    }

    @Test
    void unescapedControlCharactersInStringsAreNotJson() {
        assertNotJson("\"a\nb\"", "\"a\tb\"", "\"\u0000\"", "\"x\\n\u001f\"");
    }

    @Test
    void unterminatedStringsAreNotJson() {
        assertNotJson("\"abc", "\"abc\\\"", "\"");
    }

    @Test
    void singleQuotesAreNotJson() {
        assertNotJson("'a'", "{'a':1}");
    }

    // arrays and objects

    @Test
    void arrays() {
        assertThat(parse("[]")).isEqualTo(List.of());
        assertThat(parse("[1,\"a\",true,null,[],{}]"))
                .isEqualTo(Arrays.asList(new BigDecimal("1"), "a", true, null, List.of(), Map.of()));
    }

    @Test
    void objectsKeepDocumentOrder() {
        Object value = parse("{\"z\":1,\"a\":2,\"m\":3}");

        assertThat(value).isInstanceOf(Map.class);
        assertThat(List.copyOf(((Map<?, ?>) value).keySet())).isEqualTo(List.of("z", "a", "m"));
    }

    @Test
    void nestedObjects() {
        Object value = parse("{\"user\":{\"name\":\"ann\",\"tags\":[\"a\",\"b\"]},\"n\":null}");

        assertThat(value).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) value;
        assertThat(map).hasSize(2);
        assertThat(map.get("user")).isEqualTo(Map.of("name", "ann", "tags", List.of("a", "b")));
        assertThat(map.containsKey("n")).isTrue();
        assertThat(map.get("n")).isNull();
    }

    @Test
    void lastDuplicateKeyWins() {
        assertThat(parse("{\"a\":1,\"a\":2}")).isEqualTo(Map.of("a", new BigDecimal("2")));
    }

    @Test
    void keysWithEscapes() {
        assertThat(parse("{\"a\\\"b\":1}")).isEqualTo(Map.of("a\"b", new BigDecimal("1")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void resultsAreUnmodifiable() {
        Map<?, ?> map = (Map<?, ?>) parse("{\"a\":[1]}");
        List<?> list = (List<?>) map.get("a");

        assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(list::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((Map<String, Object>) parse("{}")).put("a", 1))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<Object>) parse("[]")).add(1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void malformedContainersAreNotJson() {
        assertNotJson("[", "]", "{", "}", "[1,]", "[,1]", "[1 2]", "{\"a\":1,}", "{\"a\"1}", "{\"a\":}",
                "{a:1}", "{1:1}", "{\"a\":1 \"b\":2}", "[1}", "{\"a\":1]", "{,}", "[[]", "{\"a\"");
    }

    // whitespace and trailing text

    @Test
    void jsonWhitespaceIsAllowedEverywhereBetweenTokens() {
        assertThat(parse(" \t\n\r[ 1 ,\n2\t]\r\n ")).isEqualTo(List.of(new BigDecimal("1"), new BigDecimal("2")));
        assertThat(parse("{ \"a\" : 1 , \"b\" : [ ] }"))
                .isEqualTo(Map.of("a", new BigDecimal("1"), "b", List.of()));
    }

    @Test
    void otherWhitespaceIsNotJson() {
        assertNotJson("\f1", "1\u00a0", "\u2028[]", "\u000b1");
    }

    @Test
    void trailingGarbageIsNotJson() {
        assertNotJson("[1]x", "{} {}", "1 2", "\"a\"b", "123abc", "null,", "true false", "[1]]");
    }

    @Test
    void emptyAndNullTextAreNotJson() {
        assertNotJson("", "   ", null);
    }

    // nesting

    @Test
    void nestingUpToTheLimitIsRead() {
        String text = "[".repeat(Json.MAX_DEPTH) + "1" + "]".repeat(Json.MAX_DEPTH);

        Object value = parse(text);

        for (int i = 0; i < Json.MAX_DEPTH; i++) {
            assertThat(value).isInstanceOf(List.class);
            value = ((List<?>) value).get(0);
        }
        assertThat(value).isEqualTo(new BigDecimal("1"));
    }

    @Test
    void nestingBeyondTheLimitIsNotJson() {
        assertNotJson("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1));
        assertNotJson("{\"a\":".repeat(Json.MAX_DEPTH + 1) + "1" + "}".repeat(Json.MAX_DEPTH + 1));
    }

    @Test
    void veryDeepNestingDoesNotOverflowTheStack() {
        assertNotJson("[".repeat(100_000), "[".repeat(100_000) + "]".repeat(100_000));
    }
}

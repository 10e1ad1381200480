package dev.wskit.redis.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.bind.Jsonb;

import org.junit.jupiter.api.Test;

import dev.wskit.redis.RedisPubSubException;

class DefaultCodecTest {

    private final DefaultCodec codec = DefaultCodec.INSTANCE;

    /** A message type for the JSON-B rows; public so that JSON-B can read and create it. */
    public record Chat(String user, String text) {
    }

    /** A bean whose getter fails, so that JSON-B cannot serialize it. */
    public static final class Broken {

        /**
         * Fail.
         *
         * @return never
         */
        public String getValue() {
            throw new IllegalStateException("boom");
        }
    }

    // serialization

    @Test
    void stringIsPublishedUnchanged() {
        String message = "{\"looks\":\"like json\"}";

        assertThat(codec.serialize(message)).isSameAs(message);
        assertThat(codec.serialize("")).isEmpty();
        assertThat(codec.serialize("null")).isEqualTo("null");
    }

    @Test
    void nullIsTheJsonLiteral() {
        assertThat(codec.serialize(null)).isEqualTo("null");
    }

    @Test
    void booleansAreJsonLiterals() {
        assertThat(codec.serialize(true)).isEqualTo("true");
        assertThat(codec.serialize(Boolean.FALSE)).isEqualTo("false");
    }

    @Test
    void integralNumbersAreJsonNumbers() {
        assertThat(codec.serialize(42)).isEqualTo("42");
        assertThat(codec.serialize(-42L)).isEqualTo("-42");
        assertThat(codec.serialize((short) 7)).isEqualTo("7");
        assertThat(codec.serialize((byte) -1)).isEqualTo("-1");
        assertThat(codec.serialize(Long.MAX_VALUE)).isEqualTo("9223372036854775807");
        assertThat(codec.serialize(new BigInteger("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890");
    }

    @Test
    void decimalNumbersAreJsonNumbers() {
        assertThat(codec.serialize(1.5)).isEqualTo("1.5");
        assertThat(codec.serialize(0.1f)).isEqualTo("0.1");
        assertThat(codec.serialize(-0.0)).isEqualTo("-0.0");
        assertThat(codec.serialize(new BigDecimal("1.10"))).isEqualTo("1.10");
        assertThat(Json.parse(codec.serialize(1.0e20))).isEqualTo(new BigDecimal("1.0E20"));
        assertThat(Json.parse(codec.serialize(1.0e-7f))).isInstanceOf(BigDecimal.class);
    }

    @Test
    void nonFiniteNumbersAreRejected() {
        for (Object message : new Object[] {Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> codec.serialize(message))
                    .isInstanceOf(RedisPubSubException.class)
                    .hasMessage("message must be a finite number to be serialized as JSON, was " + message
                            + "; publish a String or set serializeMessage")
                    .hasCauseInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void mapIsJson() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("user", "ann");
        message.put("text", "hello");
        message.put("n", 3);

        assertThat(codec.serialize(message)).isEqualTo("{\"user\":\"ann\",\"text\":\"hello\",\"n\":3}");
    }

    @Test
    void listIsJson() {
        assertThat(codec.serialize(List.of(1, "a", true))).isEqualTo("[1,\"a\",true]");
    }

    @Test
    void arrayIsJson() {
        assertThat(codec.serialize(new int[] {1, 2, 3})).isEqualTo("[1,2,3]");
        assertThat(codec.serialize(new String[] {"a", "b"})).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void recordIsJson() {
        String payload = codec.serialize(new Chat("ann", "hi \"there\""));

        assertThat(codec.deserialize(payload)).isEqualTo(Map.of("user", "ann", "text", "hi \"there\""));
    }

    @Test
    void objectThatJsonbCannotSerializeIsARedisPubSubExceptionWithCause() {
        assertThatThrownBy(() -> codec.serialize(new Broken()))
                .isInstanceOf(RedisPubSubException.class)
                .hasMessageStartingWith("message cannot be serialized as JSON by JSON-B, was an instance of "
                        + Broken.class.getName() + ": ")
                .hasMessageEndingWith("; publish a String, or set serializeMessage")
                .hasCauseInstanceOf(RuntimeException.class);
    }

    @Test
    void byteArrayIsBase64() {
        byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff};

        assertThat(codec.serialize(bytes)).isEqualTo("AAEC/v8=");
        assertThat(codec.serialize(new byte[0])).isEmpty();
    }

    @Test
    void byteBufferIsBase64OfItsRemainingBytesAndItsPositionDoesNotMove() {
        ByteBuffer buffer = ByteBuffer.wrap("xxhelloyy".getBytes(StandardCharsets.US_ASCII));
        buffer.position(2).limit(7);

        assertThat(codec.serialize(buffer)).isEqualTo("aGVsbG8=");
        assertThat(buffer.position()).isEqualTo(2);
        assertThat(buffer.limit()).isEqualTo(7);
    }

    @Test
    void directAndReadOnlyByteBuffersAreBase64() {
        ByteBuffer direct = ByteBuffer.allocateDirect(5);
        direct.put("hello".getBytes(StandardCharsets.US_ASCII)).flip();

        assertThat(codec.serialize(direct)).isEqualTo("aGVsbG8=");
        assertThat(direct.remaining()).isEqualTo(5);
        assertThat(codec.serialize(direct.asReadOnlyBuffer())).isEqualTo("aGVsbG8=");
    }

    // deserialization

    @Test
    void jsonObjectBecomesAnOrderedMap() {
        Object message = codec.deserialize("{\"user\":\"ann\",\"n\":1,\"tags\":[\"a\"],\"ok\":true,\"x\":null}");

        assertThat(message).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) message;
        assertThat(List.copyOf(map.keySet())).isEqualTo(List.of("user", "n", "tags", "ok", "x"));
        assertThat(map.get("user")).isEqualTo("ann");
        assertThat(map.get("n")).isEqualTo(new BigDecimal("1"));
        assertThat(map.get("tags")).isEqualTo(List.of("a"));
        assertThat(map.get("ok")).isEqualTo(true);
        assertThat(map.get("x")).isNull();
    }

    @Test
    void jsonArrayBecomesAList() {
        assertThat(codec.deserialize("[1,\"two\",null]")).isEqualTo(Arrays.asList(new BigDecimal("1"), "two", null));
    }

    @Test
    void jsonNumbersBecomeBigDecimals() {
        assertThat(codec.deserialize("42")).isEqualTo(new BigDecimal("42"));
        assertThat(codec.deserialize("-0.5e10")).isEqualTo(new BigDecimal("-0.5e10"));
    }

    @Test
    void jsonStringsAndLiteralsAreParsed() {
        assertThat(codec.deserialize("\"quoted\"")).isEqualTo("quoted");
        assertThat(codec.deserialize("true")).isEqualTo(Boolean.TRUE);
        assertThat(codec.deserialize("false")).isEqualTo(Boolean.FALSE);
        assertThat(codec.deserialize("null")).isNull();
    }

    @Test
    void jsonWithSurroundingWhitespaceIsParsed() {
        assertThat(codec.deserialize("  \n{\"a\":1}\r\n")).isEqualTo(Map.of("a", new BigDecimal("1")));
    }

    @Test
    void anythingElseIsTheOriginalString() {
        for (String payload : new String[] {"hello", "{broken", "123abc", "", "   ", "nothing", "trueish",
                "[1,2", "'single'", "AAEC/v8=", "-", "ws:chat"}) {
            assertThat(codec.deserialize(payload)).as("%s", payload).isSameAs(payload);
        }
    }

    @Test
    void aNumberBombArrivesAsTheOriginalString() {
        String bomb = "1".repeat(400_000);

        assertThat(DefaultCodec.INSTANCE.deserialize(bomb)).isSameAs(bomb);
        assertThat(DefaultCodec.INSTANCE.deserialize("[" + bomb + "]")).isEqualTo("[" + bomb + "]");
        assertThat(DefaultCodec.INSTANCE.deserialize("1e999999")).isEqualTo("1e999999");
    }

    @Test
    void nullPayloadIsNull() {
        assertThat(codec.deserialize(null)).isNull();
    }

    @Test
    void deepNestingIsTheOriginalStringWithoutThrowing() {
        String payload = "[".repeat(100_000);

        assertThat(codec.deserialize(payload)).isSameAs(payload);
        String closed = payload + "]".repeat(100_000);
        assertThat(codec.deserialize(closed)).isSameAs(closed);
    }

    @Test
    void tenMegabyteStringRoundTrips() {
        String big = "x".repeat(10 * 1024 * 1024);

        String payload = codec.serialize(big);

        assertThat(payload).isSameAs(big);
        assertThat(codec.deserialize(payload)).isSameAs(big);
        assertThat(codec.convert(payload, String.class)).isSameAs(big);
    }

    @Test
    void tenMegabyteJsonStringIsParsed() {
        String content = "ab\\n".repeat(1024 * 1024) + "y".repeat(6 * 1024 * 1024);
        String payload = "\"" + content + "\"";

        Object message = codec.deserialize(payload);

        assertThat(message).isInstanceOf(String.class);
        assertThat((String) message).hasSize(3 * 1024 * 1024 + 6 * 1024 * 1024).startsWith("ab\nab\n");
    }

    @Test
    void tenMegabyteJsonArrayIsParsed() {
        int n = 1024 * 1024;
        String payload = "[" + "\"abcdefgh\",".repeat(n - 1) + "\"abcdefgh\"]";

        Object message = codec.deserialize(payload);

        assertThat(message).isInstanceOf(List.class);
        assertThat((List<?>) message).hasSize(n);
    }

    @Test
    void byteArrayRoundTripsThroughBase64() {
        byte[] bytes = new byte[1000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }

        assertThat(codec.convert(codec.serialize(bytes), byte[].class)).isEqualTo(bytes);
    }

    @Test
    void mapRoundTripsWithNumbersAsBigDecimals() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("text", "hé \"q\" \n 😀");
        message.put("n", 12);
        message.put("list", List.of(1.5, false));

        assertThat(codec.deserialize(codec.serialize(message))).isEqualTo(Map.of(
                "text", "hé \"q\" \n 😀",
                "n", new BigDecimal("12"),
                "list", List.of(new BigDecimal("1.5"), false)));
    }

    // convert

    @Test
    void convertToStringIsThePayloadItself() {
        String payload = "{\"a\":1}";

        assertThat(codec.convert(payload, String.class)).isSameAs(payload);
    }

    @Test
    void convertToByteArrayDecodesBase64() {
        assertThat(codec.convert("aGVsbG8=", byte[].class)).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void convertInvalidBase64IsAnIllegalArgumentException() {
        assertThatThrownBy(() -> codec.convert("not base64!", byte[].class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("payload must be base64 to be converted to byte[], was \"not base64!\"")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void convertToObjectDeserializes() {
        assertThat(codec.convert("[1]", Object.class)).isEqualTo(List.of(new BigDecimal("1")));
        assertThat(codec.convert("hello", Object.class)).isEqualTo("hello");
    }

    @Test
    void convertToRecordUsesJsonb() {
        assertThat(codec.convert("{\"user\":\"ann\",\"text\":\"hi\"}", Chat.class)).isEqualTo(new Chat("ann", "hi"));
    }

    @Test
    void convertToOtherTypesUsesJsonb() {
        assertThat(codec.convert("5", Integer.class)).isEqualTo(5);
        Object map = codec.convert("{\"a\":\"b\"}", Map.class);

        assertThat(map).isEqualTo(Map.of("a", "b"));
    }

    @Test
    void convertFailureIsARedisPubSubExceptionWithCause() {
        assertThatThrownBy(() -> codec.convert("{broken", Chat.class))
                .isInstanceOf(RedisPubSubException.class)
                .hasMessageStartingWith("payload cannot be converted to " + Chat.class.getName()
                        + " by JSON-B, was \"{broken\": ")
                .hasCauseInstanceOf(RuntimeException.class);
    }

    @Test
    void convertNullTypeIsRejected() {
        assertThatThrownBy(() -> codec.convert("x", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("type must not be null");
    }

    // without JSON-B

    @Test
    void withoutJsonbApiTheCodecStillWorksForStringsAndNamesTheMissingProvider() throws Exception {
        try (URLClassLoader loader = isolatedLoader(false)) {
            Object isolated = isolatedCodec(loader);

            assertThat(invoke(isolated, "serialize", "hello")).isEqualTo("hello");
            assertThat(invoke(isolated, "serialize", 42)).isEqualTo("42");
            assertThat(invoke(isolated, "deserialize", "{\"a\":1}")).isEqualTo(Map.of("a", new BigDecimal("1")));
            Throwable failure = failureOf(isolated, "serialize", new HashMap<>(Map.of("a", 1)));
            assertThat(failure.getClass().getName()).isEqualTo(RedisPubSubException.class.getName());
            assertThat(failure).hasMessage("JSON-B is needed to serialize java.util.HashMap but no JSON-B provider"
                    + " is on the class path; add org.eclipse:yasson, or publish Strings, or set serializeMessage");
            assertThat(failure.getCause()).isInstanceOf(LinkageError.class);
        }
    }

    @Test
    void withoutJsonbProviderSerializingAnObjectNamesTheMissingProvider() throws Exception {
        try (URLClassLoader loader = isolatedLoader(true)) {
            Object isolated = isolatedCodec(loader);

            Throwable failure = failureOf(isolated, "serialize", List.of(1));
            assertThat(failure.getClass().getName()).isEqualTo(RedisPubSubException.class.getName());
            assertThat(failure).hasMessage("JSON-B is needed to serialize " + List.of(1).getClass().getName()
                    + " but no JSON-B provider is on the class path; add org.eclipse:yasson, or publish Strings,"
                    + " or set serializeMessage");
        }
    }

    @Test
    void withoutJsonbProviderConvertingToARecordNamesTheMissingProvider() throws Exception {
        try (URLClassLoader loader = isolatedLoader(true)) {
            Object isolated = isolatedCodec(loader);
            Method convert = isolated.getClass().getMethod("convert", String.class, Class.class);

            assertThat(convert.invoke(isolated, "abc", String.class)).isEqualTo("abc");
            Throwable failure = catchInvocation(
                    () -> withContextLoader(loader, () -> convert.invoke(isolated, "{}", Chat.class)));
            assertThat(failure).hasMessage("JSON-B is needed to convert messages to " + Chat.class.getName()
                    + " but no JSON-B provider is on the class path; add org.eclipse:yasson, or subscribe with"
                    + " String.class or Object.class");
        }
    }

    @Test
    void jsonbProviderOfAnotherClassLoaderIsReportedAsNotCreated() throws Exception {
        try (URLClassLoader loader = isolatedLoader(true)) {
            Object isolated = isolatedCodec(loader);
            Method serialize = isolated.getClass().getMethod("serialize", Object.class);

            // the context loader is the test's: its yasson implements the other loader's JSON-B API
            Throwable failure = catchInvocation(() -> serialize.invoke(isolated, List.of(1)));

            assertThat(failure.getClass().getName()).isEqualTo(RedisPubSubException.class.getName());
            assertThat(failure.getMessage())
                    .startsWith("JSON-B is needed to serialize " + List.of(1).getClass().getName()
                            + " but could not be created: ")
                    .endsWith("; check the JSON-B provider on the class path, or publish Strings, or set"
                            + " serializeMessage");
        }
    }

    @Test
    void failedJsonbCreationIsTriedAgainOnTheNextUse() throws Exception {
        URL[] urls = {
            DefaultCodec.class.getProtectionDomain().getCodeSource().getLocation(),
            Jsonb.class.getProtectionDomain().getCodeSource().getLocation(),
            locationOf("org.eclipse.yasson.JsonBindingProvider"),
            locationOf("jakarta.json.Json"),
            locationOf("org.eclipse.parsson.JsonProviderImpl"),
        };
        try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Object isolated = isolatedCodec(loader);
            Method serialize = isolated.getClass().getMethod("serialize", Object.class);

            // first with the test's context loader, whose yasson does not fit the isolated JSON-B API
            Throwable failure = catchInvocation(() -> serialize.invoke(isolated, List.of(1)));
            assertThat(failure.getMessage()).contains("could not be created");

            assertThat(withContextLoader(loader, () -> serialize.invoke(isolated, List.of(1)))).isEqualTo("[1]");
            // created once: later uses need no context loader
            assertThat(serialize.invoke(isolated, List.of(2))).isEqualTo("[2]");
        }
    }

    private static URL locationOf(String className) throws ClassNotFoundException {
        return Class.forName(className).getProtectionDomain().getCodeSource().getLocation();
    }

    /** A loader of the library's classes alone (and optionally the JSON-B API), without a JSON-B provider. */
    private static URLClassLoader isolatedLoader(boolean withJsonbApi) {
        URL classes = DefaultCodec.class.getProtectionDomain().getCodeSource().getLocation();
        URL[] urls = withJsonbApi
                ? new URL[] {classes, Jsonb.class.getProtectionDomain().getCodeSource().getLocation()}
                : new URL[] {classes};
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }

    private static Object isolatedCodec(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> type = Class.forName(DefaultCodec.class.getName(), true, loader);
        assertThat(type).isNotSameAs(DefaultCodec.class);
        return type.getField("INSTANCE").get(null);
    }

    private static Object invoke(Object target, String name, Object argument) throws Exception {
        Method method = target.getClass().getMethod(name, name.equals("serialize") ? Object.class : String.class);
        return withContextLoader(target.getClass().getClassLoader(), () -> method.invoke(target, argument));
    }

    private static Throwable failureOf(Object target, String name, Object argument) {
        return catchInvocation(() -> invoke(target, name, argument));
    }

    private static Throwable catchInvocation(ThrowingCall call) {
        try {
            call.call();
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no exception");
    }

    /** JSON-B looks up its provider through the context class loader: hide the test's yasson from it. */
    private static Object withContextLoader(ClassLoader loader, ThrowingCall call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @FunctionalInterface
    private interface ThrowingCall {
        Object call() throws Exception;
    }
}

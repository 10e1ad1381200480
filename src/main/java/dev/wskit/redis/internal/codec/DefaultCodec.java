package dev.wskit.redis.internal.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.ServiceConfigurationError;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import dev.wskit.redis.MessageDeserializer;
import dev.wskit.redis.MessageSerializer;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.internal.support.Masking;

/**
 * The default {@link MessageSerializer} and {@link MessageDeserializer}, and the converter of typed subscriptions.
 *
 * <p>Serialization (the payload is the wire format, without any wrapper):
 * <table>
 * <caption>Serialization</caption>
 * <tr><th>Message</th><th>Payload</th></tr>
 * <tr><td>{@code String}</td><td>unchanged</td></tr>
 * <tr><td>{@code byte[]}</td><td>standard base64</td></tr>
 * <tr><td>{@code ByteBuffer}</td><td>standard base64 of its remaining bytes; its position does not move</td></tr>
 * <tr><td>{@code null}</td><td>{@code null}</td></tr>
 * <tr><td>{@code Boolean}, {@code Integer}, {@code Long}, {@code Short}, {@code Byte}, {@code BigInteger},
 *     {@code BigDecimal}, finite {@code Double} and {@code Float}</td><td>JSON number or literal, without
 *     JSON-B</td></tr>
 * <tr><td>anything else: maps, collections, arrays, records, beans</td><td>JSON with JSON-B</td></tr>
 * </table>
 *
 * <p>Deserialization reads JSON with {@link Json}, without JSON-B: objects become {@code Map<String, Object>},
 * arrays {@code List<Object>}, numbers {@code BigDecimal}; any payload that is not JSON is passed through as the
 * original {@code String}. So a published {@code String} that happens to be JSON text ({@code "42"},
 * {@code "true"}, {@code "null"}) is received parsed, as with the original library.
 *
 * <p>JSON-B is only needed for the last row of the table and for typed subscriptions to types other than
 * {@code String}, {@code byte[]} and {@code Object}. It is created once, on first use, with
 * {@link JsonbBuilder#create()}. This class loads and works without JSON-B on the class path.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class DefaultCodec implements MessageSerializer, MessageDeserializer {

    /** The one instance. */
    public static final DefaultCodec INSTANCE = new DefaultCodec();


    private DefaultCodec() {
    }

    /**
     * Serialize a message according to the table of this class.
     *
     * @param message the message; can be {@code null}
     * @return the payload; never {@code null}
     * @throws RedisPubSubException if the message is a non-finite number, JSON-B is missing or JSON-B fails
     */
    @Override
    public String serialize(Object message) {
        if (message == null) {
            return "null";
        }
        if (message instanceof String) {
            return (String) message;
        }
        if (message instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) message);
        }
        if (message instanceof ByteBuffer) {
            // duplicate: encoding consumes the buffer, the caller's position must not move
            ByteBuffer encoded = Base64.getEncoder().encode(((ByteBuffer) message).duplicate());
            return StandardCharsets.ISO_8859_1.decode(encoded).toString();
        }
        if (message instanceof Boolean || message instanceof Integer || message instanceof Long
                || message instanceof Short || message instanceof Byte || message instanceof BigInteger
                || message instanceof BigDecimal) {
            return message.toString();
        }
        if (message instanceof Double || message instanceof Float) {
            double d = ((Number) message).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new RedisPubSubException("message must be a finite number to be serialized as JSON, was "
                        + message + "; publish a String or set serializeMessage",
                        new IllegalArgumentException(message + " is not representable in JSON"));
            }
            return message.toString();
        }
        return toJson(message);
    }

    /**
     * Deserialize a payload: JSON text into plain Java values, anything else into the payload itself.
     *
     * @param payload the payload; can be {@code null} (then {@code null})
     * @return the parsed value or the payload; can be {@code null} (the JSON literal {@code null})
     */
    @Override
    public Object deserialize(String payload) {
        if (payload == null) {
            return null;
        }
        int len = payload.length();
        int i = 0;
        while (i < len) {
            char c = payload.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            i++;
        }
        if (i == len) {
            return payload;
        }
        char c = payload.charAt(i);
        if (c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f'
                || c == 'n') {
            Object value = Json.parse(payload);
            if (value != Json.NOT_JSON) {
                return value;
            }
        }
        return payload;
    }

    /**
     * Convert a payload to a type for a typed subscription: {@code String} is the payload itself, {@code byte[]}
     * its base64 decoding, {@code Object} the result of {@link #deserialize(String)}, and any other type is read
     * from JSON with JSON-B.
     *
     * @param payload the payload; must not be {@code null}
     * @param type the type; must not be {@code null}
     * @param <T> the type
     * @return the converted payload; can be {@code null} (JSON {@code null} read by JSON-B)
     * @throws IllegalArgumentException if {@code type} is {@code null}, or the payload is not base64 for
     *         {@code byte[]}
     * @throws RedisPubSubException if JSON-B is missing or cannot convert the payload
     */
    @SuppressWarnings("unchecked")
    public <T> T convert(String payload, Class<T> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null");
        }
        if (type == String.class) {
            return (T) payload;
        }
        if (type == byte[].class) {
            try {
                return (T) Base64.getDecoder().decode(payload);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("payload must be base64 to be converted to byte[], was "
                        + Masking.quoteVerbatim(payload), e);
            }
        }
        if (type == Object.class) {
            return (T) deserialize(payload);
        }
        return fromJson(payload, type);
    }

    private static String toJson(Object message) {
        String what = "serialize " + message.getClass().getName();
        String hint = "publish Strings, or set serializeMessage";
        try {
            return Binding.jsonb().toJson(message);
        } catch (CreationFailure e) {
            throw unavailable(what, hint, e.getCause());
        } catch (LinkageError | ServiceConfigurationError e) {
            throw unavailable(what, hint, e);
        } catch (RuntimeException e) {
            throw new RedisPubSubException("message cannot be serialized as JSON by JSON-B, was an instance of "
                    + message.getClass().getName() + ": " + e.getMessage()
                    + "; publish a String, or set serializeMessage", e);
        }
    }

    private static <T> T fromJson(String payload, Class<T> type) {
        String what = "convert messages to " + type.getName();
        String hint = "subscribe with String.class or Object.class";
        try {
            return Binding.jsonb().fromJson(payload, type);
        } catch (CreationFailure e) {
            throw unavailable(what, hint, e.getCause());
        } catch (LinkageError | ServiceConfigurationError e) {
            throw unavailable(what, hint, e);
        } catch (RuntimeException e) {
            throw new RedisPubSubException("payload cannot be converted to " + type.getName() + " by JSON-B, was "
                    + Masking.quoteVerbatim(payload) + ": " + e.getMessage(), e);
        }
    }

    private static RedisPubSubException unavailable(String what, String hint, Throwable failure) {
        String text = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (failure instanceof LinkageError || text.contains("not found")) {
            return new RedisPubSubException("JSON-B is needed to " + what
                    + " but no JSON-B provider is on the class path; add org.eclipse:yasson, or " + hint, failure);
        }
        return new RedisPubSubException("JSON-B is needed to " + what + " but could not be created: "
                + failure.getMessage() + "; check the JSON-B provider on the class path, or " + hint, failure);
    }

    /** Carries a failure to create the {@link Jsonb}, to tell it apart from a failure to (de)serialize. */
    private static final class CreationFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        CreationFailure(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /**
     * Holds the one {@link Jsonb}, created on first use. {@link DefaultCodec} reaches JSON-B only through it, so
     * that it loads and works without JSON-B on the class path.
     */
    private static final class Binding {

        private static volatile Jsonb jsonb;

        private Binding() {
        }

        /**
         * Return the one Jsonb, creating it on first use. A failed creation is not cached but tried again on the
         * next use: it may depend on the calling thread's context class loader, through which JSON-B finds its
         * provider.
         */
        static Jsonb jsonb() {
            Jsonb result = jsonb;
            if (result == null) {
                synchronized (Binding.class) {
                    result = jsonb;
                    if (result == null) {
                        try {
                            result = JsonbBuilder.create();
                        } catch (RuntimeException | LinkageError | ServiceConfigurationError e) {
                            // ServiceConfigurationError: a provider of another class loader, as in app servers
                            throw new CreationFailure(e);
                        }
                        jsonb = result;
                    }
                }
            }
            return result;
        }
    }
}

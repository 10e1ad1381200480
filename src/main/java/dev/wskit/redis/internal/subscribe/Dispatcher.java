package dev.wskit.redis.internal.subscribe;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

import dev.wskit.redis.MessageDeserializer;
import dev.wskit.redis.MessageSerializer;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.internal.codec.DefaultCodec;
import dev.wskit.redis.internal.support.ThrottledLog;

/**
 * The codec path every {@code RedisPubSub} implementation shares, so that the in-memory one
 * ({@link LocalPubSub}) serializes, deserializes, converts and isolates handlers exactly as the Redis one: a message
 * is serialized to the payload ({@link #serialize}); a received payload is deserialized once for the untyped
 * handlers, passed raw to {@code String.class} handlers and converted by {@link DefaultCodec#convert} for the other
 * typed ones ({@link #dispatch}). Malformed messages and throwing handlers are counted, logged (throttled) and
 * reported, and never reach the caller.
 *
 * <p>Thread-safe.
 */
public final class Dispatcher {

    private static final Object NOT_DECODED = new Object();
    /** What {@link #convert} returns for a payload it could not convert. */
    public static final Object MALFORMED = new Object();

    private final MessageDeserializer deserializer;
    private final ThrottledLog messageLog;
    private final Runnable onMalformed;
    private final Runnable onHandlerFailed;
    private final Consumer<RedisPubSubException> onError;
    private final long maxPayloadBytes;

    /**
     * @param deserializer the configured deserializer, for untyped handlers
     * @param messageLog where malformed messages and handler failures are logged
     * @param onMalformed counts a malformed message
     * @param onHandlerFailed counts a handler that threw
     * @param onError reports an error to the {@code onError} option
     * @param maxPayloadBytes a larger payload is malformed: counted, reported and dropped
     */
    public Dispatcher(MessageDeserializer deserializer, ThrottledLog messageLog, Runnable onMalformed,
            Runnable onHandlerFailed, Consumer<RedisPubSubException> onError, long maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.deserializer = deserializer;
        this.messageLog = messageLog;
        this.onMalformed = onMalformed;
        this.onHandlerFailed = onHandlerFailed;
        this.onError = onError;
    }

    /**
     * Serialize a message with the configured serializer, as {@code publish} does.
     *
     * @return the payload; never {@code null}
     * @throws RedisPubSubException if the serializer threw or returned {@code null}
     */
    public static String serialize(MessageSerializer serializer, String channel, Object message) {
        try {
            String payload = serializer.serialize(message);
            if (payload == null) {
                throw new RedisPubSubException("serializeMessage returned null");
            }
            return payload;
        } catch (RuntimeException e) {
            throw e instanceof RedisPubSubException r ? r
                    : new RedisPubSubException("message for channel " + channel + " cannot be serialized: " + e, e);
        }
    }

    /** Hand one received message to the handlers of a channel or pattern. */
    public void dispatch(ChannelEntry entry, String channel, byte[] payloadBytes) {
        if (payloadBytes.length > maxPayloadBytes) {
            // neither decoded nor handed on (to WebSocket sessions, say): counted and dropped
            malformed(channel, new String(payloadBytes, 0, Math.min(64, payloadBytes.length), StandardCharsets.UTF_8), "is larger than"
                    + " maxReceivedMessageBytes (" + payloadBytes.length + " bytes, at most " + maxPayloadBytes + ")",
                    null);
            return;
        }
        String payload = new String(payloadBytes, StandardCharsets.UTF_8);
        if (!isUtf8(payload, payloadBytes)) {
            // counted and dropped rather than delivered silently changed (every handler would see U+FFFD)
            malformed(channel, payload, "is not valid UTF-8", null);
            return;
        }
        Object decoded = NOT_DECODED;
        for (HandlerRef handler : entry.handlers) {
            Object message;
            if (handler.type == null) {
                if (decoded == NOT_DECODED) {
                    decoded = decode(channel, payload);
                }
                message = decoded;
            } else {
                message = convert(channel, payload, handler.type);
            }
            if (message == MALFORMED) {
                continue;
            }
            try {
                handler.invoke(channel, message);
            } catch (Throwable t) {
                handlerFailed(channel, t);
            }
        }
    }

    /**
     * Convert a received payload for a handler of {@code type} as {@link #dispatch} does: {@code String.class} gets
     * it unchanged, {@code null} and {@code Object.class} the configured deserializer's result, any other type
     * {@link DefaultCodec#convert}.
     *
     * @return the message; {@link #MALFORMED} if it cannot be converted (counted, logged and reported)
     */
    public Object convert(String channel, String payload, Class<?> type) {
        if (type == String.class) {
            return payload;
        }
        if (type == null || type == Object.class) {
            return decode(channel, payload);
        }
        try {
            return DefaultCodec.INSTANCE.convert(payload, type);
        } catch (Throwable t) {
            malformed(channel, payload, "cannot be converted to " + type.getName(), t);
            return MALFORMED;
        }
    }

    /** Count, log (throttled) and report a handler that threw. */
    public void handlerFailed(String channel, Throwable t) {
        onHandlerFailed.run();
        RedisPubSubException error = new RedisPubSubException(
                "a message handler for channel " + channel + " threw " + t, t);
        messageLog.failureWithStack(error.getMessage() + "; the other handlers still ran", t);
        onError.accept(error);
    }

    private Object decode(String channel, String payload) {
        try {
            return deserializer.deserialize(payload);
        } catch (Throwable t) {
            malformed(channel, payload, "cannot be deserialized", t);
            return MALFORMED;
        }
    }

    /** Count, log (throttled) and report a message that is dropped. */
    public void malformed(String channel, String payload, String problem, Throwable t) {
        onMalformed.run();
        RedisPubSubException error = new RedisPubSubException("a message on channel " + escaped(channel, 128) + " "
                + problem + ", was " + escaped(payload, 64) + "; it was dropped", t);
        messageLog.failureWithStack(error.getMessage(), t);
        onError.accept(error);
    }

    /**
     * Tell whether {@code bytes}, decoded into {@code decoded} by {@code new String(bytes, UTF_8)}, were valid UTF-8.
     * The decoder replaces every malformed sequence (a stray byte, an overlong form, an encoded surrogate) with
     * U+FFFD, so the strict check only runs when that character is present: the common case costs one scan.
     */
    static boolean isUtf8(String decoded, byte[] bytes) {
        if (decoded.indexOf('\ufffd') < 0) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Quote text from Redis for a log line: at most {@code max} characters, control characters escaped, so that a
     * payload cannot forge log lines.
     */
    private static String escaped(String text, int max) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max) + 32).append('"');
        int end = Math.min(text.length(), max);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (Character.isISOControl(c)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        if (text.length() > max) {
            sb.append("...(").append(text.length()).append(" chars)");
        }
        return sb.toString();
    }
}

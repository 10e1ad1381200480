package dev.wskit.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import dev.wskit.redis.MessageDeserializer;
import dev.wskit.redis.MessageSerializer;
import dev.wskit.redis.RedisPubSubException;

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
final class Dispatcher {

    private static final Object NOT_DECODED = new Object();
    private static final Object MALFORMED = new Object();

    private final MessageDeserializer deserializer;
    private final ThrottledLog messageLog;
    private final Runnable onMalformed;
    private final Runnable onHandlerFailed;
    private final Consumer<RedisPubSubException> onError;

    /**
     * @param deserializer the configured deserializer, for untyped handlers
     * @param messageLog where malformed messages and handler failures are logged
     * @param onMalformed counts a malformed message
     * @param onHandlerFailed counts a handler that threw
     * @param onError reports an error to the {@code onError} option
     */
    Dispatcher(MessageDeserializer deserializer, ThrottledLog messageLog, Runnable onMalformed,
            Runnable onHandlerFailed, Consumer<RedisPubSubException> onError) {
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
    static String serialize(MessageSerializer serializer, String channel, Object message) {
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
    void dispatch(ChannelEntry entry, String channel, byte[] payloadBytes) {
        String payload = new String(payloadBytes, StandardCharsets.UTF_8);
        Object decoded = NOT_DECODED;
        for (HandlerRef handler : entry.handlers) {
            Object message;
            if (handler.type == null) {
                if (decoded == NOT_DECODED) {
                    decoded = decode(channel, payload);
                }
                if (decoded == MALFORMED) {
                    continue;
                }
                message = decoded;
            } else if (handler.type == String.class) {
                message = payload;
            } else {
                try {
                    message = DefaultCodec.INSTANCE.convert(payload, handler.type);
                } catch (Throwable t) {
                    malformed(channel, payload, "cannot be converted to " + handler.type.getName(), t);
                    continue;
                }
            }
            try {
                handler.invoke(channel, message);
            } catch (Throwable t) {
                onHandlerFailed.run();
                RedisPubSubException error = new RedisPubSubException(
                        "a message handler for channel " + channel + " threw " + t, t);
                messageLog.failureWithStack(error.getMessage() + "; the other handlers still ran", t);
                onError.accept(error);
            }
        }
    }

    private Object decode(String channel, String payload) {
        try {
            return deserializer.deserialize(payload);
        } catch (Throwable t) {
            malformed(channel, payload, "cannot be deserialized", t);
            return MALFORMED;
        }
    }

    private void malformed(String channel, String payload, String problem, Throwable t) {
        onMalformed.run();
        String excerpt = payload.length() > 64 ? payload.substring(0, 64) + "...(" + payload.length() + " chars)"
                : payload;
        RedisPubSubException error = new RedisPubSubException(
                "a message on channel " + channel + " " + problem + ", was \"" + excerpt + "\"; it was dropped", t);
        messageLog.failureWithStack(error.getMessage(), t);
        onError.accept(error);
    }
}

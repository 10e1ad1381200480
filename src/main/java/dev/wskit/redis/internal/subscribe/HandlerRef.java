package dev.wskit.redis.internal.subscribe;

import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.TypedMessageHandler;

/**
 * One registered handler: the user's object (its identity is what {@code unsubscribe} matches) and the type its
 * messages are converted to ({@code null} = the configured deserializer).
 */
public final class HandlerRef {

    final Object identity;
    final Class<?> type;
    private final MessageHandler untyped;
    private final TypedMessageHandler<Object> typed;

    private HandlerRef(Object identity, Class<?> type, MessageHandler untyped, TypedMessageHandler<Object> typed) {
        this.identity = identity;
        this.type = type;
        this.untyped = untyped;
        this.typed = typed;
    }

    public static HandlerRef untyped(MessageHandler handler) {
        return new HandlerRef(handler, null, handler, null);
    }

    @SuppressWarnings("unchecked")
    public static HandlerRef typed(Class<?> type, TypedMessageHandler<?> handler) {
        return new HandlerRef(handler, type, null, (TypedMessageHandler<Object>) handler);
    }

    /**
     * Whether this is the registration of {@code handler} with {@code type}: {@code type} is {@code null} for an
     * untyped handler, which matches only an untyped registration.
     */
    public boolean matches(Object handler, Class<?> type) {
        return identity == handler && this.type == type;
    }

    void invoke(String channel, Object message) {
        if (untyped != null) {
            untyped.onMessage(channel, message);
        } else {
            typed.onMessage(channel, message);
        }
    }
}

package dev.wskit.redis.internal.subscribe;

import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.SubscriptionGap;
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
    /** The library's own handler: history subscriptions and the canary recover or judge losses by themselves. */
    final boolean internal;

    private HandlerRef(Object identity, Class<?> type, MessageHandler untyped, TypedMessageHandler<Object> typed,
            boolean internal) {
        this.identity = identity;
        this.internal = internal;
        this.type = type;
        this.untyped = untyped;
        this.typed = typed;
    }

    public static HandlerRef untyped(MessageHandler handler) {
        return new HandlerRef(handler, null, handler, null, false);
    }

    @SuppressWarnings("unchecked")
    public static HandlerRef typed(Class<?> type, TypedMessageHandler<?> handler) {
        return new HandlerRef(handler, type, null, (TypedMessageHandler<Object>) handler, false);
    }

    /** A typed handler of the library itself (a history subscription's, the canary's): told of no gap. */
    @SuppressWarnings("unchecked")
    public static HandlerRef internal(Class<?> type, TypedMessageHandler<?> handler) {
        return new HandlerRef(handler, type, null, (TypedMessageHandler<Object>) handler, true);
    }

    /** Whether this is the library's own handler (not told of gaps). */
    public boolean isInternal() {
        return internal;
    }

    /**
     * Whether this is the registration of {@code handler} with {@code type}: {@code type} is {@code null} for an
     * untyped handler, which matches only an untyped registration.
     */
    public boolean matches(Object handler, Class<?> type) {
        return identity == handler && this.type == type;
    }

    /** Tell the handler of a gap; user code, on the callback thread. */
    void gap(SubscriptionGap gap) {
        if (internal) {
            return;
        }
        if (untyped != null) {
            untyped.onGap(gap);
        } else {
            typed.onGap(gap);
        }
    }

    void invoke(String channel, Object message) {
        if (untyped != null) {
            untyped.onMessage(channel, message);
        } else {
            typed.onMessage(channel, message);
        }
    }
}

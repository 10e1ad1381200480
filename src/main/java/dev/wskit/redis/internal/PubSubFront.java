package dev.wskit.redis.internal;

import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.TypedMessageHandler;
import dev.wskit.redis.internal.codec.ChannelNames;
import dev.wskit.redis.internal.subscribe.HandlerRef;
import dev.wskit.redis.internal.subscribe.Dispatcher;
import dev.wskit.redis.internal.history.HistoryDispatcher;
import dev.wskit.redis.internal.history.HistoryStore;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.TypedMessageHandler;
import java.util.function.Supplier;

/**
 * What the two {@link RedisPubSub} implementations ({@link RedisPubSubImpl} over Redis, {@link LocalPubSub} in
 * memory) share at their front: the checks of the arguments, the channel and pattern names on the wire, and the one
 * way each subscribe and unsubscribe method maps onto {@link #register} and {@link #remove}. So both reject the same
 * calls with the same messages, which the contract tests rely on.
 */
abstract class PubSubFront implements RedisPubSub {

    /** The namespace's channel naming. */
    final ChannelNames names;
    private final boolean sharded;

    /**
     * @param names the channel naming of the namespace
     * @param sharded whether pub/sub is sharded (then patterns are refused)
     */
    PubSubFront(ChannelNames names, boolean sharded) {
        this.names = names;
        this.sharded = sharded;
    }

    /** The failure of a publish after {@code destroy()}. */
    static RedisPubSubException publishAfterDestroy() {
        return new RedisPubSubException("publish rejected: RedisPubSub was destroyed",
                new IllegalStateException("RedisPubSub was destroyed"));
    }

    /**
     * What the history dispatcher uses of an implementation: its subscriptions for the raw messages, its channel
     * names and codec, and the store of the histories.
     */
    final HistoryDispatcher.Host historyHost(HistoryStore store, Supplier<Dispatcher> dispatcher) {
        return new HistoryDispatcher.Host() {
            @Override
            public Subscription subscribeRaw(String channel, TypedMessageHandler<String> handler) {
                // internal: a history subscription recovers what it missed, it is told of no subscription gap
                return register(names.toWire(channel), channel, false, HandlerRef.internal(String.class, handler));
            }

            @Override
            public HistoryStore store() {
                return store;
            }

            @Override
            public String toWire(String channel) {
                return names.toWire(channel);
            }

            @Override
            public Dispatcher dispatcher() {
                return dispatcher.get();
            }
        };
    }

    /** Whether pub/sub is sharded. */
    final boolean sharded() {
        return sharded;
    }

    /**
     * Add a handler to a channel or pattern, on the wire as {@code wire}.
     *
     * @throws IllegalStateException after destroy
     */
    abstract Subscription register(String wire, String name, boolean pattern, HandlerRef handler);

    /**
     * Remove the handler registered as {@code identity} with {@code type} ({@code null} for an untyped handler) from
     * a channel or pattern; nothing if it is not there.
     */
    abstract void remove(String wire, boolean pattern, Object identity, Class<?> type);

    @Override
    public final Subscription subscribe(String channel, MessageHandler handler) {
        requireHandler(handler);
        return register(names.toWire(channel), channel, false, HandlerRef.untyped(handler));
    }

    @Override
    public final <T> Subscription subscribe(String channel, Class<T> type, TypedMessageHandler<? super T> handler) {
        requireHandler(handler);
        requireType(type);
        return register(names.toWire(channel), channel, false, HandlerRef.typed(type, handler));
    }

    @Override
    public final Subscription psubscribe(String pattern, MessageHandler handler) {
        requireHandler(handler);
        requirePatterns();
        return register(names.patternToWire(pattern), pattern, true, HandlerRef.untyped(handler));
    }

    @Override
    public final <T> Subscription psubscribe(String pattern, Class<T> type, TypedMessageHandler<? super T> handler) {
        requireHandler(handler);
        requireType(type);
        requirePatterns();
        return register(names.patternToWire(pattern), pattern, true, HandlerRef.typed(type, handler));
    }

    @Override
    public final void unsubscribe(String channel, MessageHandler handler) {
        String wire = names.toWire(channel);
        requireHandler(handler);
        remove(wire, false, handler, null);
    }

    @Override
    public final <T> void unsubscribe(String channel, Class<T> type, TypedMessageHandler<? super T> handler) {
        String wire = names.toWire(channel);
        requireHandler(handler);
        requireType(type);
        remove(wire, false, handler, type);
    }

    @Override
    public final void punsubscribe(String pattern, MessageHandler handler) {
        String wire = names.patternToWire(pattern);
        requireHandler(handler);
        remove(wire, true, handler, null);
    }

    @Override
    public final <T> void punsubscribe(String pattern, Class<T> type, TypedMessageHandler<? super T> handler) {
        String wire = names.patternToWire(pattern);
        requireHandler(handler);
        requireType(type);
        remove(wire, true, handler, type);
    }

    private void requirePatterns() {
        if (sharded) {
            throw new IllegalStateException("psubscribe is not available with sharded pub/sub: Redis has no sharded"
                    + " pattern subscriptions; subscribe to each channel, or use classic pub/sub"
                    + " (shardedPubSub(false))");
        }
    }

    private static void requireHandler(Object handler) {
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
    }

    private static void requireType(Class<?> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
    }
}

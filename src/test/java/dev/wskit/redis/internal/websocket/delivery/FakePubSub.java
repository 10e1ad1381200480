package dev.wskit.redis.internal.websocket.delivery;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.wskit.redis.MessageHandler;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubStats;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.TypedMessageHandler;
import dev.wskit.redis.internal.StatsValues;

/** An in-memory {@link RedisPubSub} for unit tests: records subscriptions and publishes; the test delivers. */
public final class FakePubSub implements RedisPubSub {

    record Published(String channel, Object message) {
    }

    final Map<String, List<TypedMessageHandler<? super String>>> handlers = new ConcurrentHashMap<>();
    final List<Published> published = new CopyOnWriteArrayList<>();
    final AtomicInteger subscribeCalls = new AtomicInteger();
    volatile RuntimeException publishFailure;

    @Override
    public CompletionStage<Void> publish(String channel, Object message) {
        published.add(new Published(channel, message));
        RuntimeException failure = publishFailure;
        return failure == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failure);
    }

    /** Deliver a payload as Redis would, to every handler of the channel. */
    void deliver(String channel, String payload) {
        for (TypedMessageHandler<? super String> handler : handlers.getOrDefault(channel, List.of())) {
            handler.onMessage(channel, payload);
        }
    }

    /** Tell every handler of the channel of a gap, as the core's callback thread would. */
    void gap(String channel, SubscriptionGap gap) {
        for (TypedMessageHandler<? super String> handler : handlers.getOrDefault(channel, List.of())) {
            handler.onGap(gap);
        }
    }

    /** The number of channels with at least one handler: what Redis would count as subscriptions. */
    int subscriptions() {
        return (int) handlers.values().stream().filter(list -> !list.isEmpty()).count();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Subscription subscribe(String channel, Class<T> type, TypedMessageHandler<? super T> handler) {
        if (type != String.class) {
            throw new UnsupportedOperationException("only String.class");
        }
        if (channel.contains(" ")) {
            throw new IllegalArgumentException("channel must not contain whitespace or control characters");
        }
        subscribeCalls.incrementAndGet();
        TypedMessageHandler<? super String> h = (TypedMessageHandler<? super String>) handler;
        handlers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(h);
        return new Subscription() {
            @Override
            public String channel() {
                return channel;
            }

            @Override
            public boolean isPattern() {
                return false;
            }

            @Override
            public CompletionStage<Void> ready() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
                handlers.computeIfPresent(channel, (c, list) -> {
                    list.remove(h);
                    return list.isEmpty() ? null : list;
                });
            }
        };
    }

    @Override
    public Subscription subscribe(String channel, MessageHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Subscription psubscribe(String pattern, MessageHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> Subscription psubscribe(String pattern, Class<T> type, TypedMessageHandler<? super T> handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void unsubscribe(String channel, MessageHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void punsubscribe(String pattern, MessageHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> connected() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public RedisPubSubStats stats() {
        return new StatsValues(published.size(), 0, 0, 0, 0, 0, subscriptions(), 0).toStats();
    }

    @Override
    public void destroy() {
    }
}

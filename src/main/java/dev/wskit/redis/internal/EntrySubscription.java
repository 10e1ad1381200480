package dev.wskit.redis.internal;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

import dev.wskit.redis.Subscription;
import dev.wskit.redis.internal.subscribe.ChannelEntry;
import dev.wskit.redis.internal.subscribe.HandlerRef;

/**
 * A handler's subscription to a registry entry, as both implementations ({@link RedisPubSubImpl},
 * {@link LocalPubSub}) hand it out: closing it removes the handler from its entry.
 */
final class EntrySubscription implements Subscription {

    private final ChannelEntry entry;
    private final HandlerRef handler;
    private final BiConsumer<ChannelEntry, HandlerRef> remove;

    EntrySubscription(ChannelEntry entry, HandlerRef handler, BiConsumer<ChannelEntry, HandlerRef> remove) {
        this.entry = entry;
        this.handler = handler;
        this.remove = remove;
    }

    @Override
    public String channel() {
        return entry.name;
    }

    @Override
    public boolean isPattern() {
        return entry.pattern;
    }

    @Override
    public CompletionStage<Void> ready() {
        return entry.ready.minimalCompletionStage();
    }

    @Override
    public void close() {
        remove.accept(entry, handler);
    }

    @Override
    public String toString() {
        return (entry.pattern ? "PatternSubscription{" : "Subscription{") + entry.name + "}";
    }
}

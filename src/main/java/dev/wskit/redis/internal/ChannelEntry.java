package dev.wskit.redis.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The local state of one Redis subscription (a channel or a pattern): its handlers and whether Redis has
 * acknowledged it. This, not Redis, is the truth about what should be subscribed; it is replayed after every
 * reconnect.
 */
final class ChannelEntry {

    final String wire;
    final String name;
    final boolean pattern;
    final CopyOnWriteArrayList<HandlerRef> handlers = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> ready = new CompletableFuture<>();

    ChannelEntry(String wire, String name, boolean pattern) {
        this.wire = wire;
        this.name = name;
        this.pattern = pattern;
    }
}

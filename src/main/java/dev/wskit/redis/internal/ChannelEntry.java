package dev.wskit.redis.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The local state of one Redis subscription (a channel or a pattern): its handlers and whether Redis has
 * acknowledged it. This, not Redis, is the truth about what should be subscribed; it is replayed after every
 * reconnect.
 *
 * <p>With sharded pub/sub an entry also knows its cluster slot and the {@link SubscriberLink} (the master's
 * connection) it is currently assigned to; {@code link} is guarded by the subscriber's {@code registryLock}.
 */
final class ChannelEntry {

    final String wire;
    final String name;
    final boolean pattern;
    final int slot;
    final CopyOnWriteArrayList<HandlerRef> handlers = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    SubscriberLink link;

    ChannelEntry(String wire, String name, boolean pattern, int slot) {
        this.wire = wire;
        this.name = name;
        this.pattern = pattern;
        this.slot = slot;
    }
}

package dev.wskit.redis.internal.subscribe;

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
public final class ChannelEntry {

    public final String wire;
    public final String name;
    public final boolean pattern;
    final int slot;
    public final CopyOnWriteArrayList<HandlerRef> handlers = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** Volatile: the link threads read it (see {@code ShardedLinkSet.confirmed}); written under registryLock. */
    volatile SubscriberLink link;

    public ChannelEntry(String wire, String name, boolean pattern, int slot) {
        this.wire = wire;
        this.name = name;
        this.pattern = pattern;
        this.slot = slot;
    }
}

package dev.wskit.redis.internal.subscribe;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.wskit.redis.SubscriptionGap;

/**
 * The local state of one Redis subscription (a channel or a pattern): its handlers and whether Redis has
 * acknowledged it. This, not Redis, is the truth about what should be subscribed; it is replayed after every
 * reconnect.
 *
 * <p>With sharded pub/sub an entry also knows its cluster slot and the {@link SubscriberLink} (the master's
 * connection) it is currently assigned to; {@code link} is guarded by the subscriber's {@code registryLock}.
 *
 * <p>Gaps: whether the subscription is in force (confirmed by Redis on the connection that holds it), since when it
 * is not (an open gap), and the gap closed by a confirmation but not yet handed to the handlers; guarded by the
 * entry's monitor (held briefly, never while calling user code).
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

    // guarded by this
    private boolean inForce;
    private Instant gapFrom;
    private SubscriptionGap.Reason gapReason;
    private SubscriptionGap undelivered;

    public ChannelEntry(String wire, String name, boolean pattern, int slot) {
        this.wire = wire;
        this.name = name;
        this.pattern = pattern;
        this.slot = slot;
    }

    /** Whether any handler is the application's (not the library's own: history, canary). */
    public boolean hasApplicationHandler() {
        for (HandlerRef handler : handlers) {
            if (!handler.internal) {
                return true;
            }
        }
        return false;
    }

    /**
     * The subscription stopped being in force, known good last at {@code from}: opens a gap, unless one is open
     * already (then the earlier start is kept) or it never was in force (nothing to miss).
     */
    public synchronized void notInForce(Instant from, SubscriptionGap.Reason reason) {
        if (inForce) {
            inForce = false;
            gapFrom = from;
            gapReason = reason;
        }
    }

    /**
     * Redis confirmed the subscription at {@code at}: it is in force. Closes the open gap, if any, and keeps it to be
     * handed to the handlers (merged with one kept and not handed yet).
     *
     * @return {@code true} if a gap was closed and the entry must be queued for delivery (none was waiting already)
     */
    public synchronized boolean confirmed(Instant at) {
        inForce = true;
        if (gapFrom == null) {
            return false;
        }
        Instant from = gapFrom.isAfter(at) ? at : gapFrom;
        SubscriptionGap gap = SubscriptionGap.of(name, pattern, from, at, gapReason);
        gapFrom = null;
        gapReason = null;
        if (undelivered == null) {
            undelivered = gap;
            return true;
        }
        undelivered = SubscriptionGap.of(name, pattern,
                undelivered.from().isBefore(gap.from()) ? undelivered.from() : gap.from(), at,
                undelivered.reason());
        return false;
    }

    /** Take the gap to hand to the handlers; {@code null} if none. */
    public synchronized SubscriptionGap takeGap() {
        SubscriptionGap gap = undelivered;
        undelivered = null;
        return gap;
    }

    /** Hand a gap to every handler but the library's own, isolated (user code; the callback thread). */
    public void deliverGap(SubscriptionGap gap, Dispatcher dispatcher) {
        for (HandlerRef handler : handlers) {
            try {
                handler.gap(gap);
            } catch (Throwable t) {
                dispatcher.handlerFailed(gap.channel(), t);
            }
        }
    }
}

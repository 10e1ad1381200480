package dev.wskit.redis.internal.subscribe;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.internal.connection.ClientConfigs;
import dev.wskit.redis.internal.connection.Reconnect;
import dev.wskit.redis.internal.support.Failures;
import dev.wskit.redis.internal.support.ThrottledLog;
import dev.wskit.redis.internal.topology.ClusterTopology;

import redis.clients.jedis.HostAndPort;

/**
 * Sharded pub/sub: the subscriber thread is the coordinator. It loads the cluster's slot map and assigns every
 * channel to the master owning its slot; one link per such master, each on a thread of its own from the thread
 * factory, subscribes that master's channels. The map is reloaded when a link fails, when Redis drops a channel
 * ({@code sunsubscribe} push after a slot migration or a failover), when {@code SSUBSCRIBE} is answered with
 * {@code MOVED}, and every {@value #REFRESH_SECONDS} s; channels whose owner changed are subscribed on the new
 * owner's link, and links to nodes that are no longer masters are closed (a demoted master would otherwise keep
 * delivering, and the new one too). The instance is connected when the map is loaded and every link that holds a
 * channel is confirmed; it becomes disconnected when such a link fails, not when a new link is still connecting.
 *
 * <p>Lock order: the subscriber's {@code registryLock}, then a link's write lock, then {@code stateLock}. Link
 * threads never take {@code registryLock} while reading; they report to the coordinator through a queue.
 */
final class ShardedLinkSet implements LinkSet {

    static final int REFRESH_SECONDS = 30;

    private static final int MAX_SUSPECT_ROUNDS = 8;

    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(REFRESH_SECONDS);

    private final Subscriber subscriber;
    private final ClusterTopology topology;
    /** The coordinator's attempts to load the slot map and bring every link up. */
    private final Reconnect coordination;
    private final ThreadFactory threads;
    private final String threadName;

    /** The links, by master; changed under the subscriber's registryLock. */
    private final Map<HostAndPort, SubscriberLink> links = new ConcurrentHashMap<>();
    private final List<Thread> linkThreads = new CopyOnWriteArrayList<>();

    // coordinator wake-up
    private final Object wake = new Object();
    private boolean refreshRequested = true;
    private boolean rebalanceRequested;
    private boolean retryRequested;
    private final ConcurrentLinkedQueue<Lost> lost = new ConcurrentLinkedQueue<>();
    /** Coordinator only: slots Redis dropped, with the node that dropped them, until a map shows another owner. */
    private final Map<Integer, HostAndPort> suspects = new HashMap<>();
    private int suspectRounds;

    /**
     * Channels moved to another link while the instance was connected, until Redis confirms them there; then the
     * owner is told ({@link SubscriberEvents#subscriberChannelsMoved}), so that what was published between the old
     * owner dropping them and the new one confirming them can be read (channels with history).
     */
    private final Set<ChannelEntry> moving = ConcurrentHashMap.newKeySet();

    private final Object stateLock = new Object();
    private volatile boolean mapLoaded;
    private boolean everConnected;

    private record Lost(SubscriberLink link, List<String> wires) {
    }

    ShardedLinkSet(Subscriber subscriber, ClusterTopology topology, ThreadFactory threads, String threadName) {
        this.subscriber = subscriber;
        this.topology = topology;
        this.threads = threads;
        this.threadName = threadName;
        this.coordination = new Reconnect(new ThrottledLog(subscriber.logger, subscriber.prefix),
                subscriber.initialDelayMillis, subscriber.maxDelayMillis);
        topology.addListener(this::topologyChanged);
    }

    @Override
    public int slotOf(String wire) {
        return ClusterTopology.slot(wire);
    }

    @Override
    public void hold(ChannelEntry entry) {
        assign(List.of(entry));
    }

    @Override
    public void release(ChannelEntry entry) {
        SubscriberLink link = entry.link;
        if (link != null) {
            link.unsubscribe(entry);
            unassign(entry);
            // a failed link that no longer holds a channel does not keep the instance disconnected
            recomputeState();
        }
        if (moving.remove(entry) && moving.isEmpty()) {
            subscriber.owner.subscriberChannelsMoved();
        }
    }

    @Override
    public void confirmed(SubscriberLink link, ChannelEntry entry) {
        if (entry.link == link && moving.remove(entry) && moving.isEmpty()) {
            subscriber.owner.subscriberChannelsMoved();
        }
    }

    @Override
    public List<ChannelEntry> channelsOf(SubscriberLink link, List<ChannelEntry> all) {
        List<ChannelEntry> result = new ArrayList<>();
        for (ChannelEntry entry : all) {
            if (entry.link == link) {
                result.add(entry);
            }
        }
        return result;
    }

    @Override
    public List<ChannelEntry> patternsOf(SubscriberLink link, List<ChannelEntry> all) {
        return List.of();
    }

    @Override
    public boolean holds(ChannelEntry entry, SubscriberLink link) {
        return entry.link == link;
    }

    // ---------------------------------------------------------------- assignment (under registryLock)

    /** Assign unassigned entries to the link of their slot's master and subscribe them there. */
    private void assign(List<ChannelEntry> entries) {
        ClusterTopology.Snapshot map = topology.snapshot();
        if (map == null) {
            // assigned once the slot map is loaded
            return;
        }
        Map<SubscriberLink, List<ChannelEntry>> bySubscriber = new HashMap<>();
        for (ChannelEntry entry : entries) {
            HostAndPort master = map.masterFor(entry.slot);
            if (master == null) {
                // no master serves the slot right now; retried with the next map
                continue;
            }
            SubscriberLink link = links.get(master);
            if (link == null) {
                link = startLink(master);
            }
            entry.link = link;
            link.assigned++;
            bySubscriber.computeIfAbsent(link, l -> new ArrayList<>()).add(entry);
        }
        for (Map.Entry<SubscriberLink, List<ChannelEntry>> e : bySubscriber.entrySet()) {
            e.getKey().subscribe(e.getValue(), false);
        }
    }

    private void unassign(ChannelEntry entry) {
        SubscriberLink link = entry.link;
        if (link != null) {
            link.assigned--;
            entry.link = null;
        }
    }

    private SubscriberLink startLink(HostAndPort master) {
        SubscriberLink link = new SubscriberLink(subscriber, null, master);
        Thread thread = threads.newThread(link);
        if (thread == null) {
            throw new IllegalStateException("threadFactory returned null for the subscriber of "
                    + ClientConfigs.format(master));
        }
        try {
            thread.setName(threadName + "-" + ClientConfigs.format(master));
        } catch (SecurityException ignored) {
            // a container thread may refuse renaming
        }
        links.put(master, link);
        linkThreads.removeIf(t -> !t.isAlive());
        linkThreads.add(thread);
        thread.start();
        return link;
    }

    /** Follow a new slot map: close links to former masters, move channels whose slot changed owner. */
    private void rebalance() {
        synchronized (subscriber.registryLock) {
            if (!subscriber.isRunning()) {
                return;
            }
            ClusterTopology.Snapshot map = topology.snapshot();
            if (map == null) {
                return;
            }
            for (Iterator<SubscriberLink> it = links.values().iterator(); it.hasNext();) {
                SubscriberLink link = it.next();
                if (!map.masters.contains(link.node())) {
                    // a demoted master would still deliver (replicas get sharded messages too): close it
                    link.stop();
                    it.remove();
                }
            }
            List<ChannelEntry> moved = new ArrayList<>();
            for (ChannelEntry entry : subscriber.channels.values()) {
                HostAndPort master = map.masterFor(entry.slot);
                SubscriberLink link = entry.link;
                if (link != null && link.isRunning() && links.get(link.node()) == link
                        && link.node().equals(master)) {
                    continue;
                }
                // the old owner dropped the channel itself (sunsubscribe), or is closed above
                if (link != null) {
                    // a demoted master still answers PING: see deafBound
                    entry.notInForce(link.deafBound(), SubscriptionGap.Reason.RESUBSCRIBED);
                }
                unassign(entry);
                moved.add(entry);
            }
            if (!moved.isEmpty()) {
                subscriber.logger.log(Level.DEBUG, () -> subscriber.prefix + "moving " + moved.size()
                        + " sharded channel(s) to their new master(s)");
                if (subscriber.connected) {
                    // before assign: the confirmation may come at once
                    moving.addAll(moved);
                }
                assign(moved);
            }
        }
        recomputeState();
    }

    // ---------------------------------------------------------------- reports from the links

    @Override
    public void linkUp(SubscriberLink link, boolean reconnect) {
        recomputeState();
    }

    @Override
    public void linkDown(SubscriberLink link, boolean wasUp, RedisPubSubException error) {
        recomputeState();
        subscriber.owner.error(error);
        // the master may be gone for good, and a replica promoted: ask the cluster
        requestRefresh();
    }

    @Override
    public void channelsLost(SubscriberLink link, List<String> wires, HostAndPort redirectedTo) {
        subscriber.logger.log(Level.DEBUG, () -> subscriber.prefix + "Redis at " + link.endpoint() + " dropped "
                + wires + (redirectedTo == null ? "" : ", redirected to " + ClientConfigs.format(redirectedTo)));
        // ask the node that knows best first: the MOVED target, or the node that dropped the channels (it knows
        // who took its slot over); another node may not have heard of the change yet
        topology.prefer(redirectedTo != null ? redirectedTo : link.node());
        lost.add(new Lost(link, wires));
        requestRefresh();
    }

    private void topologyChanged() {
        synchronized (wake) {
            rebalanceRequested = true;
            wake.notifyAll();
        }
    }

    private void requestRefresh() {
        synchronized (wake) {
            refreshRequested = true;
            wake.notifyAll();
        }
    }

    /** Recompute the connected state, with the owner's events on every change. */
    private void recomputeState() {
        boolean callConnected = false;
        boolean callReconnected = false;
        boolean callDisconnected = false;
        synchronized (stateLock) {
            if (!subscriber.isRunning()) {
                return;
            }
            boolean anyFailed = false;
            boolean allUp = mapLoaded;
            for (SubscriberLink link : links.values()) {
                if (link.assigned > 0) {
                    SubscriberLink.State state = link.state();
                    anyFailed |= state == SubscriberLink.State.FAILED;
                    allUp &= state == SubscriberLink.State.UP;
                }
            }
            if (allUp) {
                // a channel waiting for an owner (slot map being refreshed) is not subscribed anywhere
                for (ChannelEntry entry : subscriber.channels.values()) {
                    if (entry.link == null) {
                        allUp = false;
                        break;
                    }
                }
            }
            if (subscriber.connected && anyFailed) {
                subscriber.connected = false;
                callDisconnected = true;
            } else if (!subscriber.connected && allUp) {
                subscriber.connected = true;
                callReconnected = everConnected;
                everConnected = true;
                callConnected = true;
            }
        }
        if (callDisconnected) {
            subscriber.owner.subscriberDisconnected();
        }
        if (callReconnected) {
            subscriber.owner.subscriberReconnected();
        }
        if (callConnected) {
            subscriber.owner.subscriberConnected();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void retryNow(SubscriberLink except) {
        for (SubscriberLink link : links.values()) {
            if (link != except) {
                link.retryNow();
            }
        }
        synchronized (wake) {
            retryRequested = true;
            wake.notifyAll();
        }
    }

    @Override
    public void kick() {
        // the loopback canary did not come back (Sentinel never is sharded): replace every link
        for (SubscriberLink link : links.values()) {
            link.kick();
        }
    }

    @Override
    public void watchdog(long now, long timeoutNanos) {
        for (SubscriberLink link : links.values()) {
            link.watchdog(now, timeoutNanos);
        }
    }

    @Override
    public void ping() {
        for (SubscriberLink link : links.values()) {
            link.ping();
        }
    }

    @Override
    public void stop() {
        synchronized (wake) {
            wake.notifyAll();
        }
        for (SubscriberLink link : links.values()) {
            link.stop();
        }
    }

    @Override
    public List<Thread> linkThreads() {
        return linkThreads;
    }

    /** The coordinator: keeps the slot map fresh and the channels on the links of their masters. */
    @Override
    public void run() {
        long nextRefresh = System.nanoTime();
        while (subscriber.isRunning()) {
            boolean refresh;
            boolean rebalance;
            try {
                synchronized (wake) {
                    long wait = nextRefresh - System.nanoTime();
                    while (subscriber.isRunning() && !rebalanceRequested && lost.isEmpty() && !retryRequested
                            && !(refreshRequested && coordination.failures() == 0) && wait > 0) {
                        TimeUnit.NANOSECONDS.timedWait(wake, wait);
                        wait = nextRefresh - System.nanoTime();
                    }
                    // a retry request only hurries a refresh that is due anyway (the map is missing or a link down)
                    refresh = refreshRequested || wait <= 0;
                    rebalance = rebalanceRequested;
                    refreshRequested = false;
                    rebalanceRequested = false;
                    retryRequested = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (!subscriber.isRunning()) {
                break;
            }
            nextRefresh = coordinateOnce(refresh, rebalance, nextRefresh);
        }
        for (SubscriberLink link : links.values()) {
            link.stop();
        }
    }

    /**
     * One round of the coordinator: refresh the slot map if asked or due, move the channels to the links of their
     * masters, and plan the next round (soon after a failure or while a link holding channels is down).
     *
     * @return when the next refresh is due ({@link System#nanoTime()})
     */
    private long coordinateOnce(boolean refresh, boolean rebalance, long nextRefresh) {
        try {
            boolean hadLost = takeLost();
            long delay = -1;
            if (refresh || hadLost) {
                try {
                    topology.refresh();
                    mapLoaded = true;
                } catch (RuntimeException e) {
                    RedisPubSubException error = Failures.describe(e, "subscriber connection",
                            topology.describeSeeds());
                    delay = coordination.failed(error.getMessage(), e);
                    subscriber.owner.error(error);
                }
                rebalance = true;
            }
            if (rebalance) {
                rebalance();
            }
            if (delay < 0 && needsAttention()) {
                // keep asking while a link holding channels is down: a replica may be promoted any moment (the link
                // logs its own failures)
                delay = coordination.failedQuietly();
            }
            if (delay >= 0) {
                synchronized (wake) {
                    refreshRequested = true;
                }
                return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
            }
            coordination.succeeded(n -> "loaded the slot map of " + topology.describeSeeds() + " after " + n
                    + " failed attempt(s)");
            return refresh || hadLost ? System.nanoTime() + REFRESH_NANOS : nextRefresh;
        } catch (Throwable t) {
            // never let the coordinator die: log, back off, go on
            RedisPubSubException error = new RedisPubSubException("the sharded subscriber failed: " + t, t);
            coordination.failedWithStack(error.getMessage(), t);
            subscriber.owner.error(error);
            return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(subscriber.maxDelayMillis);
        }
    }

    /** Unassign the channels Redis dropped, so that the next rebalance subscribes them again; true if any. */
    private boolean takeLost() {
        boolean any = false;
        Lost report;
        synchronized (subscriber.registryLock) {
            while ((report = lost.poll()) != null) {
                any = true;
                for (String wire : report.wires()) {
                    ChannelEntry entry = subscriber.channels.get(wire);
                    // ignore reports about channels that were moved or released meanwhile
                    if (entry != null && entry.link == report.link()) {
                        unassign(entry);
                        suspects.put(entry.slot, report.link().node());
                        suspectRounds = 0;
                    }
                }
            }
        }
        return any;
    }

    /**
     * True while a link holding channels is failing, channels wait for an owner, or the map still names the node
     * that dropped a slot as its owner (the node we asked had not heard of the change yet).
     */
    private boolean needsAttention() {
        ClusterTopology.Snapshot map = topology.snapshot();
        if (map != null) {
            suspects.entrySet().removeIf(e -> !e.getValue().equals(map.masterFor(e.getKey())));
        }
        if (!suspects.isEmpty() && ++suspectRounds > MAX_SUSPECT_ROUNDS) {
            // the owner really is the same (e.g. the channels were dropped by CLUSTER RESET): they are subscribed again
            suspects.clear();
        }
        if (!suspects.isEmpty()) {
            return true;
        }
        for (SubscriberLink link : links.values()) {
            if (link.assigned > 0 && link.state() == SubscriberLink.State.FAILED) {
                return true;
            }
        }
        for (ChannelEntry entry : subscriber.channels.values()) {
            if (entry.link == null) {
                return true;
            }
        }
        return false;
    }
}

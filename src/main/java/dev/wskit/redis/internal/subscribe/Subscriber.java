package dev.wskit.redis.internal.subscribe;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import dev.wskit.redis.MessageDeserializer;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.internal.support.Failures;

import redis.clients.jedis.HostAndPort;
import dev.wskit.redis.internal.codec.ChannelNames;
import dev.wskit.redis.internal.connection.ClientConfigs;
import dev.wskit.redis.internal.connection.ConnectionFactory;
import dev.wskit.redis.internal.connection.Reconnect;
import dev.wskit.redis.internal.support.ThrottledLog;
import dev.wskit.redis.internal.topology.ClusterTopology;

/**
 * The subscriber: the registry of wanted channels and patterns (the truth about what should be subscribed), the
 * dispatch of received messages to handlers, and the {@link SubscriberLink}s that hold the subscriptions in Redis.
 *
 * <p>Standalone, Sentinel and classic cluster: one link, run by the subscriber thread itself ({@link #run()}), holds
 * every channel and pattern; after a reconnect it replays all of them.
 *
 * <p>Sharded pub/sub: {@link #run()} is the coordinator. It loads the cluster's slot map and assigns every channel
 * to the master owning its slot; one link per such master, each on a thread of its own from the thread factory,
 * subscribes that master's channels. The map is reloaded when a link fails, when Redis drops a channel
 * ({@code sunsubscribe} push after a slot migration or a failover), when {@code SSUBSCRIBE} is answered with
 * {@code MOVED}, and every {@value #REFRESH_SECONDS} s; channels whose owner changed are subscribed on the new
 * owner's link, and links to nodes that are no longer masters are closed (a demoted master would otherwise keep
 * delivering, and the new one too). The instance is connected when the map is loaded and every link that holds a
 * channel is confirmed; it becomes disconnected when such a link fails, not when a new link is still connecting.
 *
 * <p>Lock order: {@code registryLock}, then a link's write lock, then {@code stateLock}. Link threads never take
 * {@code registryLock} while reading; they report to the coordinator through a queue.
 */
public final class Subscriber implements Runnable {

    static final int REFRESH_SECONDS = 30;

    private static final int MAX_SUSPECT_ROUNDS = 8;

    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(REFRESH_SECONDS);

    final SubscriberEvents owner;
    final ClusterTopology topology;
    final Logger logger;
    final String prefix;
    final long initialDelayMillis;
    final long maxDelayMillis;
    final int readTimeoutMillis;

    private final ChannelNames names;
    private final Dispatcher dispatcher;
    /** The sharded coordinator's attempts to load the slot map and bring every link up. */
    private final Reconnect coordination;
    private final boolean sharded;
    private final ThreadFactory threads;
    private final String threadName;

    final Object registryLock = new Object();
    final Map<String, ChannelEntry> channels = new ConcurrentHashMap<>();
    final Map<String, ChannelEntry> patterns = new ConcurrentHashMap<>();

    /** The one link of a non-sharded subscriber. */
    private final SubscriberLink single;
    /** Writes the links' commands; its thread is started and joined by the owner. */
    public final LinkWriter writer = new LinkWriter();
    /** The links of a sharded subscriber, by master; changed under registryLock. */
    private final Map<HostAndPort, SubscriberLink> links = new ConcurrentHashMap<>();
    private final List<Thread> linkThreads = new CopyOnWriteArrayList<>();

    // coordinator wake-up (sharded)
    private final Object wake = new Object();
    private boolean refreshRequested = true;
    private boolean rebalanceRequested;
    private boolean retryRequested;
    private final ConcurrentLinkedQueue<Lost> lost = new ConcurrentLinkedQueue<>();
    /** Coordinator only: slots Redis dropped, with the node that dropped them, until a map shows another owner. */
    private final Map<Integer, HostAndPort> suspects = new HashMap<>();
    private int suspectRounds;

    private final Object stateLock = new Object();
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile boolean mapLoaded;
    private boolean everConnected;

    private record Lost(SubscriberLink link, List<String> wires) {
    }

    public Subscriber(SubscriberEvents owner, ConnectionFactory factory, ClusterTopology shardedTopology, ChannelNames names,
            MessageDeserializer deserializer, Logger logger, String prefix, long initialDelayMillis,
            long maxDelayMillis, int readTimeoutMillis, ThreadFactory threads, String threadName,
            long maxReceivedBytes) {
        this.owner = owner;
        this.topology = shardedTopology;
        this.sharded = shardedTopology != null;
        this.names = names;
        this.logger = logger;
        this.prefix = prefix;
        this.dispatcher = new Dispatcher(deserializer, new ThrottledLog(logger, prefix), owner::malformed,
                owner::handlerFailed, owner::error, maxReceivedBytes);
        this.coordination = new Reconnect(new ThrottledLog(logger, prefix), initialDelayMillis, maxDelayMillis);
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.threads = threads;
        this.threadName = threadName;
        this.single = sharded ? null : new SubscriberLink(this, factory, null);
        if (sharded) {
            shardedTopology.addListener(this::topologyChanged);
        }
    }

    public boolean isConnected() {
        return connected;
    }

    public int subscriptionCount() {
        return channels.size() + patterns.size();
    }

    /** The threads of the sharded links, to join on destroy. */
    public List<Thread> linkThreads() {
        return linkThreads;
    }

    // ---------------------------------------------------------------- registry (any thread)

    public ChannelEntry add(String wire, String name, boolean pattern, HandlerRef handler) {
        Map<String, ChannelEntry> map = pattern ? patterns : channels;
        synchronized (registryLock) {
            if (!running) {
                throw new IllegalStateException("RedisPubSub was destroyed; create a new instance to subscribe");
            }
            ChannelEntry entry = map.get(wire);
            boolean created = entry == null;
            if (created) {
                entry = new ChannelEntry(wire, name, pattern, sharded ? ClusterTopology.slot(wire) : -1);
                map.put(wire, entry);
            }
            entry.handlers.add(handler);
            if (created) {
                if (sharded) {
                    assign(List.of(entry));
                } else {
                    single.subscribe(List.of(entry), pattern);
                }
            }
            return entry;
        }
    }

    public void remove(String wire, boolean pattern, Object identity, Class<?> type) {
        Map<String, ChannelEntry> map = pattern ? patterns : channels;
        synchronized (registryLock) {
            ChannelEntry entry = map.get(wire);
            if (entry == null) {
                return;
            }
            entry.handlers.removeIf(ref -> ref.matches(identity, type));
            release(map, entry);
        }
    }

    public void remove(ChannelEntry entry, HandlerRef handler) {
        Map<String, ChannelEntry> map = entry.pattern ? patterns : channels;
        synchronized (registryLock) {
            if (entry.handlers.remove(handler)) {
                release(map, entry);
            }
        }
    }

    private void release(Map<String, ChannelEntry> map, ChannelEntry entry) {
        if (!entry.handlers.isEmpty() || map.get(entry.wire) != entry) {
            return;
        }
        map.remove(entry.wire);
        entry.ready.completeExceptionally(new RedisPubSubException(
                "subscription to " + entry.name + " was closed before Redis acknowledged it"));
        if (!sharded) {
            single.unsubscribe(entry);
            return;
        }
        SubscriberLink link = entry.link;
        if (link != null) {
            link.unsubscribe(entry);
            unassign(entry);
            // a failed link that no longer holds a channel does not keep the instance disconnected
            recomputeState();
        }
    }

    /** The channels a link holds; caller holds registryLock. */
    List<ChannelEntry> channelsOf(SubscriberLink link) {
        if (!sharded) {
            return new ArrayList<>(channels.values());
        }
        List<ChannelEntry> result = new ArrayList<>();
        for (ChannelEntry entry : channels.values()) {
            if (entry.link == link) {
                result.add(entry);
            }
        }
        return result;
    }

    /**
     * Tell whether an entry of a link's replay is still wanted there: still registered and, with sharded pub/sub,
     * still assigned to that link; caller holds registryLock.
     */
    boolean stillHeld(ChannelEntry entry, SubscriberLink link) {
        ChannelEntry current = entry.pattern ? patterns.get(entry.wire) : channels.get(entry.wire);
        return current == entry && (!sharded || entry.link == link);
    }

    /** The patterns a link holds; caller holds registryLock. */
    List<ChannelEntry> patternsOf(SubscriberLink link) {
        return sharded ? List.of() : new ArrayList<>(patterns.values());
    }

    // ---------------------------------------------------------------- sharded assignment (under registryLock)

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
        SubscriberLink link = new SubscriberLink(this, null, master);
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
        synchronized (registryLock) {
            if (!running) {
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
            for (ChannelEntry entry : channels.values()) {
                HostAndPort master = map.masterFor(entry.slot);
                SubscriberLink link = entry.link;
                if (link != null && link.isRunning() && links.get(link.node()) == link
                        && link.node().equals(master)) {
                    continue;
                }
                // the old owner dropped the channel itself (sunsubscribe), or is closed above
                unassign(entry);
                moved.add(entry);
            }
            if (!moved.isEmpty()) {
                logger.log(Level.DEBUG, () -> prefix + "moving " + moved.size() + " sharded channel(s) to their new"
                        + " master(s)");
                assign(moved);
            }
        }
        recomputeState();
    }

    // ---------------------------------------------------------------- reports from the links

    /** A link confirmed its connection and every subscription replayed on it. */
    void linkUp(SubscriberLink link, boolean reconnect) {
        retryNow(link);
        owner.subscriberConnectionUp();
        if (!sharded) {
            connected = true;
            if (reconnect) {
                owner.subscriberReconnected();
            }
            owner.subscriberConnected();
            return;
        }
        recomputeState();
    }

    /** A link lost its connection or failed to connect; it retries by itself with backoff. */
    void linkDown(SubscriberLink link, boolean wasUp, RedisPubSubException error) {
        if (!sharded) {
            connected = false;
            if (wasUp) {
                owner.subscriberDisconnected();
            }
            owner.error(error);
            return;
        }
        recomputeState();
        owner.error(error);
        // the master may be gone for good, and a replica promoted: ask the cluster
        requestRefresh();
    }

    /** Redis dropped channels of a link (sunsubscribe push) or redirected its SSUBSCRIBE (MOVED). */
    void shardChannelsLost(SubscriberLink link, List<String> wires, HostAndPort redirectedTo) {
        logger.log(Level.DEBUG, () -> prefix + "Redis at " + link.endpoint() + " dropped " + wires
                + (redirectedTo == null ? "" : ", redirected to " + ClientConfigs.format(redirectedTo)));
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

    /** Recompute the sharded connected state, with callbacks on every change. */
    private void recomputeState() {
        boolean callConnected = false;
        boolean callReconnected = false;
        boolean callDisconnected = false;
        synchronized (stateLock) {
            if (!running) {
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
                for (ChannelEntry entry : channels.values()) {
                    if (entry.link == null) {
                        allUp = false;
                        break;
                    }
                }
            }
            if (connected && anyFailed) {
                connected = false;
                callDisconnected = true;
            } else if (!connected && allUp) {
                connected = true;
                callReconnected = everConnected;
                everConnected = true;
                callConnected = true;
            }
        }
        if (callDisconnected) {
            owner.subscriberDisconnected();
        }
        if (callReconnected) {
            owner.subscriberReconnected();
        }
        if (callConnected) {
            owner.subscriberConnected();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Let the links that wait out their backoff reconnect now, and a sharded coordinator that waits to reload the
     * slot map reload it now: another connection of the instance reached Redis.
     *
     * @param except the link that reached Redis; can be {@code null}
     */
    public void retryNow(SubscriberLink except) {
        if (!sharded) {
            if (single != except) {
                single.retryNow();
            }
            return;
        }
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

    /** Drop the connection and reconnect at once (Sentinel reported a new master); not used when sharded. */
    public void kick() {
        if (!sharded) {
            single.kick();
        }
    }

    /**
     * Close the connections whose write has been blocked longer than {@code timeoutNanos} (housekeeper; takes no
     * lock a blocked write holds).
     */
    public void watchdog(long timeoutNanos) {
        long now = System.nanoTime();
        if (!sharded) {
            single.watchdog(now, timeoutNanos);
            return;
        }
        for (SubscriberLink link : links.values()) {
            link.watchdog(now, timeoutNanos);
        }
    }

    /** Called by the housekeeper every ping interval. */
    public void ping() {
        if (!sharded) {
            single.ping();
            return;
        }
        for (SubscriberLink link : links.values()) {
            link.ping();
        }
    }

    public void stop() {
        synchronized (registryLock) {
            running = false;
            for (ChannelEntry entry : channels.values()) {
                entry.ready.completeExceptionally(new RedisPubSubException("RedisPubSub was destroyed"));
            }
            for (ChannelEntry entry : patterns.values()) {
                entry.ready.completeExceptionally(new RedisPubSubException("RedisPubSub was destroyed"));
            }
        }
        connected = false;
        writer.stop();
        if (!sharded) {
            single.stop();
            return;
        }
        synchronized (wake) {
            wake.notifyAll();
        }
        for (SubscriberLink link : links.values()) {
            link.stop();
        }
    }

    @Override
    public void run() {
        if (!sharded) {
            single.run();
            connected = false;
            return;
        }
        coordinate();
        connected = false;
        for (SubscriberLink link : links.values()) {
            link.stop();
        }
    }

    /** The sharded coordinator: keeps the slot map fresh and the channels on the links of their masters. */
    private void coordinate() {
        long nextRefresh = System.nanoTime();
        while (running) {
            boolean refresh;
            boolean rebalance;
            try {
                synchronized (wake) {
                    long wait = nextRefresh - System.nanoTime();
                    while (running && !rebalanceRequested && lost.isEmpty() && !retryRequested
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
                return;
            }
            if (!running) {
                return;
            }
            nextRefresh = coordinateOnce(refresh, rebalance, nextRefresh);
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
                    RedisPubSubException error = Failures.describe(e, "subscriber connection", topology.describeSeeds());
                    delay = coordination.failed(error.getMessage(), e);
                    owner.error(error);
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
            owner.error(error);
            return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
        }
    }

    /** Unassign the channels Redis dropped, so that the next rebalance subscribes them again; true if any. */
    private boolean takeLost() {
        boolean any = false;
        Lost report;
        synchronized (registryLock) {
            while ((report = lost.poll()) != null) {
                any = true;
                for (String wire : report.wires()) {
                    ChannelEntry entry = channels.get(wire);
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
        for (ChannelEntry entry : channels.values()) {
            if (entry.link == null) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- dispatch (link threads)

    void onMessage(byte[] wireChannel, byte[] payloadBytes) {
        owner.received();
        ChannelEntry entry = channels.get(new String(wireChannel, StandardCharsets.UTF_8));
        if (entry == null) {
            // unsubscribed while the message was in flight
            return;
        }
        dispatcher.dispatch(entry, entry.name, payloadBytes);
    }

    void onPatternMessage(byte[] wirePattern, byte[] wireChannel, byte[] payloadBytes) {
        owner.received();
        ChannelEntry entry = patterns.get(new String(wirePattern, StandardCharsets.UTF_8));
        if (entry == null) {
            return;
        }
        String channel = names.fromWire(new String(wireChannel, StandardCharsets.UTF_8));
        if (!Dispatcher.isUtf8(channel, wireChannel)) {
            // a channel matching our pattern, published by someone else: handlers would see a changed name
            dispatcher.malformed(channel, new String(payloadBytes, StandardCharsets.UTF_8), "has a channel name"
                    + " that is not valid UTF-8", null);
            return;
        }
        dispatcher.dispatch(entry, channel, payloadBytes);
    }
}

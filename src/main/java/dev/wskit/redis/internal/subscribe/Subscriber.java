package dev.wskit.redis.internal.subscribe;

import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.wskit.redis.MessageDeserializer;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.internal.codec.ChannelNames;
import dev.wskit.redis.internal.connection.ConnectionFactory;
import dev.wskit.redis.internal.support.ThrottledLog;
import dev.wskit.redis.internal.topology.ClusterTopology;

import redis.clients.jedis.HostAndPort;

/**
 * The subscriber: the registry of wanted channels and patterns (the truth about what should be subscribed), the
 * dispatch of received messages to handlers, and the {@link SubscriberLink}s that hold the subscriptions in Redis,
 * through a {@link LinkSet}: one link ({@link SingleLinkSet}: standalone, Sentinel, classic cluster) or one per
 * cluster master ({@link ShardedLinkSet}: sharded pub/sub, whose coordinator runs on the subscriber thread).
 *
 * <p>Gaps: when a link loses its connection (or is kicked, or Redis drops a sharded channel), every entry it held in
 * force opens a gap ({@link ChannelEntry#notInForce}); when Redis confirms the entry again, the gap is closed and the
 * entry queued in {@code gaps} (at most once: bounded by the number of entries). The queue is drained on the owner's
 * callback thread ({@link SubscriberEvents#runCallback}), which calls the handlers' {@code onGap}; if that thread
 * refuses the task (its queue is full), the housekeeper's next {@link #ping()} tries again.
 *
 * <p>Lock order: {@code registryLock}, then a link's write lock, then the sharded set's state lock. Link threads never
 * take {@code registryLock} while reading.
 */
public final class Subscriber implements Runnable {

    final SubscriberEvents owner;
    final ClusterTopology topology;
    final Logger logger;
    final String prefix;
    final long initialDelayMillis;
    final long maxDelayMillis;
    final int readTimeoutMillis;

    private final ChannelNames names;
    private final Dispatcher dispatcher;

    final Object registryLock = new Object();
    final Map<String, ChannelEntry> channels = new ConcurrentHashMap<>();
    final Map<String, ChannelEntry> patterns = new ConcurrentHashMap<>();

    /** Writes the links' commands; its thread is started and joined by the owner. */
    public final LinkWriter writer = new LinkWriter();
    /** How the entries are held in Redis: one link, or one per cluster master. */
    private final LinkSet links;

    /** Entries with a closed gap not yet handed to their handlers; each at most once. */
    private final ConcurrentLinkedQueue<ChannelEntry> gaps = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean gapsScheduled = new AtomicBoolean();

    /** When the last loopback canary that came back was published; see {@link #canaryKnownGood(Supplier)}. */
    private volatile Supplier<Instant> canaryKnownGood = () -> null;

    private volatile boolean running = true;
    /** Every link that holds something is up; written by the link set. */
    volatile boolean connected;

    /**
     * @param factory opens the one subscriber connection; ignored with sharded pub/sub
     * @param shardedTopology the slot map of sharded pub/sub; {@code null} for one connection
     */
    public Subscriber(SubscriberEvents owner, ConnectionFactory factory, ClusterTopology shardedTopology,
            ChannelNames names, MessageDeserializer deserializer, Logger logger, String prefix,
            long initialDelayMillis, long maxDelayMillis, int readTimeoutMillis, ThreadFactory threads,
            String threadName, long maxReceivedBytes) {
        this.owner = owner;
        this.topology = shardedTopology;
        this.names = names;
        this.logger = logger;
        this.prefix = prefix;
        this.dispatcher = new Dispatcher(deserializer, new ThrottledLog(logger, prefix), owner::malformed,
                owner::handlerFailed, owner::error, maxReceivedBytes);
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.links = shardedTopology != null
                ? new ShardedLinkSet(this, shardedTopology, threads, threadName)
                : new SingleLinkSet(this, factory);
    }

    boolean isRunning() {
        return running;
    }

    /**
     * Tell the subscriber when the subscriptions were last known to be in force by the loopback canary (the instant
     * the last canary that came back was published, {@code null} while none did), for the gaps of a connection
     * replaced because it seemed deaf.
     */
    public void canaryKnownGood(Supplier<Instant> knownGood) {
        this.canaryKnownGood = knownGood;
    }

    Instant canaryKnownGood() {
        return canaryKnownGood.get();
    }

    public boolean isConnected() {
        return connected;
    }

    public int subscriptionCount() {
        return channels.size() + patterns.size();
    }

    /** Whether every channel and pattern is subscribed and confirmed by Redis (for readiness; any thread). */
    public boolean allConfirmed() {
        if (!connected) {
            return false;
        }
        for (ChannelEntry entry : channels.values()) {
            if (!entry.ready.isDone()) {
                return false;
            }
        }
        for (ChannelEntry entry : patterns.values()) {
            if (!entry.ready.isDone()) {
                return false;
            }
        }
        return true;
    }

    /** The threads of the sharded links, to join on destroy. */
    public List<Thread> linkThreads() {
        return links.linkThreads();
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
                entry = new ChannelEntry(wire, name, pattern, pattern ? -1 : links.slotOf(wire));
                map.put(wire, entry);
            }
            entry.handlers.add(handler);
            if (created) {
                links.hold(entry);
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
        links.release(entry);
    }

    /** The channels a link holds; caller holds registryLock. */
    List<ChannelEntry> channelsOf(SubscriberLink link) {
        return links.channelsOf(link, new ArrayList<>(channels.values()));
    }

    /**
     * Tell whether an entry of a link's replay is still wanted there: still registered and, with sharded pub/sub,
     * still assigned to that link; caller holds registryLock.
     */
    boolean stillHeld(ChannelEntry entry, SubscriberLink link) {
        ChannelEntry current = entry.pattern ? patterns.get(entry.wire) : channels.get(entry.wire);
        return current == entry && links.holds(entry, link);
    }

    /** The patterns a link holds; caller holds registryLock. */
    List<ChannelEntry> patternsOf(SubscriberLink link) {
        return links.patternsOf(link, new ArrayList<>(patterns.values()));
    }

    // ---------------------------------------------------------------- reports from the links

    /** A link confirmed its connection and every subscription replayed on it. */
    void linkUp(SubscriberLink link, boolean reconnect) {
        retryNow(link);
        owner.subscriberConnectionUp();
        links.linkUp(link, reconnect);
    }

    /** A link lost its connection or failed to connect; it retries by itself with backoff. */
    void linkDown(SubscriberLink link, boolean wasUp, RedisPubSubException error) {
        links.linkDown(link, wasUp, error);
    }

    /** Redis confirmed the subscription of a channel on a sharded link. */
    void shardChannelConfirmed(SubscriberLink link, ChannelEntry entry) {
        links.confirmed(link, entry);
    }

    /** Redis dropped channels of a link (sunsubscribe push) or redirected its SSUBSCRIBE (MOVED). */
    void shardChannelsLost(SubscriberLink link, List<String> wires, HostAndPort redirectedTo) {
        Instant from = link.lastGood();
        for (String wire : wires) {
            ChannelEntry entry = channels.get(wire);
            if (entry != null) {
                entry.notInForce(from, SubscriptionGap.Reason.RESUBSCRIBED);
            }
        }
        links.channelsLost(link, wires, redirectedTo);
    }

    /**
     * A link's connection is gone (link thread, no lock held): every entry it held in force opens a gap, known good
     * last at {@code from}.
     */
    void linkLost(SubscriberLink link, Instant from, SubscriptionGap.Reason reason) {
        synchronized (registryLock) {
            for (ChannelEntry entry : channelsOf(link)) {
                entry.notInForce(from, reason);
            }
            for (ChannelEntry entry : patternsOf(link)) {
                entry.notInForce(from, reason);
            }
        }
    }

    /** Redis confirmed an entry (link thread): close its gap, if any, and have it handed to the handlers. */
    void confirmed(ChannelEntry entry) {
        if (entry.confirmed(Instant.now())) {
            gaps.add(entry);
            scheduleGaps();
        }
    }

    private void scheduleGaps() {
        if (!gaps.isEmpty() && gapsScheduled.compareAndSet(false, true)) {
            if (!owner.runCallback(this::deliverGaps)) {
                // the callback queue is full: the housekeeper's next ping tries again
                gapsScheduled.set(false);
            }
        }
    }

    /** The callback thread: hand the closed gaps to the handlers. */
    private void deliverGaps() {
        gapsScheduled.set(false);
        ChannelEntry entry;
        while ((entry = gaps.poll()) != null) {
            SubscriptionGap gap = entry.takeGap();
            if (gap != null && entry.hasApplicationHandler()) {
                owner.subscriptionGap();
                entry.deliverGap(gap, dispatcher);
            }
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
        links.retryNow(except);
    }

    /** Drop the connection and reconnect at once (Sentinel reported a new master); not used when sharded. */
    public void kick() {
        links.kick();
    }

    /**
     * Close the connections whose write has been blocked longer than {@code timeoutNanos} (housekeeper; takes no
     * lock a blocked write holds).
     */
    public void watchdog(long timeoutNanos) {
        links.watchdog(System.nanoTime(), timeoutNanos);
    }

    /** Called by the housekeeper every ping interval. */
    public void ping() {
        links.ping();
        scheduleGaps();
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
        links.stop();
    }

    @Override
    public void run() {
        links.run();
        connected = false;
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
        if (names.isReserved(wireChannel)) {
            // the library's own channel (the canary), never the application's patterns'
            return;
        }
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

    /** The codec path of this subscriber's handlers, for the history subscriptions built on top of it. */
    public Dispatcher dispatcher() {
        return dispatcher;
    }
}

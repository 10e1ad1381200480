package dev.wskit.redis.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.wskit.redis.MessageSerializer;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.RedisPubSubStats;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.internal.codec.ChannelNames;
import dev.wskit.redis.internal.subscribe.ChannelEntry;
import dev.wskit.redis.internal.subscribe.Dispatcher;
import dev.wskit.redis.internal.history.HistoryDispatcher;
import dev.wskit.redis.internal.history.HistoryStore;
import dev.wskit.redis.History;
import dev.wskit.redis.HistoryHandler;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.internal.subscribe.GlobPattern;
import dev.wskit.redis.internal.subscribe.HandlerRef;
import dev.wskit.redis.internal.support.ThrottledLog;

/**
 * The in-memory {@link RedisPubSub}, connected to a {@link LocalBroker} instead of Redis. Channel names, patterns,
 * the namespace, the codec ({@link Dispatcher}, shared with {@link RedisPubSubImpl}), handler isolation, errors and
 * counters are those of the Redis implementation; there are no connections and no threads: messages are delivered
 * on the publishing thread, see {@link LocalBroker}. Callbacks ({@code onConnect}, {@code onDisconnect},
 * {@code onError}) run on the thread that caused them.
 *
 * <p>A disconnection can be simulated ({@link #simulateDisconnect()}): publishes then fail at once, messages are not
 * received, new subscriptions are acknowledged only at {@link #simulateReconnect()}.
 *
 * <p>Thread-safe.
 */
public final class LocalPubSub extends PubSubFront {

    private static final Logger LOGGER = System.getLogger("dev.wskit.redis");
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final LocalBroker broker;
    private final RedisPubSubOptions options;
    private final String prefix;
    private final MessageSerializer serializer;
    private final Dispatcher dispatcher;

    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, ChannelEntry> channels = new LinkedHashMap<>();
    private final Map<String, ChannelEntry> patterns = new LinkedHashMap<>();
    private final Map<String, GlobPattern> globs = new HashMap<>();
    private boolean destroyed;
    private boolean connected;
    private CompletableFuture<Void> nextConnection = new CompletableFuture<>();

    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder subscriptionGaps = new LongAdder();
    /** The history subscriptions and their thread, started at the first use of history; guarded by lock. */
    private HistoryDispatcher history;
    private Thread historyThread;

    LocalPubSub(LocalBroker broker, RedisPubSubOptions options) {
        super(new ChannelNames(options.namespace()), options.shardedPubSub() && options.client() == null);
        this.broker = broker;
        this.options = options;
        this.prefix = "[" + options.clientName() + "-in-memory#" + INSTANCES.incrementAndGet() + "] ";
        this.serializer = options.serializeMessage();
        Consumer<Throwable> onError = options.onError();
        this.dispatcher = new Dispatcher(options.deserializeMessage(), new ThrottledLog(LOGGER, prefix),
                malformed::increment, handlerErrors::increment, e -> callback(() -> onError.accept(e)),
                options.maxReceivedMessageBytes());
    }

    /** Called by the broker once this instance is a member: the first connection. */
    void started() {
        CompletableFuture<Void> waiting;
        synchronized (lock) {
            connected = true;
            waiting = nextConnection;
            nextConnection = new CompletableFuture<>();
        }
        callback(options.onConnect());
        waiting.complete(null);
    }

    // ---------------------------------------------------------------- API

    @Override
    public CompletionStage<Void> publish(String channel, Object message) {
        String wire = names.toWire(channel);
        return send(channel, message, payload -> {
            broker.publish(wire, payload.getBytes(StandardCharsets.UTF_8));
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletionStage<StreamPosition> publishWithHistory(String channel, Object message) {
        names.toWire(channel);
        return send(channel, message, payload -> history().publish(channel, payload));
    }

    /**
     * Publish the serialized message with {@code sender}, or fail (counted) when destroyed, disconnected or not
     * serializable.
     */
    private <T> CompletionStage<T> send(String channel, Object message, Function<String, CompletionStage<T>> sender) {
        boolean up;
        synchronized (lock) {
            if (destroyed) {
                publishFailures.increment();
                return CompletableFuture.failedFuture(publishAfterDestroy());
            }
            up = connected;
        }
        String payload;
        try {
            payload = Dispatcher.serialize(serializer, channel, message);
        } catch (RedisPubSubException e) {
            publishFailures.increment();
            return CompletableFuture.failedFuture(e);
        }
        if (!up) {
            publishFailures.increment();
            return CompletableFuture.failedFuture(new RedisPubSubException("publish rejected: Redis is unreachable"
                    + " at " + endpoint() + " (disconnected by simulateDisconnect()); the message was not sent"));
        }
        published.increment();
        return sender.apply(payload);
    }

    @Override
    public <T> Subscription subscribeWithHistory(String channel, Class<T> type, StreamPosition since,
            HistoryHandler<? super T> handler) {
        names.toWire(channel);
        if (type == null || handler == null) {
            throw new IllegalArgumentException((type == null ? "type" : "handler") + " must not be null");
        }
        HistoryDispatcher dispatcher;
        synchronized (lock) {
            if (destroyed) {
                throw new IllegalStateException("RedisPubSub was destroyed; create a new instance to subscribe");
            }
            dispatcher = history();
        }
        return dispatcher.subscribe(channel, type, since, handler);
    }

    @Override
    public CompletionStage<History> history(String channel, StreamPosition since, int limit) {
        names.toWire(channel);
        if (limit < 0 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be between 0 and 10000, was " + limit);
        }
        synchronized (lock) {
            if (destroyed) {
                return CompletableFuture.failedFuture(destroyedError());
            }
            return history().read(channel, since, limit);
        }
    }

    /** The history dispatcher, started at the first call. */
    private HistoryDispatcher history() {
        synchronized (lock) {
            return startHistory();
        }
    }

    private HistoryDispatcher startHistory() {
        if (history == null) {
            HistoryStore store = broker.histories().forInstance(options.historySize());
            history = new HistoryDispatcher(historyHost(store, () -> dispatcher), 65536, LOGGER, prefix);
            historyThread = new Thread(history, prefix.trim() + "-history");
            historyThread.setDaemon(true);
            historyThread.start();
        }
        return history;
    }

    @Override
    public boolean isConnected() {
        synchronized (lock) {
            return connected && !destroyed;
        }
    }

    @Override
    public CompletionStage<Void> connected() {
        synchronized (lock) {
            if (destroyed) {
                return CompletableFuture.failedFuture(destroyedError());
            }
            if (connected) {
                return CompletableFuture.completedFuture(null);
            }
            return nextConnection.minimalCompletionStage();
        }
    }

    @Override
    public RedisPubSubStats stats() {
        int subscriptions;
        synchronized (lock) {
            subscriptions = channels.size() + patterns.size();
        }
        // callbacks run on the thread that caused them: none is ever dropped
        return new StatsValues(published.sum(), publishFailures.sum(), received.sum(), malformed.sum(),
                handlerErrors.sum(), reconnects.sum(), subscriptions, 0, subscriptionGaps.sum()).toStats();
    }

    @Override
    public void destroy() {
        CompletableFuture<Void> waiting;
        List<ChannelEntry> entries;
        synchronized (lock) {
            if (destroyed) {
                return;
            }
            destroyed = true;
            connected = false;
            waiting = nextConnection;
            entries = new ArrayList<>(channels.values());
            entries.addAll(patterns.values());
        }
        broker.leave(this);
        HistoryDispatcher h;
        synchronized (lock) {
            h = history;
        }
        if (h != null) {
            h.stop();
        }
        for (ChannelEntry entry : entries) {
            entry.ready.completeExceptionally(new RedisPubSubException("RedisPubSub was destroyed"));
        }
        waiting.completeExceptionally(destroyedError());
    }

    /**
     * Simulate the loss of the connections: publishes fail at once, messages published meanwhile are not received
     * (at-most-once), subscriptions made meanwhile are acknowledged at {@link #simulateReconnect()};
     * {@code onDisconnect} is called. Does nothing if already disconnected or destroyed.
     */
    public void simulateDisconnect() {
        List<ChannelEntry> entries;
        synchronized (lock) {
            if (destroyed || !connected) {
                return;
            }
            connected = false;
            entries = new ArrayList<>(channels.values());
            entries.addAll(patterns.values());
        }
        Instant now = Instant.now();
        for (ChannelEntry entry : entries) {
            entry.notInForce(now, SubscriptionGap.Reason.CONNECTION_LOST);
        }
        callback(options.onDisconnect());
    }

    /**
     * End a simulated disconnection: every subscription is held again and acknowledged, {@code onConnect} is called,
     * {@link #connected()} completes and {@link RedisPubSubStats#reconnects()} counts one. Does nothing if connected
     * or destroyed.
     */
    public void simulateReconnect() {
        CompletableFuture<Void> waiting;
        List<ChannelEntry> entries;
        synchronized (lock) {
            if (destroyed || connected) {
                return;
            }
            connected = true;
            waiting = nextConnection;
            nextConnection = new CompletableFuture<>();
            entries = new ArrayList<>(channels.values());
            entries.addAll(patterns.values());
        }
        reconnects.increment();
        Instant now = Instant.now();
        List<ChannelEntry> gapped = new ArrayList<>();
        for (ChannelEntry entry : entries) {
            entry.ready.complete(null);
            if (entry.confirmed(now)) {
                gapped.add(entry);
            }
        }
        // as with Redis: each subscription that was in force before the disconnection is told of its gap (here on
        // the calling thread, before this method returns)
        for (ChannelEntry entry : gapped) {
            SubscriptionGap gap = entry.takeGap();
            if (gap != null && entry.hasApplicationHandler()) {
                subscriptionGaps.increment();
                entry.deliverGap(gap, dispatcher);
            }
        }
        HistoryDispatcher h;
        synchronized (lock) {
            h = history;
        }
        if (h != null) {
            // what was published while disconnected is read from the history
            h.reconnected();
        }
        callback(options.onConnect());
        waiting.complete(null);
    }

    /**
     * Return the broker this instance is connected to.
     *
     * @return the broker; never {@code null}
     */
    public LocalBroker broker() {
        return broker;
    }

    @Override
    public String toString() {
        return "RedisPubSub" + prefix.trim() + "{namespace=" + options.namespace() + ", connected=" + isConnected()
                + "}";
    }

    // ---------------------------------------------------------------- broker side

    /** A message crossed the broker; called on the delivering thread, without any lock of this instance held. */
    void receive(String wireChannel, byte[] payload) {
        ChannelEntry channel;
        List<ChannelEntry> matching = null;
        synchronized (lock) {
            if (!connected || destroyed) {
                return;
            }
            channel = channels.get(wireChannel);
            for (ChannelEntry pattern : patterns.values()) {
                if (globs.computeIfAbsent(pattern.wire, GlobPattern::new).matches(wireChannel)) {
                    if (matching == null) {
                        matching = new ArrayList<>(1);
                    }
                    matching.add(pattern);
                }
            }
        }
        // like Redis: the channel subscription first, then each matching pattern, each a message of its own
        if (channel != null) {
            received.increment();
            dispatcher.dispatch(channel, channel.name, payload);
        }
        if (matching != null) {
            String name = names.fromWire(wireChannel);
            for (ChannelEntry pattern : matching) {
                received.increment();
                dispatcher.dispatch(pattern, name, payload);
            }
        }
    }

    boolean holdsChannel(String wireChannel) {
        synchronized (lock) {
            return connected && !destroyed && channels.containsKey(wireChannel);
        }
    }

    int patternCount() {
        synchronized (lock) {
            return connected && !destroyed ? patterns.size() : 0;
        }
    }

    void addChannelsTo(Collection<String> all) {
        synchronized (lock) {
            if (connected && !destroyed) {
                all.addAll(channels.keySet());
            }
        }
    }

    // ---------------------------------------------------------------- registry

    @Override
    void remove(String wire, boolean pattern, Object identity, Class<?> type) {
        remove(pattern ? patterns : channels, wire, identity, type);
    }

    @Override
    Subscription register(String wire, String name, boolean pattern, HandlerRef handler) {
        ChannelEntry entry;
        boolean acknowledge;
        synchronized (lock) {
            if (destroyed) {
                throw new IllegalStateException("RedisPubSub was destroyed; create a new instance to subscribe");
            }
            Map<String, ChannelEntry> map = pattern ? patterns : channels;
            entry = map.get(wire);
            if (entry == null) {
                entry = new ChannelEntry(wire, name, pattern, -1);
                map.put(wire, entry);
            }
            entry.handlers.add(handler);
            acknowledge = connected;
        }
        if (acknowledge) {
            entry.ready.complete(null);
            entry.confirmed(Instant.now());
        }
        return new EntrySubscription(entry, handler, this::remove);
    }

    private void remove(Map<String, ChannelEntry> map, String wire, Object identity, Class<?> type) {
        ChannelEntry released = null;
        synchronized (lock) {
            ChannelEntry entry = map.get(wire);
            if (entry == null) {
                return;
            }
            entry.handlers.removeIf(ref -> ref.matches(identity, type));
            if (entry.handlers.isEmpty()) {
                map.remove(wire);
                globs.remove(wire);
                released = entry;
            }
        }
        if (released != null) {
            notAcknowledged(released);
        }
    }

    private void remove(ChannelEntry entry, HandlerRef handler) {
        boolean release;
        synchronized (lock) {
            Map<String, ChannelEntry> map = entry.pattern ? patterns : channels;
            release = entry.handlers.remove(handler) && entry.handlers.isEmpty() && map.get(entry.wire) == entry;
            if (release) {
                map.remove(entry.wire);
                globs.remove(entry.wire);
            }
        }
        if (release) {
            notAcknowledged(entry);
        }
    }

    private static void notAcknowledged(ChannelEntry entry) {
        entry.ready.completeExceptionally(new RedisPubSubException(
                "subscription to " + entry.name + " was closed before Redis acknowledged it"));
    }

    private String endpoint() {
        return "in-memory broker";
    }

    private void callback(Runnable callback) {
        try {
            callback.run();
        } catch (Throwable t) {
            LOGGER.log(Level.WARNING, prefix + "a lifecycle callback threw; ignored", t);
        }
    }

    private static RedisPubSubException destroyedError() {
        return new RedisPubSubException("RedisPubSub was destroyed before it connected",
                new IllegalStateException("RedisPubSub was destroyed"));
    }
}

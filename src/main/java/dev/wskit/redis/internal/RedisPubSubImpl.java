package dev.wskit.redis.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.management.ObjectName;

import dev.wskit.redis.MessageSerializer;
import dev.wskit.redis.RedisPubSub;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.RedisPubSubOptions;
import dev.wskit.redis.RedisPubSubStats;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.TypedMessageHandler;

import redis.clients.jedis.HostAndPort;
import dev.wskit.redis.internal.codec.ChannelNames;
import dev.wskit.redis.internal.connection.ClientConfigs;
import dev.wskit.redis.internal.connection.ConnectionFactory;
import dev.wskit.redis.internal.connection.SentinelConnectionFactory;
import dev.wskit.redis.internal.publish.Publisher;
import dev.wskit.redis.internal.publish.PublisherEvents;
import dev.wskit.redis.internal.publish.ShardedPublisher;
import dev.wskit.redis.internal.publish.SingleNodePublisher;
import dev.wskit.redis.internal.subscribe.ChannelEntry;
import dev.wskit.redis.internal.subscribe.Dispatcher;
import dev.wskit.redis.internal.history.HistoryDispatcher;
import dev.wskit.redis.internal.history.HistorySettings;
import dev.wskit.redis.internal.history.RedisHistoryStore;
import dev.wskit.redis.History;
import dev.wskit.redis.HistoryHandler;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.internal.subscribe.HandlerRef;
import dev.wskit.redis.internal.subscribe.Subscriber;
import dev.wskit.redis.internal.subscribe.SubscriberEvents;
import dev.wskit.redis.internal.support.ThrottledLog;
import dev.wskit.redis.internal.topology.ClusterTopology;
import dev.wskit.redis.internal.topology.SentinelWatcher;
import dev.wskit.redis.internal.health.Canary;
import dev.wskit.redis.internal.health.HealthView;
import dev.wskit.redis.internal.health.InstanceMXBean;
import dev.wskit.redis.internal.health.InstanceMonitor;
import dev.wskit.redis.internal.health.JmxRegistration;
import dev.wskit.redis.internal.health.RedisPubSubMXBean;
import dev.wskit.redis.internal.support.Clock;
import dev.wskit.redis.internal.selfcheck.SelfCheckReport;
import dev.wskit.redis.internal.selfcheck.SelfCheckRun;

/**
 * The implementation of {@link RedisPubSub} over Redis ({@link LocalPubSub} is the one in memory).
 *
 * <p>Owns six threads, all from the configured {@link ThreadFactory}: the subscriber (reads the subscriber
 * connection and calls the handlers), the writer (writes the subscriber connection's commands, {@link LinkWriter}),
 * the publisher (writes pipelined PUBLISH batches), the publisher's reply reader (reads their replies and completes
 * the publishes; not with sharded pub/sub, whose publisher thread does both), the housekeeper (queues the PINGs of
 * the subscriber connection, closes connections whose writes are blocked) and the callback thread
 * ({@link CallbackRunner}: runs {@code onConnect}, {@code onDisconnect}, {@code onError} and the dependent actions
 * of {@link #connected()}, so that no user code runs on a thread that keeps a connection alive). Callers only
 * queue: no API method touches a socket. With Sentinel one more thread watches a sentinel for
 * {@code +switch-master}; with sharded pub/sub the subscriber thread coordinates one more thread per cluster master
 * that holds subscribed channels, each reading that master's connection. Once, when a connection first reaches
 * Redis, a short-lived thread runs the start-up self-check on a connection of its own ({@link SelfCheckRun}).
 * {@link #destroy()} stops them all and waits a bounded time for each.
 *
 * <p>Connections by topology: standalone and Sentinel use one subscriber and one publisher connection to the
 * (current) master; a classic cluster uses one of each to any node; a sharded cluster uses one subscriber connection
 * per master owning a subscribed channel and one publisher connection per master.
 *
 * <p>Each connection reconnects with a backoff of its own, but when one of them gets through to Redis again, the
 * others stop waiting out their backoff and retry at once ({@link #subscriberConnectionUp()},
 * {@link #publisherConnectionUp()}): after an outage the instance should not stay half-connected, with messages
 * received but every publish failing (or the reverse), for up to the longest reconnect delay.
 */
public final class RedisPubSubImpl extends PubSubFront implements PublisherEvents, SubscriberEvents {

    private static final Logger LOGGER = System.getLogger("dev.wskit.redis");
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final long JOIN_MILLIS = 5000;
    /** The most live messages queued for the history subscriptions (those beyond are read back later). */
    private static final int HISTORY_QUEUE = 65536;
    /** The most messages one {@code history} call returns. */
    private static final int MAX_HISTORY_READ = 10_000;

    private final RedisPubSubOptions options;
    private final String prefix;
    private final MessageSerializer serializer;
    private final Subscriber subscriber;
    private final Publisher publisher;
    private final Housekeeper housekeeper;
    private final CallbackRunner callbacks;
    private final SentinelWatcher sentinelWatcher;
    /** The channels with history: publishing, reading and the history subscriptions, on a thread of its own. */
    private final HistoryDispatcher history;
    /** The history dispatcher's thread, started at the first use of history; guarded by {@link #history}. */
    private Thread historyThread;
    private final ThreadFactory threadFactory;
    private final String name;
    /** Why history is not available with this deployment; {@code null} if it is. */
    private final String noHistory;
    private final SentinelConnectionFactory subscriberSentinel;
    private final SentinelConnectionFactory publisherSentinel;
    /** The instance's own threads, in the order they were started (stopped in the reverse order). */
    private final List<Thread> threads;

    private final AtomicBoolean destroyed = new AtomicBoolean();
    /** Connected or not as the callbacks and {@link #connected()} report it; see {@link ConnectionState}. */
    private final ConnectionState state;
    /** Completed (on the callback thread) with the next connection; replaced by a fresh one after each completion. */
    private final AtomicReference<CompletableFuture<Void>> nextConnection =
            new AtomicReference<>(new CompletableFuture<>());
    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();
    private final LongAdder subscriptionGaps = new LongAdder();
    private final AtomicLong reconnects = new AtomicLong();
    /** Connection history for readiness; the loopback canary ({@code null} when off). */
    private final InstanceMonitor monitor = new InstanceMonitor();
    private final Canary canary;
    /** The instance's MBean, unregistered by {@link #destroy()}. */
    private final JmxRegistration jmx;
    /** The start-up self-check ({@code null} when off), started when a connection first reaches Redis. */
    private final SelfCheckRun selfCheck;
    /** Why a strict self-check failed the start; {@code null} unless it did. */
    private volatile RedisPubSubException strictFailure;

    /**
     * Create and start an instance; see {@link RedisPubSub#create(RedisPubSubOptions)}.
     *
     * @param options the options; must not be {@code null}
     */
    public RedisPubSubImpl(RedisPubSubOptions options) {
        super(new ChannelNames(Objects.requireNonNull(options, "options must not be null").namespace()),
                options.client() == null && options.topology() == RedisPubSubOptions.Topology.CLUSTER
                        && options.shardedPubSub());
        this.options = options;
        String name = options.clientName() + "#" + INSTANCES.incrementAndGet();
        this.prefix = "[" + name + "] ";
        this.serializer = options.serializeMessage();
        long initial = options.reconnectDelay().toMillis();
        long max = options.maxReconnectDelay().toMillis();
        int readTimeout = Math.toIntExact(options.pingInterval().plus(options.pingTimeout()).toMillis());
        long idlePing = options.pingInterval().toNanos();
        long hold = options.holdPublishesWhileConnecting().toNanos();
        ThreadFactory threadFactory = options.threadFactory() != null
                ? options.threadFactory()
                : new DaemonThreadFactory(options.clientName());

        ConnectionFactories factories = ConnectionFactories.of(options);
        ClusterTopology shardedTopology = factories.sharded();
        ConnectionFactory subscriberFactory = factories.subscriber();
        ConnectionFactory publisherFactory = factories.publisher();
        this.subscriber = new Subscriber(this, subscriberFactory, shardedTopology, names,
                options.deserializeMessage(), LOGGER, prefix, initial, max, readTimeout, threadFactory,
                name + "-subscriber", options.maxReceivedMessageBytes());
        this.publisher = shardedTopology != null
                ? new ShardedPublisher(this, shardedTopology, options.endpoint(), options.maxPendingPublishes(),
                        options.maxPendingPublishBytes(), initial, max, idlePing, hold, new ThrottledLog(LOGGER, prefix))
                : new SingleNodePublisher(this, publisherFactory, options.maxPendingPublishes(),
                        options.maxPendingPublishBytes(), initial, max,
                        idlePing, hold, new ThrottledLog(LOGGER, prefix));
        this.history = new HistoryDispatcher(historyHost(new RedisHistoryStore(publisher::submit,
                new HistorySettings(options.historySize(), options.historyTtl().toMillis(),
                        options.historyMetaTtl().toMillis()), sharded()), subscriber::dispatcher), HISTORY_QUEUE,
                LOGGER, prefix);
        this.noHistory = noHistory(options);
        this.state = new ConnectionState(() -> subscriber.isConnected() && publisher.isConnected(), this::onConnected,
                () -> {
                    monitor.disconnected();
                    callback(options.onDisconnect());
                });
        if (subscriberFactory instanceof SentinelConnectionFactory sub
                && publisherFactory instanceof SentinelConnectionFactory pub) {
            this.subscriberSentinel = sub;
            this.publisherSentinel = pub;
            this.sentinelWatcher = new SentinelWatcher(options, this::masterSwitched, LOGGER, prefix, initial, max,
                    readTimeout);
        } else {
            this.subscriberSentinel = null;
            this.publisherSentinel = null;
            this.sentinelWatcher = null;
        }
        this.housekeeper = new Housekeeper(options.pingInterval().toNanos(), housekeeping(), LOGGER, prefix);
        this.callbacks = new CallbackRunner(LOGGER, prefix);
        this.canary = startCanary();

        this.threadFactory = threadFactory;
        this.name = name;
        this.selfCheck = options.selfCheck() == RedisPubSubOptions.SelfCheck.OFF ? null
                : new SelfCheckRun(options, threadFactory, name + "-selfcheck", LOGGER, prefix);
        if (selfCheck != null) {
            selfCheck.result().thenAccept(this::selfChecked);
        }
        this.threads = startThreads(threadFactory, name);
        this.jmx = JmxRegistration.register("RedisPubSub", name, new InstanceMXBean(this::stats, this::health),
                RedisPubSubMXBean.class, LOGGER, prefix);
        LOGGER.log(Level.DEBUG, () -> prefix + "started with " + options);
    }

    /** Why history is not available with these options; {@code null} if it is. */
    private static String noHistory(RedisPubSubOptions options) {
        return options.client() == null && options.topology() == RedisPubSubOptions.Topology.CLUSTER
                && !options.shardedPubSub()
                ? "history needs the script to run on the master of the channel's slot, which classic pub/sub on a "
                        + "Redis Cluster does not do: set shardedPubSub"
                : null;
    }

    /** The housekeeper's periodic task. */
    private Runnable housekeeping() {
        SentinelWatcher watcher = sentinelWatcher;
        long pingTimeout = options.pingTimeout().toNanos();
        long commandTimeout = options.commandTimeout().toNanos();
        Publisher pub = publisher;
        return () -> {
            // no socket I/O here: the watchdogs close blocked connections without locks, the PINGs are queued
            subscriber.watchdog(pingTimeout);
            pub.watchdog(commandTimeout);
            subscriber.ping();
            history.tick();
            if (watcher != null) {
                watcher.ping();
            }
        };
    }

    /** Create the loopback canary, subscribe its channel and let the housekeeper tick it; {@code null} when off. */
    private Canary startCanary() {
        if (options.canaryInterval().isZero()) {
            return null;
        }
        String channel = Canary.CHANNEL_PREFIX + InstanceMonitor.newId();
        String wire = names.prefix() + channel;
        Canary created = new Canary(wire, options.canaryInterval().toNanos(), Clock.SYSTEM, publisher::publish,
                this::isConnected, monitor::epoch, subscriber::kick, LOGGER, prefix);
        TypedMessageHandler<String> back = (ch, payload) -> created.received(payload);
        subscriber.add(wire, channel, false, HandlerRef.internal(String.class, back));
        housekeeper.every(created.intervalNanos(), created::tick);
        subscriber.canaryKnownGood(created::knownGoodSince);
        return created;
    }

    /** Create and start the threads: those that serve the others first, the subscriber last. */
    private List<Thread> startThreads(ThreadFactory factory, String name) {
        List<Thread> started = new ArrayList<>();
        started.add(newThread(factory, callbacks, name + "-callbacks"));
        started.add(newThread(factory, housekeeper, name + "-housekeeper"));
        if (sentinelWatcher != null) {
            started.add(newThread(factory, sentinelWatcher, name + "-sentinel"));
        }
        publisher.replyReader().ifPresent(task -> started.add(newThread(factory, task, name + "-publisher-replies")));
        started.add(newThread(factory, publisher, name + "-publisher"));
        started.add(newThread(factory, subscriber.writer, name + "-writer"));
        started.add(newThread(factory, subscriber, name + "-subscriber"));
        for (Thread thread : started) {
            thread.start();
        }
        return List.copyOf(started);
    }

    private static Thread newThread(ThreadFactory factory, Runnable task, String name) {
        Thread thread = factory.newThread(task);
        if (thread == null) {
            throw new IllegalStateException("threadFactory returned null for " + name);
        }
        try {
            thread.setName(name);
        } catch (SecurityException ignored) {
            // a container thread may refuse renaming
        }
        return thread;
    }

    // ---------------------------------------------------------------- API

    @Override
    public CompletionStage<Void> publish(String channel, Object message) {
        String wire = names.toWire(channel);
        return send(channel, message, null, payload -> publisher.publish(wire.getBytes(StandardCharsets.UTF_8),
                payload.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public CompletionStage<StreamPosition> publishWithHistory(String channel, Object message) {
        names.toWire(channel);
        return send(channel, message, noHistory, payload -> history().publish(channel, payload));
    }

    /**
     * Publish the serialized message with {@code sender}, or fail (counted) when destroyed, refused or not
     * serializable.
     *
     * @param refused why publishing is refused here; {@code null} if it is not
     */
    private <T> CompletionStage<T> send(String channel, Object message, String refused,
            Function<String, CompletionStage<T>> sender) {
        String payload = null;
        RedisPubSubException failure = destroyed.get() ? publishAfterDestroy()
                : refused != null ? new RedisPubSubException("publish rejected: " + refused) : null;
        if (failure == null) {
            try {
                payload = Dispatcher.serialize(serializer, channel, message);
            } catch (RedisPubSubException e) {
                failure = e;
            }
        }
        if (failure != null) {
            publishFailures.increment();
            return CompletableFuture.failedFuture(failure);
        }
        return sender.apply(payload);
    }

    @Override
    public <T> Subscription subscribeWithHistory(String channel, Class<T> type, StreamPosition since,
            HistoryHandler<? super T> handler) {
        names.toWire(channel);
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        if (destroyed.get()) {
            throw new IllegalStateException("RedisPubSub was destroyed; create a new instance to subscribe");
        }
        if (noHistory != null) {
            throw new IllegalStateException(noHistory);
        }
        return history().subscribe(channel, type, since, handler);
    }

    @Override
    public CompletionStage<History> history(String channel, StreamPosition since, int limit) {
        names.toWire(channel);
        if (limit < 0 || limit > MAX_HISTORY_READ) {
            throw new IllegalArgumentException("limit must be between 0 and " + MAX_HISTORY_READ + ", was " + limit);
        }
        if (destroyed.get()) {
            return CompletableFuture.failedFuture(destroyedError());
        }
        if (noHistory != null) {
            return CompletableFuture.failedFuture(new RedisPubSubException(noHistory));
        }
        return history().read(channel, since, limit);
    }

    /** The history dispatcher, its thread started at the first call. */
    private HistoryDispatcher history() {
        synchronized (history) {
            if (historyThread == null && !destroyed.get()) {
                historyThread = newThread(threadFactory, history, name + "-history");
                historyThread.start();
            }
        }
        return history;
    }

    @Override
    public boolean isConnected() {
        return !destroyed.get() && subscriber.isConnected() && publisher.isConnected();
    }

    @Override
    public CompletionStage<Void> connected() {
        // read the future first: if the connection comes between the two reads, isConnected() sees it; if it came
        // before, either it still holds (isConnected()) or the future read is the one of the next connection
        CompletableFuture<Void> next = nextConnection.get();
        if (destroyed.get()) {
            return CompletableFuture.failedFuture(destroyedError());
        }
        if (isConnected()) {
            return strictPending() ? afterSelfCheck().minimalCompletionStage()
                    : CompletableFuture.completedFuture(null);
        }
        return next.minimalCompletionStage();
    }

    private RedisPubSubException destroyedError() {
        RedisPubSubException strict = strictFailure;
        if (strict != null) {
            return strict;
        }
        return new RedisPubSubException("RedisPubSub was destroyed before it connected",
                new IllegalStateException("RedisPubSub was destroyed"));
    }

    /** Whether a strict self-check has not passed (yet): then {@code connected()} waits for it. */
    private boolean strictPending() {
        if (selfCheck == null || options.selfCheck() != RedisPubSubOptions.SelfCheck.STRICT) {
            return false;
        }
        SelfCheckReport report = selfCheck.report();
        return report == null || !report.passed();
    }

    /** Completes (on the callback thread) when the strict self-check passed, exceptionally when it did not. */
    private CompletableFuture<Void> afterSelfCheck() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        selfCheck.result().whenComplete((report, e) -> {
            Runnable complete = report != null && report.passed() ? () -> gate.complete(null)
                    : () -> gate.completeExceptionally(strictFailure(report));
            // dependent actions are user code: on the callback thread, never on one that keeps a connection alive
            if (!callbacks.submit(complete)) {
                complete.run();
            }
        });
        return gate;
    }

    private synchronized RedisPubSubException strictFailure(SelfCheckReport report) {
        if (strictFailure == null) {
            strictFailure = SelfCheckRun.strictFailure(report, options.endpoint());
        }
        return strictFailure;
    }

    /** The self-check finished (on its thread): a strict one that found problems fails the start. */
    private void selfChecked(SelfCheckReport report) {
        if (report.passed() || options.selfCheck() != RedisPubSubOptions.SelfCheck.STRICT || destroyed.get()) {
            return;
        }
        RedisPubSubException failure = strictFailure(report);
        nextConnection.get().completeExceptionally(failure);
        // onError first, then destroy (which drops the callbacks still queued): both on the callback thread
        Consumer<Throwable> onError = options.onError();
        if (!callbacks.submit(() -> {
            try {
                onError.accept(failure);
            } finally {
                destroy();
            }
        })) {
            destroy();
        }
    }

    /** Start the self-check, once: a connection reached Redis. */
    private void startSelfCheck() {
        if (selfCheck != null && !destroyed.get()) {
            selfCheck.start();
        }
    }

    /**
     * Return the start-up self-check's result.
     *
     * @return the result, completed with the report once the check ran; {@code null} when the self-check is off
     */
    public CompletableFuture<SelfCheckReport> selfCheck() {
        return selfCheck == null ? null : selfCheck.result();
    }

    @Override
    public RedisPubSubStats stats() {
        // the canary's own messages and subscription are left out: the counts are the application's
        Canary c = canary;
        return new StatsValues(published.sum() - (c == null ? 0 : c.published()),
                publishFailures.sum() - (c == null ? 0 : c.publishFailures()),
                received.sum() - (c == null ? 0 : c.received()), malformed.sum(), handlerErrors.sum(),
                reconnects.get(), subscriber.subscriptionCount() - (c == null ? 0 : 1), callbacks.dropped(),
                c == null ? -1 : c.lastRoundTripNanos(), c == null ? 0 : c.failures(), subscriptionGaps.sum())
                .toStats();
    }

    /**
     * Return the name of this instance's MBean.
     *
     * @return the name; {@code null} if it could not be registered
     */
    public ObjectName mbeanName() {
        return jmx.name();
    }

    /**
     * Return what readiness checks and JMX show of this instance now.
     *
     * @return the view; never {@code null}
     */
    public HealthView health() {
        Canary c = canary;
        String topology = options.client() != null ? "CLIENT" : options.topology().name()
                + (options.topology() == RedisPubSubOptions.Topology.CLUSTER && options.shardedPubSub()
                        ? " (sharded)" : "");
        return new HealthView(destroyed.get(), subscriber.isConnected(), publisher.isConnected(),
                subscriber.allConfirmed(), c != null, c != null && c.isLate(), monitor.connectedSince(),
                c == null ? -1 : c.lastRoundTripNanos(), c == null ? 0 : c.failures(),
                subscriber.subscriptionCount() - (c == null ? 0 : 1), options.endpoint(), topology,
                options.namespace(), selfCheckSummary(), selfCheckProblems());
    }

    private String selfCheckSummary() {
        if (selfCheck == null) {
            return "off";
        }
        SelfCheckReport report = selfCheck.report();
        return report == null ? "pending" : report.summary();
    }

    private int selfCheckProblems() {
        SelfCheckReport report = selfCheck == null ? null : selfCheck.report();
        return report == null ? 0 : report.problems().size();
    }

    @Override
    public void destroy() {
        if (!destroyed.compareAndSet(false, true)) {
            return;
        }
        state.destroy();
        jmx.unregister();
        nextConnection.get().completeExceptionally(destroyedError());
        if (selfCheck != null) {
            selfCheck.stop();
        }
        subscriber.stop();
        publisher.stop();
        housekeeper.stop();
        callbacks.stop();
        history.stop();
        Thread historyStarted;
        synchronized (history) {
            historyStarted = historyThread;
        }
        if (historyStarted != null) {
            join(historyStarted);
        }
        if (sentinelWatcher != null) {
            sentinelWatcher.stop();
        }
        Thread checking = selfCheck == null ? null : selfCheck.thread();
        if (checking != null) {
            join(checking);
        }
        // the reverse of the start order: the subscriber (and its link threads) first
        for (int i = threads.size() - 1; i >= 0; i--) {
            join(threads.get(i));
            if (i == threads.size() - 1) {
                for (Thread link : subscriber.linkThreads()) {
                    join(link);
                }
            }
        }
        LOGGER.log(Level.DEBUG, () -> prefix + "destroyed");
    }

    @Override
    public String toString() {
        return "RedisPubSub" + prefix.trim() + "{endpoint=" + options.endpoint() + ", namespace="
                + options.namespace() + ", connected=" + isConnected() + ", destroyed=" + destroyed.get() + "}";
    }

    private void join(Thread thread) {
        if (thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(JOIN_MILLIS);
            if (thread.isAlive()) {
                LOGGER.log(Level.WARNING, prefix + "thread " + thread.getName() + " did not stop within "
                        + JOIN_MILLIS + " ms after destroy()");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    void remove(String wire, boolean pattern, Object identity, Class<?> type) {
        subscriber.remove(wire, pattern, identity, type);
    }

    @Override
    Subscription register(String wire, String name, boolean pattern, HandlerRef handler) {
        if (destroyed.get()) {
            throw new IllegalStateException("RedisPubSub was destroyed; create a new instance to subscribe");
        }
        ChannelEntry entry = subscriber.add(wire, name, pattern, handler);
        return new EntrySubscription(entry, handler, subscriber::remove);
    }

    // ---------------------------------------------------------------- callbacks from the threads

    public void subscriberConnected() {
        maybeConnected();
        // every subscription is confirmed again: the history subscriptions read what they may have missed
        history.reconnected();
    }

    public void publisherConnected() {
        maybeConnected();
    }

    /**
     * A subscriber connection was confirmed: Redis answers again, so a publisher connection that is waiting out its
     * backoff after the same outage retries now instead of leaving the instance half-connected.
     */
    public void subscriberConnectionUp() {
        startSelfCheck();
        publisher.retryNow();
    }

    /** A publisher connection was opened: the subscriber connections that are down retry now, see above. */
    public void publisherConnectionUp() {
        startSelfCheck();
        subscriber.retryNow(null);
    }

    private void maybeConnected() {
        state.update();
    }

    /** The instance became connected (see {@link ConnectionState}); runs under its lock: only queues work. */
    private void onConnected() {
        monitor.connected();
        startSelfCheck();
        callback(options.onConnect());
        CompletableFuture<Void> waiting = nextConnection.getAndSet(new CompletableFuture<>());
        if (destroyed.get()) {
            waiting.completeExceptionally(destroyedError());
        } else {
            if (strictPending()) {
                afterSelfCheck().whenComplete((ignored, e) -> {
                    if (e == null) {
                        waiting.complete(null);
                    } else {
                        waiting.completeExceptionally(e);
                    }
                });
                return;
            }
            // dependent actions are user code: on the callback thread, never on one that keeps a connection alive
            if (!callbacks.submit(() -> waiting.complete(null))) {
                if (destroyed.get()) {
                    waiting.completeExceptionally(destroyedError());
                } else {
                    waiting.complete(null);
                }
            }
        }
    }

    /**
     * Sentinel names {@code master} as the master (a {@code +switch-master} message, or the answer after the watcher
     * connected): move the connections that use another one there now.
     */
    private void masterSwitched(HostAndPort master) {
        if (destroyed.get()) {
            return;
        }
        // null: that connection has not resolved a master yet, and will resolve the current one
        HostAndPort sub = subscriberSentinel.current();
        HostAndPort pub = publisherSentinel.current();
        boolean moveSubscriber = sub != null && !sub.equals(master);
        boolean movePublisher = pub != null && !pub.equals(master);
        if (moveSubscriber || movePublisher) {
            LOGGER.log(Level.INFO, prefix + "moving to the new master " + options.sentinelMaster() + " at "
                    + ClientConfigs.format(master));
        }
        if (moveSubscriber) {
            subscriber.kick();
        }
        if (movePublisher) {
            publisher.kick();
        }
    }

    @Override
    public void subscriberChannelsMoved() {
        // their messages published while they were moving are read from the history
        history.reconnected();
    }

    public void subscriberReconnected() {
        reconnects.incrementAndGet();
    }

    public void subscriberDisconnected() {
        publisher.requestCheck();
        disconnected();
    }

    public void publisherDisconnected() {
        disconnected();
    }

    private void disconnected() {
        state.update();
    }

    public void error(RedisPubSubException error) {
        Consumer<Throwable> onError = options.onError();
        callbacks.submit(() -> onError.accept(error));
    }

    private void callback(Runnable callback) {
        callbacks.submit(callback);
    }

    public void received() {
        received.increment();
    }

    @Override
    public void subscriptionGap() {
        subscriptionGaps.increment();
    }

    @Override
    public boolean runCallback(Runnable task) {
        return callbacks.submit(task);
    }

    @Override
    public void malformed() {
        malformed.increment();
    }

    @Override
    public void handlerFailed() {
        handlerErrors.increment();
    }

    public void published(int n) {
        published.add(n);
    }

    public void publishFailed(int n) {
        publishFailures.add(n);
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}

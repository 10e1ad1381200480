package dev.wskit.redis.internal.history;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.wskit.redis.History;
import dev.wskit.redis.HistoryHandler;
import dev.wskit.redis.MessageLoss;
import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.StreamPosition;
import dev.wskit.redis.Subscription;
import dev.wskit.redis.TypedMessageHandler;
import dev.wskit.redis.internal.subscribe.Dispatcher;

/**
 * The channels with history of one instance: publishing with the script, reading, and the history subscriptions,
 * each an ordinary subscription of the channel's raw messages plus a {@link Sequencer}.
 *
 * <p>Threads: the subscriber thread only decodes a message's envelope and queues it (bounded: beyond
 * {@code maxQueued} messages the subscription is marked stale and its messages are read back from the history at the
 * next {@link #tick()}); everything else, the sequencers, the handlers, the results of reads and the completions of
 * {@link #publish} and {@link #read}, runs on this dispatcher's own thread. So no user code runs on a thread that
 * keeps a connection alive, and a slow handler delays only the history subscriptions.
 */
public final class HistoryDispatcher implements Runnable {

    /** What the dispatcher uses of its instance. */
    public interface Host {

        /** Subscribe to a channel's raw payloads (an ordinary subscription). */
        Subscription subscribeRaw(String channel, TypedMessageHandler<String> handler);

        /** Where the histories are. */
        HistoryStore store();

        /** The channel's name on the wire. */
        String toWire(String channel);

        /** The codec path of the ordinary handlers. */
        Dispatcher dispatcher();
    }

    /** The entries read at a time by a history subscription. */
    static final int PAGE = 1000;

    private static final Runnable WAKE_UP = () -> { };

    private final Host host;
    private final int maxQueued;
    private final Logger logger;
    private final String prefix;
    private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedLive = new AtomicInteger();
    private final Set<Consumer<?>> consumers = ConcurrentHashMap.newKeySet();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private volatile boolean running = true;
    /** The reads in flight, by what they ask; see {@link #read}. */
    private final ConcurrentHashMap<ReadKey, InFlightRead> reads = new ConcurrentHashMap<>();
    /** The publishes with history queued by this instance so far. */
    private final AtomicLong appends = new AtomicLong();
    private final LongAdder sharedReads = new LongAdder();

    private record ReadKey(String channel, StreamPosition since, int limit) {
    }

    private record InFlightRead(CompletableFuture<History> result, long appendsBefore) {
    }

    /**
     * @param maxQueued the most live messages queued for the history subscriptions
     */
    public HistoryDispatcher(Host host, int maxQueued, Logger logger, String prefix) {
        this.host = host;
        this.maxQueued = maxQueued;
        this.logger = logger;
        this.prefix = prefix;
    }

    // ---------------------------------------------------------------- any thread

    /** Publish a payload with history; completes on the dispatcher's thread with the message's position. */
    public CompletionStage<StreamPosition> publish(String channel, String payload) {
        CompletableFuture<StreamPosition> appended = host.store().append(host.toWire(channel), payload);
        // counted once queued, see read
        appends.incrementAndGet();
        return onThisThread(appended);
    }

    /** Read up to {@code limit} messages after {@code since}; completes on the dispatcher's thread. */
    public CompletionStage<History> read(String channel, StreamPosition since, int limit) {
        ReadKey key = new ReadKey(channel, since, limit);
        // Identical reads asked while one is in flight share it (many clients resuming from the same position at
        // once, after an instance went away, cost Redis one read, not one each), unless a publish with history was
        // queued on this instance since that read was: its caller may expect to read what it published. The count
        // is read before this read is queued and raised after a publish is queued, so a shared read is never
        // queued behind a publish its caller made before asking.
        long appendsBefore = appends.get();
        InFlightRead running = reads.get(key);
        if (running != null && running.appendsBefore == appendsBefore) {
            sharedReads.increment();
            return onThisThread(running.result);
        }
        CompletableFuture<History> result = host.store().read(host.toWire(channel), since, limit);
        InFlightRead mine = new InFlightRead(result, appendsBefore);
        reads.put(key, mine);
        result.whenComplete((h, e) -> reads.remove(key, mine));
        return onThisThread(result);
    }

    /** The reads that shared one in flight instead of asking Redis (for tests and diagnostics). */
    public long sharedReads() {
        return sharedReads.sum();
    }

    /** Subscribe with history; see {@code RedisPubSub.subscribeWithHistory}. */
    public <T> Subscription subscribe(String channel, Class<T> type, StreamPosition since,
            HistoryHandler<? super T> handler) {
        Consumer<T> consumer = new Consumer<>(channel, type, since, handler);
        consumers.add(consumer);
        // the first read at once: without a starting position it takes the channel's position now, which is where
        // the subscription starts; once Redis confirmed the subscription, a second read fetches whatever was
        // published in between (live messages are merged and deduplicated by offset)
        post(consumer::start);
        consumer.raw = host.subscribeRaw(channel, consumer::received);
        consumer.raw.ready().whenComplete((v, e) -> {
            if (e == null) {
                post(() -> {
                    consumer.subscribed = true;
                    consumer.resync();
                    consumer.maybeReady();
                });
            } else {
                consumer.ready.completeExceptionally(e);
            }
        });
        return consumer;
    }

    /** The subscriber connection was replaced: every history subscription reads what it may have missed. */
    public void reconnected() {
        if (consumers.isEmpty()) {
            return;
        }
        post(() -> {
            for (Consumer<?> c : consumers) {
                c.resync();
            }
        });
    }

    /** Periodic: the subscriptions whose read failed or whose messages were dropped read again. */
    public void tick() {
        if (consumers.isEmpty()) {
            return;
        }
        post(() -> {
            for (Consumer<?> c : consumers) {
                if (c.stale) {
                    c.resync();
                }
            }
        });
    }

    /** Live messages dropped because the queue was full (read back from the history later). */
    public long dropped() {
        return dropped.sum();
    }

    /** Losses reported to history handlers. */
    public long lost() {
        return lost.sum();
    }

    /** Stop the thread; what is queued is dropped. */
    public void stop() {
        running = false;
        events.add(WAKE_UP);
    }

    private void post(Runnable event) {
        if (running) {
            events.add(event);
        }
    }

    /** The same outcome, completed on this dispatcher's thread (or at once once stopped). */
    private <R> CompletionStage<R> onThisThread(CompletableFuture<R> answered) {
        CompletableFuture<R> done = new CompletableFuture<>();
        answered.whenComplete((r, e) -> {
            Runnable complete = () -> {
                if (e == null) {
                    done.complete(r);
                } else {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    done.completeExceptionally(cause instanceof RedisPubSubException ? cause
                            : new RedisPubSubException("the history script failed: " + cause, cause));
                }
            };
            if (running) {
                events.add(complete);
            } else {
                complete.run();
            }
        });
        return done;
    }

    // ---------------------------------------------------------------- the dispatcher's thread

    @Override
    public void run() {
        while (running) {
            Runnable event;
            try {
                event = events.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!running) {
                break;
            }
            try {
                event.run();
            } catch (Throwable t) {
                logger.log(Level.ERROR, prefix + "history dispatch failed: " + t, t);
            }
        }
        for (Consumer<?> c : consumers) {
            c.closed = true;
            c.ready.completeExceptionally(new RedisPubSubException("RedisPubSub was destroyed"));
        }
    }

    /** One history subscription. */
    private final class Consumer<T> implements Subscription, Sequencer.Output {

        private final String channel;
        private final Class<T> type;
        private final HistoryHandler<? super T> handler;
        private final Sequencer sequencer;
        private final String wire;
        volatile Subscription raw;
        /** A read failed or messages were dropped: read at the next tick. */
        volatile boolean stale;
        volatile boolean closed;
        /** Redis confirmed the raw subscription; dispatcher thread only. */
        boolean subscribed;
        /**
         * Completes when Redis confirmed the subscription and the starting position is known: whatever is published
         * afterwards is delivered.
         */
        final CompletableFuture<Void> ready = new CompletableFuture<>();

        Consumer(String channel, Class<T> type, StreamPosition since, HistoryHandler<? super T> handler) {
            this.channel = channel;
            this.type = type;
            this.handler = handler;
            this.sequencer = new Sequencer(since, Math.max(16, maxQueued));
            this.wire = host.toWire(channel);
        }

        /** Subscriber thread: a raw message of the channel. */
        void received(String ch, String payload) {
            List<Envelope> messages = Envelope.decodeAll(payload);
            if (messages == null) {
                host.dispatcher().malformed(channel, payload, "is not a message with history (w1:<offset>:<epoch>:"
                        + "<payload> or a batch, w2:...)", null);
                return;
            }
            int n = messages.size();
            if (queuedLive.addAndGet(n) > maxQueued) {
                queuedLive.addAndGet(-n);
                dropped.add(n);
                stale = true;
                return;
            }
            events.add(() -> {
                queuedLive.addAndGet(-n);
                if (!closed) {
                    for (Envelope m : messages) {
                        sequencer.live(m, this);
                    }
                }
            });
        }

        void start() {
            if (!closed) {
                sequencer.start(this);
            }
        }

        void resync() {
            if (!closed) {
                stale = false;
                sequencer.resync(this);
            }
        }

        @Override
        public void deliver(StreamPosition position, String payload) {
            if (closed) {
                return;
            }
            Object message = host.dispatcher().convert(channel, payload, type);
            if (message == Dispatcher.MALFORMED) {
                return;
            }
            try {
                handler.onMessage(channel, type.cast(message), position);
            } catch (Throwable t) {
                host.dispatcher().handlerFailed(channel, t);
            }
        }

        @Override
        public void read(long after, boolean positionOnly) {
            StreamPosition since = positionOnly ? null : sequencer.position();
            host.store().read(wire, since, positionOnly ? 0 : PAGE).whenComplete((h, e) -> post(() -> {
                if (closed) {
                    return;
                }
                if (e != null) {
                    sequencer.readFailed();
                    stale = true;
                    logger.log(Level.DEBUG, () -> prefix + "reading the history of " + channel + " failed: " + e);
                    return;
                }
                sequencer.history(h, this);
                maybeReady();
            }));
        }

        @Override
        public void lost(StreamPosition after, StreamPosition next, MessageLoss.Reason reason) {
            lost.increment();
            try {
                handler.onLoss(MessageLoss.of(channel, after, next, reason));
            } catch (Throwable t) {
                host.dispatcher().handlerFailed(channel, t);
            }
        }

        @Override
        public String channel() {
            return channel;
        }

        @Override
        public boolean isPattern() {
            return false;
        }

        /** Complete {@link #ready} once subscribed and positioned; dispatcher thread. */
        void maybeReady() {
            if (subscribed && sequencer.position() != null && !ready.isDone()) {
                ready.complete(null);
            }
        }

        @Override
        public CompletionStage<Void> ready() {
            return ready.minimalCompletionStage();
        }

        @Override
        public void close() {
            closed = true;
            consumers.remove(this);
            raw.close();
        }

        @Override
        public String toString() {
            return "HistorySubscription{" + channel + "}";
        }
    }
}

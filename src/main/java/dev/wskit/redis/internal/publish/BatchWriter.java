package dev.wskit.redis.internal.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.wskit.redis.RedisPubSubException;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import dev.wskit.redis.internal.connection.ConnectionIo;

/**
 * The automatic pipelining both publishers share: the bounded queue {@code publish} feeds, the wake-up of the
 * publisher thread, and writing a batch onto one connection and completing its futures from the replies.
 *
 * <p>{@link #offer} is called from any thread; it never blocks. {@link #requestCheck()} and {@link #stop()} are
 * called from any thread too. Everything else runs on the publisher thread, which first calls {@link #attach()}.
 * The publisher decides where a batch goes ({@link SingleNodePublisher}: its one connection,
 * {@link ShardedPublisher}: the master of each message's slot) and what to do when a connection breaks.
 *
 * <p>Order: the queue is FIFO and one thread writes, so the messages to one connection are written, and answered,
 * in the order of the {@code publish} calls.
 */
public final class BatchWriter {

    /** The most messages written as one batch. */
    static final int MAX_BATCH = 4096;

    /**
     * One message waiting for its reply: a {@code PUBLISH} (or {@code SPUBLISH}) of a payload, or a script call
     * ({@code EVAL} with {@link #args}, for channels with history) whose reply its caller reads from {@link #reply}
     * once {@link #future} completed.
     */
    public static final class Pending {
        final byte[] channel;
        final byte[] payload;
        /** The arguments of {@code EVAL}; {@code null} for a publish of {@link #payload} on {@link #channel}. */
        final byte[][] args;
        /** Whether Redis accepting it counts as a published message. */
        final boolean counted;
        /**
         * Builds one call for consecutive calls that have the same (non-null) grouping and slot; see
         * {@link #group}. {@code null}: sent alone.
         */
        final Function<List<Pending>, byte[][]> grouping;
        /** The calls this one stands for (a group); {@code null} for a single message. */
        final List<Pending> members;
        /** The reply, set before {@link #future} completes (so visible to whatever depends on the future). */
        private Object reply;
        /** The cluster slot of the channel for sharded pub/sub; -1 otherwise. */
        final int slot;
        final CompletableFuture<Void> future = new CompletableFuture<>();
        /** How often a MOVED or ASK reply sent it to another master (sharded pub/sub only; publisher thread only). */
        int redirects;
        /** How often Redis answered it {@code TRYAGAIN} (sharded pub/sub only; publisher thread only). */
        int tryAgains;
        /**
         * Its place in the order of the calls: set when it is first taken from the queue (publisher thread only),
         * increasing in the order of the {@code publish} calls; a group has that of its first member.
         */
        long seq;
        /**
         * The node an {@code ASK} reply sent it to (its slot is being migrated there and its keys already are):
         * written there after {@code ASKING}, once; {@code null} otherwise (sharded pub/sub only; publisher thread
         * only).
         */
        HostAndPort asking;
        /**
         * The last message of a batch written to a connection (set by the publisher thread before the batch is
         * handed to the thread that reads its replies).
         */
        boolean endsBatch;
        /**
         * When a message queued while the publisher was connecting stops waiting for the connection
         * ({@link System#nanoTime()}); 0 for a message queued while connected, which waits until the deadline of
         * the connection loss that made it wait (see {@link BatchWriter#failExpired}).
         */
        long holdUntil;

        Pending(byte[] channel, byte[] payload, int slot) {
            this.channel = channel;
            this.payload = payload;
            this.slot = slot;
            this.args = null;
            this.counted = true;
            this.grouping = null;
            this.members = null;
        }

        private Pending(byte[][] args, int slot, boolean counted, Function<List<Pending>, byte[][]> grouping,
                List<Pending> members) {
            this.channel = EMPTY;
            this.payload = EMPTY;
            this.args = args;
            this.slot = slot;
            this.counted = counted;
            this.grouping = grouping;
            this.members = members;
        }

        /**
         * A script call.
         *
         * @param args the arguments of {@code EVAL}
         * @param slot the cluster slot of the script's keys (used by sharded pub/sub), -1 if not known
         * @param publishes whether it publishes a message (and counts as published)
         */
        public static Pending script(byte[][] args, int slot, boolean publishes) {
            return new Pending(args, slot, publishes, null, null);
        }

        /**
         * A script call that may be sent together with the calls next to it in a batch that have the same
         * {@code grouping} and slot: as one call of the arguments {@code grouping} builds from them, whose reply is
         * the list of their replies, in order.
         *
         * @param args the arguments of {@code EVAL} when sent alone
         * @param slot the cluster slot of the script's keys, -1 if not known
         * @param grouping builds the arguments of one call for several; the same instance for calls that may be
         *        grouped
         */
        public static Pending groupable(byte[][] args, int slot, Function<List<Pending>, byte[][]> grouping) {
            return new Pending(args, slot, true, grouping, null);
        }

        /** The arguments of {@code EVAL} when sent alone. */
        public byte[][] args() {
            return args;
        }

        /** The future that completes when Redis answered (exceptionally on an error reply or a lost connection). */
        public CompletableFuture<Void> future() {
            return future;
        }

        /** The reply; read it once {@link #future()} completed normally. */
        public Object reply() {
            return reply;
        }
    }

    private static final byte[] EMPTY = new byte[0];

    /**
     * What a publisher does with a message Redis answered with {@code MOVED} or {@code ASK}, or with
     * {@code TRYAGAIN}.
     */
    interface Redirects {

        /**
         * Take over a message: send it again later, or fail it with {@link BatchWriter#fail}.
         *
         * @param redirect the {@code MOVED} or {@code ASK} reply
         * @param endpoint the node that answered
         */
        void moved(Pending message, JedisRedirectionException redirect, String endpoint);

        /**
         * Take over a message answered {@code TRYAGAIN} (a call on several keys of a slot being migrated, only some
         * of which are on the node): send it again later, or fail it with {@link BatchWriter#fail}.
         *
         * @param reply the {@code TRYAGAIN} reply
         * @param endpoint the node that answered
         * @return whether it took the message over; if not (the default), the reply fails it like any error
         */
        default boolean tryAgain(Pending message, JedisDataException reply, String endpoint) {
            return false;
        }
    }

    /** Whether an error reply is {@code TRYAGAIN}. */
    static boolean isTryAgain(JedisDataException e) {
        String m = e.getMessage();
        return m != null && m.startsWith("TRYAGAIN");
    }

    private final PublisherEvents owner;
    private final int maxPending;
    private final long maxPendingBytes;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    /** The channel and payload bytes of the pending messages. */
    private final AtomicLong pendingBytes = new AtomicLong();

    /** The last {@link Pending#seq} given (publisher thread only). */
    private long seq;
    private volatile Thread thread;
    private volatile boolean sleeping;
    private volatile boolean running = true;
    private volatile boolean checkRequested;

    BatchWriter(PublisherEvents owner, int maxPending, long maxPendingBytes) {
        this.owner = owner;
        this.maxPending = maxPending;
        this.maxPendingBytes = maxPendingBytes;
    }

    // ---------------------------------------------------------------- any thread

    /**
     * Queue a message and wake the publisher thread, or fail at once if {@code maxPending} messages are pending.
     *
     * @param endpoint the Redis endpoint, for the message of the failure
     * @param closed tells, after the message was queued, why it must not stay queued ({@code null} if it may), so
     *        that a message that raced with the publisher failing its queue is not left behind
     */
    CompletableFuture<Void> offer(Pending p, String endpoint, Supplier<RedisPubSubException> closed) {
        RedisPubSubException refused = admit(p, endpoint);
        if (refused != null) {
            return reject(p, refused);
        }
        queue.add(p);
        RedisPubSubException reason = closed.get();
        if (reason != null && queue.remove(p)) {
            // the publisher may already have failed the queue: the message would never be answered
            release(p);
            return reject(p, reason);
        }
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return p.future;
    }

    /**
     * Count a message as pending, within {@code maxPending} messages and {@code maxPendingBytes} bytes of channels
     * and payloads; used by {@link #offer} and for a message its caller writes to the connection itself (see
     * {@link SingleNodePublisher}).
     *
     * @param endpoint the Redis endpoint, for the message of the refusal
     * @return {@code null} if counted; else why not (nothing counted)
     */
    RedisPubSubException admit(Pending p, String endpoint) {
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            return new RedisPubSubException("publish rejected: " + maxPending
                    + " publishes are already pending for Redis at " + endpoint
                    + "; raise maxPendingPublishes or publish less");
        }
        long size = size(p);
        if (pendingBytes.addAndGet(size) > maxPendingBytes) {
            long before = pendingBytes.addAndGet(-size);
            pending.decrementAndGet();
            return new RedisPubSubException("publish rejected: the publishes pending for Redis at " + endpoint
                    + " hold " + before + " bytes, and this one " + size + " more, over maxPendingPublishBytes ("
                    + maxPendingBytes + "); publish less or smaller messages, or raise maxPendingPublishBytes");
        }
        return null;
    }

    /** The bytes a message counts for against {@code maxPendingBytes}: its channel and its payload. */
    private static long size(Pending p) {
        long size = (long) p.channel.length + p.payload.length;
        if (p.args != null) {
            for (byte[] arg : p.args) {
                size += arg.length;
            }
        }
        return size;
    }

    /** A pending message is answered or failed: it no longer counts. */
    private void release(Pending p) {
        pending.decrementAndGet();
        pendingBytes.addAndGet(-size(p));
    }

    /** Fail a publish that was not queued. */
    CompletableFuture<Void> reject(RedisPubSubException e) {
        owner.publishFailed(1);
        return CompletableFuture.failedFuture(e);
    }

    /** Fail a message or script call that was not queued. */
    CompletableFuture<Void> reject(Pending p, RedisPubSubException e) {
        if (p.counted) {
            owner.publishFailed(1);
        }
        return CompletableFuture.failedFuture(e);
    }

    static RedisPubSubException destroyed() {
        return new RedisPubSubException("publish rejected: RedisPubSub was destroyed",
                new IllegalStateException("RedisPubSub was destroyed"));
    }

    boolean isRunning() {
        return running;
    }

    /** Ask the publisher thread to check its connection(s) now; see {@link Publisher#requestCheck()}. */
    void requestCheck() {
        checkRequested = true;
        wakeUp();
    }

    /** Wake the publisher thread even if it has nothing to write. */
    void wakeUp() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** End the publisher loop; returns without waiting. */
    void stop() {
        running = false;
        wakeUp();
    }

    // ---------------------------------------------------------------- publisher thread

    void attach() {
        thread = Thread.currentThread();
    }

    boolean hasQueued() {
        return !queue.isEmpty();
    }

    boolean isCheckRequested() {
        return checkRequested;
    }

    /** Return whether a check was requested, and clear the request. */
    boolean takeCheckRequest() {
        boolean requested = checkRequested;
        checkRequested = false;
        return requested;
    }

    /** Park up to {@code nanos}, unless there is work, a check request, or the loop is stopping. */
    void park(long nanos) {
        park(nanos, null);
    }

    /**
     * Park up to {@code nanos}, unless there is work, a check request, or the loop is stopping; work includes
     * {@code alsoWork} not being empty.
     */
    void park(long nanos, Queue<?> alsoWork) {
        sleeping = true;
        if (queue.isEmpty() && (alsoWork == null || alsoWork.isEmpty()) && running && !checkRequested
                && nanos > 0) {
            LockSupport.parkNanos(this, nanos);
        }
        sleeping = false;
    }

    /**
     * Park up to {@code nanos} although messages are queued (they wait for a connection), unless there is a check
     * request or the loop is stopping; {@link #wakeUp()} ends it early.
     */
    void parkHolding(long nanos) {
        sleeping = true;
        if (running && !checkRequested && nanos > 0) {
            LockSupport.parkNanos(this, nanos);
        }
        sleeping = false;
    }

    /**
     * Move up to {@link #MAX_BATCH} messages into {@code into}: first from {@code first}, then from the queue.
     *
     * @param first messages to send before the queued ones; can be {@code null}
     * @return the number of messages moved
     */
    int drain(Queue<Pending> first, List<Pending> into) {
        int n = 0;
        Pending p;
        if (first != null) {
            while (n < MAX_BATCH && (p = first.poll()) != null) {
                into.add(p);
                n++;
            }
        }
        while (n < MAX_BATCH && (p = queue.poll()) != null) {
            p.seq = ++seq;
            into.add(p);
            n++;
        }
        return n;
    }

    /** The most calls one group stands for: bounds the time one script call holds Redis. */
    static final int MAX_GROUP = 256;

    /**
     * Replace, in a drained batch, each run of two or more consecutive calls with the same grouping and slot by one
     * call standing for them (at most {@link #MAX_GROUP}); the order of the batch is kept.
     */
    static void group(List<Pending> batch) {
        int size = batch.size();
        int i = 0;
        while (i < size && !groupable(batch, i)) {
            i++;
        }
        if (i == size) {
            return;
        }
        List<Pending> grouped = new ArrayList<>(size);
        grouped.addAll(batch.subList(0, i));
        while (i < size) {
            Pending first = batch.get(i);
            int end = i + 1;
            if (first.grouping != null) {
                while (end < size && end - i < MAX_GROUP && batch.get(end).grouping == first.grouping
                        && batch.get(end).slot == first.slot) {
                    end++;
                }
            }
            if (end - i == 1) {
                grouped.add(first);
            } else {
                List<Pending> members = List.copyOf(batch.subList(i, end));
                Pending group = new Pending(first.grouping.apply(members), first.slot, true, null, members);
                group.seq = first.seq;
                grouped.add(group);
            }
            i = end;
        }
        batch.clear();
        batch.addAll(grouped);
    }

    private static boolean groupable(List<Pending> batch, int i) {
        Pending p = batch.get(i);
        return p.grouping != null && i + 1 < batch.size() && batch.get(i + 1).grouping == p.grouping
                && batch.get(i + 1).slot == p.slot;
    }

    /**
     * Write one command per message (preceded by {@code ASKING} for a message an {@code ASK} reply sent here) and
     * flush; the replies are read later with {@link #read}.
     */
    static void write(Connection c, ProtocolCommand command, List<Pending> batch) {
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            if (p.asking != null) {
                c.sendCommand(Protocol.Command.ASKING);
            }
            if (p.args == null) {
                c.sendCommand(command, p.channel, p.payload);
            } else {
                c.sendCommand(Protocol.Command.EVAL, p.args);
            }
        }
        ConnectionIo.flush(c);
    }

    /** Read the replies of a batch written with {@link #write}, in order: one per message. */
    static List<Object> read(Connection c, List<Pending> batch) {
        int askings = 0;
        for (int i = 0; i < batch.size(); i++) {
            askings += batch.get(i).asking != null ? 1 : 0;
        }
        return withoutAskingReplies(batch, c.getMany(batch.size() + askings));
    }

    /**
     * The replies of the messages of a batch, without those of the {@code ASKING} commands written before some of
     * them (an {@code ASKING} refused shows in the reply of its message: MOVED); each message's {@code asking} is
     * cleared, so that it is sent there once.
     */
    static List<Object> withoutAskingReplies(List<Pending> batch, List<Object> all) {
        if (all.size() == batch.size()) {
            return all;
        }
        List<Object> replies = new ArrayList<>(batch.size());
        int r = 0;
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            if (p.asking != null) {
                p.asking = null;
                r++;
            }
            replies.add(all.get(r++));
        }
        return replies;
    }

    /**
     * Complete the futures of a batch from its replies: an error reply fails its message, a {@code MOVED},
     * {@code ASK} or {@code TRYAGAIN} reply goes to {@code redirects} if given, anything else completes it; the
     * messages Redis accepted are counted.
     *
     * @param endpoint the node that answered, for messages
     * @param command the command's name, for messages
     * @param redirects takes over the messages answered with {@code MOVED}, {@code ASK} or {@code TRYAGAIN}; can be
     *        {@code null} (then such a reply fails its message like any error)
     */
    void complete(List<Pending> batch, List<Object> replies, String endpoint, String command,
            Redirects redirects) {
        // counted before any future completes: a caller that sees its publish complete sees it counted
        int ok = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (!(replies.get(i) instanceof JedisDataException)) {
                ok += count(batch.get(i));
            }
        }
        owner.published(ok);
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            Object reply = replies.get(i);
            if (redirects != null && reply instanceof JedisRedirectionException redirect) {
                redirects.moved(p, redirect, endpoint);
            } else if (redirects != null && reply instanceof JedisDataException e && isTryAgain(e)
                    && redirects.tryAgain(p, e, endpoint)) {
                continue;
            } else if (reply instanceof JedisDataException e) {
                fail(p, new RedisPubSubException("Redis at " + endpoint + " refused "
                        + (p.args == null ? command : "the history script") + ": " + e.getMessage(), e));
            } else if (p.members != null) {
                List<?> each = (List<?>) reply;
                for (int j = 0; j < p.members.size(); j++) {
                    Pending m = p.members.get(j);
                    release(m);
                    m.reply = each.get(j);
                    m.future.complete(null);
                }
            } else {
                release(p);
                p.reply = reply;
                p.future.complete(null);
            }
        }
    }

    /** Fail a batch whose connection broke after it was (partly) written. */
    void lost(List<Pending> batch, String endpoint, RuntimeException e) {
        if (batch.isEmpty()) {
            return;
        }
        RedisPubSubException error = new RedisPubSubException("connection to Redis at " + endpoint
                + " lost while publishing; the message may or may not have been delivered", e);
        int n = 0;
        for (int i = 0; i < batch.size(); i++) {
            n += count(batch.get(i));
        }
        owner.publishFailed(n);
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            for (Pending m : p.members != null ? p.members : List.of(p)) {
                release(m);
                m.future.completeExceptionally(error);
            }
        }
    }

    /** Fail one queued or drained message. */
    void fail(Pending p, RedisPubSubException error) {
        int n = count(p);
        if (n > 0) {
            owner.publishFailed(n);
        }
        for (Pending m : p.members != null ? p.members : List.of(p)) {
            release(m);
            m.future.completeExceptionally(error);
        }
    }

    /** How many published messages a call stands for. */
    private static int count(Pending p) {
        return p.members != null ? p.members.size() : p.counted ? 1 : 0;
    }

    /**
     * Fail the queued messages whose wait for the connection has ended: the queue's head as long as its deadline
     * has passed. A message queued while connected ({@code holdUntil == 0}) has {@code lossDeadline}; the deadlines
     * grow along the queue, so the expired messages are a prefix of it.
     *
     * @param now {@link System#nanoTime()}
     * @param lossDeadline the deadline of the messages that were queued before the connection was lost
     * @param error supplies the failure
     * @return the earliest deadline still queued, or {@code Long.MAX_VALUE} if nothing waits
     */
    long failExpired(long now, long lossDeadline, Supplier<RedisPubSubException> error) {
        Pending p;
        int n = 0;
        long next = Long.MAX_VALUE;
        RedisPubSubException e = null;
        while ((p = queue.peek()) != null) {
            long deadline = p.holdUntil == 0 ? lossDeadline : p.holdUntil;
            if (deadline - now > 0) {
                next = deadline;
                break;
            }
            if (queue.remove(p)) {
                if (e == null) {
                    e = error.get();
                }
                release(p);
                p.future.completeExceptionally(e);
                n += p.counted ? 1 : 0;
            }
        }
        if (n > 0) {
            owner.publishFailed(n);
        }
        return next;
    }

    /** Fail every message still in the queue. */
    void failQueued(RedisPubSubException error) {
        Pending p;
        int n = 0;
        while ((p = queue.poll()) != null) {
            release(p);
            p.future.completeExceptionally(error);
            n += p.counted ? 1 : 0;
        }
        if (n > 0) {
            owner.publishFailed(n);
        }
    }

    /** PING an idle connection and wait for the answer, so that a dead one is found before the next publish. */
    static void ping(Connection c) {
        c.sendCommand(Protocol.Command.PING);
        c.getOne();
    }
}

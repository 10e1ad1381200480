package dev.wskit.redis.internal.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.internal.support.Failures;

import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import dev.wskit.redis.internal.connection.ConnectionFactory;
import dev.wskit.redis.internal.connection.ConnectionIo;
import dev.wskit.redis.internal.connection.Reconnect;
import dev.wskit.redis.internal.support.ThrottledLog;

/**
 * The publisher of standalone, Sentinel and classic cluster deployments: one connection to one node at a time, two
 * threads (one writes, one reads the replies), automatic pipelining.
 *
 * <p>{@link #publish} only enqueues (bounded by {@code maxPending}) and wakes the publisher thread. That thread takes
 * whatever has accumulated, hands it to the reply reader ({@link Link}) and writes it as one pipelined batch with one
 * flush; it never reads. The reply reader ({@link ReplyReader}, a thread of its own) reads the replies in write
 * order and completes the futures (the {@link BatchWriter}). So a message is written at once even while earlier ones
 * await their replies: at low rates one command per batch and no wait behind a round trip. Under load, at most
 * {@link ReplyReader#MAX_BATCHES_IN_FLIGHT} batches are unanswered; the next accumulates meanwhile, so the batch size follows
 * the load (thousands of messages per flush and round trip). One connection and one writer at a time keep the order
 * of publishes.
 *
 * <p>Callers never touch the socket: a Redis that stops reading fills the socket buffers, and a write then blocks
 * until the connection is closed. Only the publisher thread writes; the housekeeper's {@link #watchdog} closes the
 * socket of a write blocked longer than the command timeout, without taking a lock, and the thread then
 * reconnects. A reply that does not come within the command timeout (the socket's read timeout) fails the
 * connection the same way. The reply reader fails what was in flight on a connection given up ("may or may not have
 * been delivered").
 *
 * <p>Connecting: from the start until the first connection attempt ends, and from the loss of a connection that was
 * up until the next attempt ends, the publisher is <em>holding</em>: {@code publish} queues (within
 * {@code maxPending}) instead of failing, each message with a deadline {@code holdNanos} away (the messages queued
 * before the loss get one deadline, from the loss). When the attempt succeeds the queue is sent in order; when it
 * fails, or a deadline passes (checked by this thread between attempts), the messages fail. With {@code holdNanos}
 * 0 the publisher never holds.
 *
 * <p>Fail fast: while the connection is down and not holding, {@code publish} completes exceptionally at once;
 * nothing is queued.
 */
public final class SingleNodePublisher implements Publisher {

    private final PublisherEvents owner;
    private final ConnectionFactory factory;
    private final long idlePingNanos;
    private final long holdNanos;

    private final BatchWriter writer;
    private final Reconnect reconnect;
    /** Publisher thread only: the batch being written. */
    private final List<BatchWriter.Pending> batch = new ArrayList<>(BatchWriter.MAX_BATCH);
    private final ReplyReader replies;
    /** {@link System#nanoTime()} when the write in progress began, 0 while none is; for the watchdog. */
    private volatile long writeStarted;
    /** Why a message must not stay queued; a field, so that {@code publish} does not allocate a lambda. */
    private final Supplier<RedisPubSubException> closed;
    /** Why a held message failed: it waited for the connection as long as it may. */
    private final Supplier<RedisPubSubException> closedWhileHolding = this::heldTooLong;

    private volatile boolean connected;
    /** Connecting: a publish while not connected is queued, see the class doc. */
    private volatile boolean holding;
    /** The deadline of the messages queued before the connection was lost; publisher thread only. */
    private long lossDeadline;
    private volatile RedisPubSubException lastFailure;
    private volatile Connection connection;
    private volatile Connection dropped;

    public SingleNodePublisher(PublisherEvents owner, ConnectionFactory factory, int maxPending, long maxPendingBytes,
            long initialDelayMillis, long maxDelayMillis, long idlePingNanos, long holdNanos, ThrottledLog log) {
        this.owner = owner;
        this.factory = factory;
        this.idlePingNanos = idlePingNanos;
        this.holdNanos = holdNanos;
        this.reconnect = new Reconnect(log, initialDelayMillis, maxDelayMillis);
        this.writer = new BatchWriter(owner, maxPending, maxPendingBytes);
        this.replies = new ReplyReader(writer, factory::endpoint, idlePingNanos);
        this.closed = () -> connected || (holding && writer.isRunning()) ? null : notConnected();
        this.holding = holdNanos > 0;
        this.lossDeadline = System.nanoTime() + holdNanos;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public CompletableFuture<Void> publish(byte[] channel, byte[] payload) {
        return submit(new BatchWriter.Pending(channel, payload, -1));
    }

    @Override
    public CompletableFuture<Void> submit(BatchWriter.Pending p) {
        if (!connected) {
            if (!holding) {
                return writer.reject(p, notConnected());
            }
            p.holdUntil = System.nanoTime() + holdNanos;
            if (p.holdUntil == 0) {
                p.holdUntil = 1;
            }
        }
        return writer.offer(p, factory.endpoint(), closed);
    }

    @Override
    public void watchdog(long timeoutNanos) {
        long started = writeStarted;
        Connection c = connection;
        if (started != 0 && System.nanoTime() - started > timeoutNanos && c != null) {
            ConnectionIo.forceDisconnect(c);
        }
    }

    private RedisPubSubException heldTooLong() {
        RedisPubSubException cause = lastFailure;
        return new RedisPubSubException("publish rejected: Redis is unreachable at " + factory.endpoint()
                + " (" + (cause == null ? "still connecting" : cause.getMessage()) + " after waiting "
                + TimeUnit.NANOSECONDS.toMillis(holdNanos) + " ms for the connection)"
                + "; the message was not sent", cause);
    }

    private RedisPubSubException notConnected() {
        if (!writer.isRunning()) {
            return BatchWriter.destroyed();
        }
        RedisPubSubException cause = lastFailure;
        return new RedisPubSubException("publish rejected: Redis is unreachable at " + factory.endpoint()
                + (cause == null ? " (still connecting)" : " (" + cause.getMessage() + ")")
                + "; the message was not sent", cause);
    }

    /**
     * Ask the thread to PING its connection now, e.g. because the subscriber just lost its own: an idle publisher
     * connection would otherwise only find out with the next publish, which would then fail.
     */
    @Override
    public void requestCheck() {
        writer.requestCheck();
    }

    @Override
    public void retryNow() {
        reconnect.retryNow();
    }

    @Override
    public void kick() {
        reconnect.kick();
        Connection c = connection;
        if (c != null) {
            // not only closed: Jedis would silently open a new socket to the same (old) node on the next command
            dropped = c;
            ConnectionIo.forceDisconnect(c);
        }
        // an idle thread would only notice at its next PING
        requestCheck();
    }

    @Override
    public void stop() {
        connected = false;
        writer.stop();
        reconnect.stop();
        Connection c = connection;
        if (c != null) {
            ConnectionIo.forceDisconnect(c);
        }
    }

    @Override
    public void run() {
        writer.attach();
        while (writer.isRunning()) {
            Connection c = null;
            ReplyReader.Link link = null;
            reconnect.attempting();
            try {
                if (holding) {
                    writer.failExpired(System.nanoTime(), lossDeadline, closedWhileHolding);
                }
                c = factory.open("pub");
                connection = c;
                if (!writer.isRunning()) {
                    break;
                }
                link = new ReplyReader.Link(c);
                up(link);
                loop(link);
            } catch (Throwable t) {
                long delay = lost(t, link, c);
                c = null;
                if (delay < 0 || !waitToRetry(delay)) {
                    break;
                }
            } finally {
                if (link != null) {
                    link.abandon(BatchWriter.destroyed());
                    replies.wakeUp();
                }
                ConnectionIo.discard(c);
            }
        }
        connected = false;
        connection = null;
        replies.stop();
        writer.failQueued(BatchWriter.destroyed());
    }

    /** A connection was opened: publishes go to it from now on. */
    private void up(ReplyReader.Link link) {
        replies.serve(link);
        lastFailure = null;
        connected = true;
        // after connected: a publish in between is queued either way, never rejected
        holding = false;
        reconnect.succeeded(failed -> "publisher connected to Redis at " + factory.endpoint() + " after " + failed
                + " failed attempt(s)");
        owner.publisherConnected();
        owner.publisherConnectionUp();
    }

    /**
     * The connection attempt failed or the connection was lost: give the connection up, report, and decide what
     * happens to the queued publishes.
     *
     * @return the delay before the next attempt; -1 if the publisher stops
     */
    private long lost(Throwable t, ReplyReader.Link link, Connection c) {
        boolean wasConnected = connected;
        // a connection that was up is lost: hold the publishes until the next attempt ends (before connected =
        // false, so that no publish in between is rejected); a failed attempt ends holding
        if (wasConnected && holdNanos > 0) {
            lossDeadline = System.nanoTime() + holdNanos;
            holding = true;
        } else {
            holding = false;
        }
        connected = false;
        if (link != null) {
            // the reply reader fails what was written and not answered
            link.abandon(t instanceof RuntimeException e ? e : new JedisConnectionException(t));
            replies.wakeUp();
        }
        if (!writer.isRunning()) {
            ConnectionIo.discard(c);
            return -1;
        }
        if (wasConnected) {
            owner.publisherDisconnected();
        }
        RedisPubSubException error = Failures.describe(t, "publisher connection", factory.endpoint());
        lastFailure = error;
        long delay = reconnect.failed(error.getMessage(), t);
        owner.error(error);
        if (!holding) {
            writer.failQueued(notConnected());
        }
        ConnectionIo.discard(c);
        connection = null;
        if (holding) {
            // the held messages must not wait longer than their deadline for the next attempt
            delay = Math.min(delay, Math.max(1, TimeUnit.NANOSECONDS.toMillis(holdNanos)));
        }
        return delay;
    }

    /**
     * Wait before the next attempt, then fail the queued publishes whose wait for a connection is over.
     *
     * @return {@code false} if the publisher stops
     */
    private boolean waitToRetry(long delay) {
        if (!reconnect.waitToRetry(delay)) {
            return false;
        }
        if (holding) {
            writer.failExpired(System.nanoTime(), lossDeadline, closedWhileHolding);
        } else {
            writer.failQueued(notConnected());
        }
        return true;
    }

    /** The reply reader's task; see {@link ReplyReader}. */
    @Override
    public Optional<Runnable> replyReader() {
        return Optional.of(replies);
    }

    /**
     * Write while the connection is up: whatever has accumulated, as one pipelined batch, at once; a PING when the
     * connection has been idle for {@code idlePingNanos} or a check was requested. Never reads: the reply reader
     * does, so a message queued while replies are outstanding is written without waiting for them.
     */
    private void loop(ReplyReader.Link link) {
        Connection c = link.connection;
        long lastActivity = System.nanoTime();
        while (writer.isRunning()) {
            RuntimeException failure = link.failure;
            if (failure != null) {
                throw failure;
            }
            if (dropped == c) {
                throw new JedisConnectionException("the connection was dropped to follow the new master");
            }
            if (writer.hasQueued()) {
                if (link.batchesInFlight.get() >= ReplyReader.MAX_BATCHES_IN_FLIGHT) {
                    // the next batch accumulates until a reply comes: one flush for many messages under load; the
                    // replies awaited answer a check as well as a PING would
                    writer.takeCheckRequest();
                    link.writerWaiting = true;
                    if (link.batchesInFlight.get() >= ReplyReader.MAX_BATCHES_IN_FLIGHT && link.failure == null) {
                        writer.parkHolding(idlePingNanos);
                    }
                    link.writerWaiting = false;
                    continue;
                }
                writeBatch(link);
                lastActivity = System.nanoTime();
                continue;
            }
            long idle = System.nanoTime() - lastActivity;
            if (writer.takeCheckRequest() || idle >= idlePingNanos) {
                // an idle connection is checked so that a dead one is replaced before the next publish; replies
                // still awaited check it as well
                if (link.batchesInFlight.get() == 0) {
                    write(link, ReplyReader.PING_ONLY);
                }
                lastActivity = System.nanoTime();
                continue;
            }
            writer.park(idlePingNanos - idle);
        }
    }

    /** Write what has accumulated as one pipelined batch; its messages wait in the link for their replies. */
    private void writeBatch(ReplyReader.Link link) {
        try {
            writer.drain(null, batch);
            BatchWriter.group(batch);
            write(link, batch);
        } finally {
            batch.clear();
        }
    }

    /**
     * Hand a batch to the reply reader, then write it ({@link ReplyReader#PING_ONLY}: a PING). The reader takes the
     * replies in the order of {@code inFlight}, so the batch is added before it is written.
     */
    private void write(ReplyReader.Link link, List<BatchWriter.Pending> messages) {
        if (messages.isEmpty()) {
            return;
        }
        if (messages != ReplyReader.PING_ONLY) {
            messages.get(messages.size() - 1).endsBatch = true;
        }
        if (!link.add(messages)) {
            // the reader gave the connection up (it failed): nothing of this batch was written
            RuntimeException failure = link.failure;
            writer.lost(messages == ReplyReader.PING_ONLY ? List.of() : messages, factory.endpoint(), failure);
            throw failure;
        }
        writeStarted = System.nanoTime() | 1;
        try {
            if (messages == ReplyReader.PING_ONLY) {
                link.connection.sendCommand(Protocol.Command.PING);
                ConnectionIo.flush(link.connection);
            } else {
                BatchWriter.write(link.connection, Protocol.Command.PUBLISH, messages);
            }
        } finally {
            writeStarted = 0;
            // after the flush: waking the reader costs a system call, and no reply can come before the write
            replies.wakeUp();
        }
    }
}

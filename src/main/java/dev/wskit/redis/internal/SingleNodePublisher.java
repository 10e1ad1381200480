package dev.wskit.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.wskit.redis.RedisPubSubException;

import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The publisher of standalone, Sentinel and classic cluster deployments: one connection to one node at a time, one
 * thread, automatic pipelining.
 *
 * <p>{@link #publish} only enqueues (bounded by {@code maxPending}) and wakes the thread. The thread takes whatever
 * has accumulated, writes it as one pipelined batch, flushes once, reads the replies in order and completes the
 * futures (the {@link BatchWriter}). While one batch is in flight the next accumulates, so the batch size follows the
 * load: one command at low rates (no added latency), thousands at high rates (one flush and one round trip for all
 * of them). One connection and one writer at a time keep the order of publishes.
 *
 * <p>Callers never touch the socket: a Redis that stops reading fills the socket buffers, and a write then blocks
 * until the connection is closed. Only this thread writes; the housekeeper's {@link #watchdog} closes the socket of a
 * write blocked longer than the command timeout, without taking the write lock, and the thread then fails what was in
 * flight and reconnects. The replies are read in write order from {@code inFlight}.
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
final class SingleNodePublisher implements Publisher {

    private final RedisPubSubImpl owner;
    private final ConnectionFactory factory;
    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final long idlePingNanos;
    private final long holdNanos;
    private final ThrottledLog log;

    private final BatchWriter writer;
    private final BackoffWait backoff = new BackoffWait();
    private final List<BatchWriter.Pending> batch = new ArrayList<>(BatchWriter.MAX_BATCH);
    private final List<Object> replies = new ArrayList<>(BatchWriter.MAX_BATCH);
    /** Guards writing to the connection: the publisher thread's batches and its PINGs. */
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Written and not answered yet, in write order: added under writeLock, taken by the publisher thread. */
    private final ConcurrentLinkedQueue<BatchWriter.Pending> inFlight = new ConcurrentLinkedQueue<>();
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

    SingleNodePublisher(RedisPubSubImpl owner, ConnectionFactory factory, int maxPending, long maxPendingBytes,
            long initialDelayMillis, long maxDelayMillis, long idlePingNanos, long holdNanos, ThrottledLog log) {
        this.owner = owner;
        this.factory = factory;
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.idlePingNanos = idlePingNanos;
        this.holdNanos = holdNanos;
        this.log = log;
        this.writer = new BatchWriter(owner, maxPending, maxPendingBytes);
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
        if (!connected) {
            if (!holding) {
                return writer.reject(notConnected());
            }
            BatchWriter.Pending held = new BatchWriter.Pending(channel, payload, -1);
            held.holdUntil = System.nanoTime() + holdNanos;
            if (held.holdUntil == 0) {
                held.holdUntil = 1;
            }
            return writer.offer(held, factory.endpoint(), closed);
        }
        return writer.offer(new BatchWriter.Pending(channel, payload, -1), factory.endpoint(), closed);
    }

    @Override
    public void watchdog(long timeoutNanos) {
        long started = writeStarted;
        Connection c = connection;
        if (started != 0 && System.nanoTime() - started > timeoutNanos && c != null) {
            try {
                c.forceDisconnect();
            } catch (Exception ignored) {
                // already closed
            }
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
        backoff.retryNow();
    }

    @Override
    public void kick() {
        backoff.kick();
        Connection c = connection;
        if (c != null) {
            // not only closed: Jedis would silently open a new socket to the same (old) node on the next command
            dropped = c;
            try {
                c.forceDisconnect();
            } catch (Exception ignored) {
                // already closed
            }
        }
        // an idle thread would only notice at its next PING
        requestCheck();
    }

    @Override
    public void stop() {
        connected = false;
        writer.stop();
        backoff.stop();
        Connection c = connection;
        if (c != null) {
            try {
                c.forceDisconnect();
            } catch (Exception ignored) {
                // already closed
            }
        }
    }

    @Override
    public void run() {
        writer.attach();
        int attempt = 0;
        while (writer.isRunning()) {
            Connection c = null;
            // a recovery of another connection after this mark cuts the wait after a failure short
            long mark = backoff.mark();
            try {
                if (holding) {
                    writer.failExpired(System.nanoTime(), lossDeadline, closedWhileHolding);
                }
                c = factory.open("pub");
                connection = c;
                if (!writer.isRunning()) {
                    break;
                }
                lastFailure = null;
                connected = true;
                // after connected: a publish in between is queued either way, never rejected
                holding = false;
                mark = backoff.mark();
                if (attempt > 0 || log.isFailing()) {
                    log.recovered("publisher connected to Redis at " + factory.endpoint() + " after " + attempt
                            + " failed attempt(s)");
                }
                attempt = 0;
                owner.publisherConnected();
                owner.publisherConnectionUp();
                loop(c);
            } catch (Throwable t) {
                boolean wasConnected = connected;
                // a connection that was up is lost: hold the publishes until the next attempt ends (before
                // connected = false, so that no publish in between is rejected); a failed attempt ends holding
                if (wasConnected && holdNanos > 0) {
                    lossDeadline = System.nanoTime() + holdNanos;
                    holding = true;
                } else {
                    holding = false;
                }
                connected = false;
                if (!writer.isRunning()) {
                    break;
                }
                if (wasConnected) {
                    owner.publisherDisconnected();
                }
                RedisPubSubException error = owner.describe(t, "publisher connection", factory.endpoint());
                failInFlight(t instanceof RuntimeException e ? e : new JedisConnectionException(t));
                lastFailure = error;
                log.failure(error.getMessage() + "; retrying with backoff", t);
                owner.error(error);
                if (!holding) {
                    writer.failQueued(notConnected());
                }
                ConnectionIo.discard(c);
                c = null;
                connection = null;
                long delay = Backoff.delayMillis(attempt++, initialDelayMillis, maxDelayMillis,
                        Backoff.DEFAULT_JITTER, ThreadLocalRandom.current().nextDouble());
                try {
                    if (holding) {
                        // the held messages must not wait longer than their deadline for the next attempt
                        delay = Math.min(delay, Math.max(1, TimeUnit.NANOSECONDS.toMillis(holdNanos)));
                    }
                    if (backoff.await(delay, mark)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (holding) {
                    writer.failExpired(System.nanoTime(), lossDeadline, closedWhileHolding);
                } else {
                    writer.failQueued(notConnected());
                }
            } finally {
                ConnectionIo.discard(c);
            }
        }
        connected = false;
        connection = null;
        failInFlight(BatchWriter.destroyed());
        writer.failQueued(BatchWriter.destroyed());
    }

    private void loop(Connection c) {
        long lastActivity = System.nanoTime();
        while (writer.isRunning()) {
            if (dropped == c) {
                throw new JedisConnectionException("the connection was dropped to follow the new master");
            }
            if (writer.hasQueued()) {
                writeBatch(c);
            }
            if (!inFlight.isEmpty()) {
                readReplies(c);
                lastActivity = System.nanoTime();
                continue;
            }
            if (writer.hasQueued()) {
                continue;
            }
            boolean check = writer.takeCheckRequest();
            if (check || System.nanoTime() - lastActivity >= idlePingNanos) {
                // an idle connection is checked so that a dead one is replaced before the next publish
                ping(c);
                lastActivity = System.nanoTime();
                continue;
            }
            writer.park(idlePingNanos, inFlight);
        }
    }

    /** Write what has accumulated as one pipelined batch; its messages wait in inFlight for their replies. */
    private void writeBatch(Connection c) {
        writeLock.lock();
        try {
            // drained under the lock, so that a PING cannot come between these messages and their replies
            writer.drain(null, batch);
            inFlight.addAll(batch);
            writeStarted = System.nanoTime() | 1;
            BatchWriter.write(c, Protocol.Command.PUBLISH, batch);
        } finally {
            writeStarted = 0;
            writeLock.unlock();
            batch.clear();
        }
    }

    /** Read the replies of everything in flight, in write order, and complete the futures. */
    private void readReplies(Connection c) {
        BatchWriter.Pending p;
        while ((p = inFlight.peek()) != null) {
            Object reply;
            try {
                reply = c.getUnflushedObject();
            } catch (JedisDataException e) {
                // an error reply answers this message only; the connection is fine
                reply = e;
            }
            inFlight.poll();
            batch.add(p);
            replies.add(reply);
            if (batch.size() >= BatchWriter.MAX_BATCH) {
                completeReplies();
            }
        }
        completeReplies();
    }

    private void completeReplies() {
        try {
            if (!batch.isEmpty()) {
                writer.complete(batch, replies, factory.endpoint(), "PUBLISH", null);
            }
        } finally {
            batch.clear();
            replies.clear();
        }
    }

    /** PING the idle connection; under the lock, so that nothing is written between the PING and its reply. */
    private void ping(Connection c) {
        writeLock.lock();
        try {
            if (inFlight.isEmpty()) {
                writeStarted = System.nanoTime() | 1;
                try {
                    BatchWriter.ping(c);
                } finally {
                    writeStarted = 0;
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Fail what was written and not answered (the connection broke, or the publisher stops): the messages whose reply
     * was read but not handled yet, then those still in flight.
     */
    private void failInFlight(RuntimeException e) {
        List<BatchWriter.Pending> lost = new ArrayList<>(batch);
        batch.clear();
        replies.clear();
        writeLock.lock();
        try {
            BatchWriter.Pending p;
            while ((p = inFlight.poll()) != null) {
                lost.add(p);
            }
        } finally {
            writeLock.unlock();
        }
        writer.lost(lost, factory.endpoint(), e);
    }
}

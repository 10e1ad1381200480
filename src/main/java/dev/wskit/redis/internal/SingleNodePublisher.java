package dev.wskit.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import dev.wskit.redis.RedisPubSubException;

import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The publisher of standalone, Sentinel and classic cluster deployments: one connection to one node at a time, one
 * thread, automatic pipelining.
 *
 * <p>{@link #publish} only enqueues (bounded by {@code maxPending}) and wakes the thread. The thread takes whatever
 * has accumulated, writes it as one pipelined batch, flushes once, reads the replies in order and completes the
 * futures (the {@link BatchWriter}). While one batch is in flight the next accumulates, so the batch size follows the
 * load: one command at low rates (no added latency), thousands at high rates (one flush and one round trip for all
 * of them). One connection and one writer keep the order of publishes.
 *
 * <p>Fail fast: while the connection is down, {@code publish} completes exceptionally at once; nothing is queued.
 */
final class SingleNodePublisher implements Publisher {

    private final RedisPubSubImpl owner;
    private final ConnectionFactory factory;
    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final long idlePingNanos;
    private final ThrottledLog log;

    private final BatchWriter writer;
    private final BackoffWait backoff = new BackoffWait();
    private final List<BatchWriter.Pending> batch = new ArrayList<>(BatchWriter.MAX_BATCH);
    /** Why a message must not stay queued; a field, so that {@code publish} does not allocate a lambda. */
    private final Supplier<RedisPubSubException> closed;

    private volatile boolean connected;
    private volatile RedisPubSubException lastFailure;
    private volatile Connection connection;
    private volatile Connection dropped;

    SingleNodePublisher(RedisPubSubImpl owner, ConnectionFactory factory, int maxPending, long initialDelayMillis,
            long maxDelayMillis, long idlePingNanos, ThrottledLog log) {
        this.owner = owner;
        this.factory = factory;
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.idlePingNanos = idlePingNanos;
        this.log = log;
        this.writer = new BatchWriter(owner, maxPending);
        this.closed = () -> connected ? null : notConnected();
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public CompletableFuture<Void> publish(byte[] channel, byte[] payload) {
        if (!connected) {
            return writer.reject(notConnected());
        }
        return writer.offer(new BatchWriter.Pending(channel, payload, -1), factory.endpoint(), closed);
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
                c = factory.open("pub");
                connection = c;
                if (!writer.isRunning()) {
                    break;
                }
                lastFailure = null;
                connected = true;
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
                connected = false;
                if (!writer.isRunning()) {
                    break;
                }
                if (wasConnected) {
                    owner.publisherDisconnected();
                }
                RedisPubSubException error = owner.describe(t, "publisher connection", factory.endpoint());
                lastFailure = error;
                log.failure(error.getMessage() + "; retrying with backoff", t);
                owner.error(error);
                writer.failQueued(error);
                ConnectionIo.discard(c);
                c = null;
                connection = null;
                long delay = Backoff.delayMillis(attempt++, initialDelayMillis, maxDelayMillis,
                        Backoff.DEFAULT_JITTER, ThreadLocalRandom.current().nextDouble());
                try {
                    if (backoff.await(delay, mark)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                writer.failQueued(error);
            } finally {
                ConnectionIo.discard(c);
            }
        }
        connected = false;
        connection = null;
        writer.failQueued(BatchWriter.destroyed());
    }

    private void loop(Connection c) {
        long lastActivity = System.nanoTime();
        while (writer.isRunning()) {
            if (dropped == c) {
                throw new JedisConnectionException("the connection was dropped to follow the new master");
            }
            int n = writer.drain(null, batch);
            if (n == 0) {
                boolean check = writer.takeCheckRequest();
                if (check || System.nanoTime() - lastActivity >= idlePingNanos) {
                    // an idle connection is checked so that a dead one is replaced before the next publish
                    BatchWriter.ping(c);
                    lastActivity = System.nanoTime();
                    continue;
                }
                writer.park(idlePingNanos);
                continue;
            }
            send(c);
            lastActivity = System.nanoTime();
        }
    }

    private void send(Connection c) {
        try {
            BatchWriter.write(c, Protocol.Command.PUBLISH, batch);
            List<Object> replies = BatchWriter.read(c, batch);
            writer.complete(batch, replies, factory.endpoint(), "PUBLISH", null);
        } catch (RuntimeException e) {
            writer.lost(batch, factory.endpoint(), e);
            throw e;
        } finally {
            batch.clear();
        }
    }
}

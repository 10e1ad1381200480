package dev.wskit.redis.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

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
 * futures. While one batch is in flight the next accumulates, so the batch size follows the load: one command at low
 * rates (no added latency), thousands at high rates (one flush and one round trip for all of them). One connection
 * and one writer keep the order of publishes.
 *
 * <p>Fail fast: while the connection is down, {@code publish} completes exceptionally at once; nothing is queued.
 */
final class SingleNodePublisher implements Publisher {

    static final int MAX_BATCH = 4096;

    static final class Pending {
        final byte[] channel;
        final byte[] payload;
        final CompletableFuture<Void> future = new CompletableFuture<>();

        Pending(byte[] channel, byte[] payload) {
            this.channel = channel;
            this.payload = payload;
        }
    }

    private final RedisPubSubImpl owner;
    private final ConnectionFactory factory;
    private final int maxPending;
    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final ThrottledLog log;

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final BackoffWait backoff = new BackoffWait();
    private final Pending[] batch = new Pending[MAX_BATCH];

    private volatile Thread thread;
    private volatile boolean sleeping;
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile RedisPubSubException lastFailure;
    private volatile Connection connection;
    private volatile boolean checkRequested;
    private volatile Connection dropped;
    private final long idlePingNanos;

    SingleNodePublisher(RedisPubSubImpl owner, ConnectionFactory factory, int maxPending, long initialDelayMillis,
            long maxDelayMillis, long idlePingNanos, ThrottledLog log) {
        this.owner = owner;
        this.idlePingNanos = idlePingNanos;
        this.factory = factory;
        this.maxPending = maxPending;
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.log = log;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public CompletableFuture<Void> publish(byte[] channel, byte[] payload) {
        if (!connected) {
            return failed(notConnected());
        }
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            return failed(new RedisPubSubException("publish rejected: " + maxPending
                    + " publishes are already pending for Redis at " + factory.endpoint()
                    + "; raise maxPendingPublishes or publish less"));
        }
        Pending p = new Pending(channel, payload);
        queue.add(p);
        if (!connected && queue.remove(p)) {
            // the connection dropped while we enqueued and the thread may already have failed the queue
            pending.decrementAndGet();
            return failed(notConnected());
        }
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return p.future;
    }

    private CompletableFuture<Void> failed(RedisPubSubException e) {
        owner.publishFailed(1);
        return CompletableFuture.failedFuture(e);
    }

    private RedisPubSubException notConnected() {
        if (!running) {
            return new RedisPubSubException("publish rejected: RedisPubSub was destroyed",
                    new IllegalStateException("RedisPubSub was destroyed"));
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
        checkRequested = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
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
        running = false;
        connected = false;
        backoff.stop();
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
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
        thread = Thread.currentThread();
        int attempt = 0;
        while (running) {
            Connection c = null;
            try {
                c = factory.open("pub");
                connection = c;
                if (!running) {
                    break;
                }
                lastFailure = null;
                connected = true;
                if (attempt > 0 || log.isFailing()) {
                    log.recovered("publisher connected to Redis at " + factory.endpoint() + " after " + attempt
                            + " failed attempt(s)");
                }
                attempt = 0;
                owner.publisherConnected();
                loop(c);
            } catch (Throwable t) {
                boolean wasConnected = connected;
                connected = false;
                if (!running) {
                    break;
                }
                if (wasConnected) {
                    owner.publisherDisconnected();
                }
                RedisPubSubException error = owner.describe(t, "publisher connection", factory.endpoint());
                lastFailure = error;
                log.failure(error.getMessage() + "; retrying with backoff", t);
                owner.error(error);
                failQueued(error);
                close(c);
                c = null;
                connection = null;
                long delay = Backoff.delayMillis(attempt++, initialDelayMillis, maxDelayMillis,
                        Backoff.DEFAULT_JITTER, ThreadLocalRandom.current().nextDouble());
                try {
                    if (backoff.await(delay)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                failQueued(error);
            } finally {
                if (c != null) {
                    close(c);
                }
            }
        }
        connected = false;
        connection = null;
        failQueued(new RedisPubSubException("publish rejected: RedisPubSub was destroyed",
                new IllegalStateException("RedisPubSub was destroyed")));
    }

    private void loop(Connection c) {
        long lastActivity = System.nanoTime();
        while (running) {
            if (dropped == c) {
                throw new JedisConnectionException("the connection was dropped to follow the new master");
            }
            int n = drain();
            if (n == 0) {
                if (checkRequested || System.nanoTime() - lastActivity >= idlePingNanos) {
                    // an idle connection is checked so that a dead one is replaced before the next publish
                    checkRequested = false;
                    c.sendCommand(Protocol.Command.PING);
                    c.getOne();
                    lastActivity = System.nanoTime();
                    continue;
                }
                sleeping = true;
                if (queue.isEmpty() && running && !checkRequested) {
                    LockSupport.parkNanos(this, idlePingNanos);
                }
                sleeping = false;
                continue;
            }
            send(c, n);
            lastActivity = System.nanoTime();
        }
    }

    private int drain() {
        int n = 0;
        Pending p;
        while (n < MAX_BATCH && (p = queue.poll()) != null) {
            batch[n++] = p;
        }
        return n;
    }

    private void send(Connection c, int n) {
        try {
            for (int i = 0; i < n; i++) {
                c.sendCommand(Protocol.Command.PUBLISH, batch[i].channel, batch[i].payload);
            }
            List<Object> replies = c.getMany(n);
            pending.addAndGet(-n);
            int ok = 0;
            for (int i = 0; i < n; i++) {
                Pending p = batch[i];
                batch[i] = null;
                Object reply = replies.get(i);
                if (reply instanceof JedisDataException e) {
                    owner.publishFailed(1);
                    p.future.completeExceptionally(new RedisPubSubException(
                            "Redis at " + factory.endpoint() + " refused PUBLISH: " + e.getMessage(), e));
                } else {
                    ok++;
                    p.future.complete(null);
                }
            }
            owner.published(ok);
        } catch (RuntimeException e) {
            pending.addAndGet(-n);
            RedisPubSubException error = new RedisPubSubException("connection to Redis at " + factory.endpoint()
                    + " lost while publishing; the message may or may not have been delivered", e);
            owner.publishFailed(n);
            for (int i = 0; i < n; i++) {
                batch[i].future.completeExceptionally(error);
                batch[i] = null;
            }
            throw e;
        }
    }

    private void failQueued(RedisPubSubException error) {
        Pending p;
        int n = 0;
        while ((p = queue.poll()) != null) {
            pending.decrementAndGet();
            p.future.completeExceptionally(error);
            n++;
        }
        if (n > 0) {
            owner.publishFailed(n);
        }
    }

    private static void close(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.forceDisconnect();
        } catch (Exception ignored) {
            // already closed
        }
        try {
            // a pooled connection (pre-configured client) must be destroyed, not reused
            c.setBroken();
            c.close();
        } catch (Exception ignored) {
            // closing a broken connection
        }
    }
}

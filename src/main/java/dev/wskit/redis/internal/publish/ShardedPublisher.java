package dev.wskit.redis.internal.publish;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.internal.support.Failures;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import dev.wskit.redis.internal.connection.ClientConfigs;
import dev.wskit.redis.internal.connection.ConnectionIo;
import dev.wskit.redis.internal.connection.Reconnect;
import dev.wskit.redis.internal.support.ThrottledLog;
import dev.wskit.redis.internal.topology.ClusterTopology;

/**
 * The publisher of sharded pub/sub: one thread, one connection per cluster master, {@code SPUBLISH} routed to the
 * master that owns the channel's slot, automatically pipelined per master.
 *
 * <p>The thread takes whatever has accumulated in the {@link BatchWriter}'s queue, groups it by master (from the
 * current slot map), writes and flushes every group, then reads each group's replies; so one round trip serves a
 * whole batch per master. Order is
 * kept per channel (a channel always maps to one slot, one master, one connection), not across channels of
 * different masters.
 *
 * <p>Topology changes: a {@code MOVED} reply refreshes the slot map and sends the message again to the new owner
 * (at most {@value #MAX_REDIRECTS} times, redirects of both kinds counted); an {@code ASK} reply (the slot is being
 * migrated and the keys of a channel with history already are on the target) sends it to the target after
 * {@code ASKING}; a lost connection fails that master's in-flight messages ("may or may
 * not have been delivered"), refreshes the map (a replica may have been promoted) and reconnects with backoff. The
 * map is also refreshed every {@value #REFRESH_SECONDS} s, so that masters added to the cluster are connected.
 *
 * <p>Connecting: from the start until the first attempt to load the slot map and connect the masters ends, and
 * from the loss of a master's connection that was up until the next such attempt ends, the publisher is
 * <em>holding</em>: a publish whose master is not connected is queued with a deadline {@code holdNanos} away
 * instead of failing, and the thread sends nothing until the attempt ends (it is made at once). Then the queue is
 * sent: messages whose master is still down fail. A deadline that passes first fails its message.
 *
 * <p>Fail fast: otherwise {@code publish} fails at once while the slot map is unknown or the owning master's
 * connection is down; messages to other masters still go through. {@link #isConnected()} is true when every master of the map is
 * connected.
 */
public final class ShardedPublisher implements Publisher {

    static final int MAX_REDIRECTS = 5;
    static final int REFRESH_SECONDS = 30;

    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(REFRESH_SECONDS);

    /** One master; the connection is confined to the publisher thread, {@code up} is read by callers too. */
    private static final class Node {
        final HostAndPort address;
        final String name;
        final List<BatchWriter.Pending> batch = new ArrayList<>();
        Connection connection;
        long lastActivity;
        volatile boolean up;

        Node(HostAndPort address) {
            this.address = address;
            this.name = ClientConfigs.format(address);
        }
    }

    private final PublisherEvents owner;
    private final ClusterTopology topology;
    private final String endpoint;
    private final long initialDelayMillis;
    private final long idlePingNanos;
    private final long holdNanos;
    private final ThrottledLog log;
    /** The attempts to load the slot map and connect every master. */
    private final Reconnect recovery;

    private final BatchWriter writer;
    private final Map<HostAndPort, Node> nodes = new ConcurrentHashMap<>();
    private final ArrayDeque<BatchWriter.Pending> retries = new ArrayDeque<>();
    private final List<BatchWriter.Pending> batch = new ArrayList<>(BatchWriter.MAX_BATCH);
    /** Why a message must not stay queued; a field, so that {@code publish} does not allocate a lambda. */
    private final Supplier<RedisPubSubException> closed;
    private final BatchWriter.Redirects redirects = this::moved;
    private final AtomicBoolean retryRequested = new AtomicBoolean();

    private volatile boolean connected;
    /** {@link System#nanoTime()} when the write in progress began, 0 while none is; for the watchdog. */
    private volatile long writeStarted;
    /** The connection being written to; set with writeStarted. */
    private volatile Connection writing;
    /** Connecting: a publish whose master is down is queued, see the class doc. */
    private volatile boolean holding;
    private volatile RedisPubSubException lastFailure;

    // publisher thread only
    private boolean refreshRequested = true;
    private long nextRecovery = System.nanoTime();
    private long nextRefresh = System.nanoTime() + REFRESH_NANOS;
    private long seenGeneration = -1;
    private long lossDeadline;

    public ShardedPublisher(PublisherEvents owner, ClusterTopology topology, String endpoint, int maxPending,
            long maxPendingBytes, long initialDelayMillis, long maxDelayMillis, long idlePingNanos, long holdNanos, ThrottledLog log) {
        this.owner = owner;
        this.topology = topology;
        this.endpoint = endpoint;
        this.initialDelayMillis = initialDelayMillis;
        this.idlePingNanos = idlePingNanos;
        this.holdNanos = holdNanos;
        this.holding = holdNanos > 0;
        this.lossDeadline = System.nanoTime() + holdNanos;
        this.log = log;
        this.recovery = new Reconnect(log, initialDelayMillis, maxDelayMillis);
        this.writer = new BatchWriter(owner, maxPending, maxPendingBytes);
        this.closed = () -> writer.isRunning() ? null : BatchWriter.destroyed();
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public CompletableFuture<Void> publish(byte[] channel, byte[] payload) {
        return submit(new BatchWriter.Pending(channel, payload, ClusterTopology.slot(channel)));
    }

    @Override
    public CompletableFuture<Void> submit(BatchWriter.Pending p) {
        if (!writer.isRunning()) {
            return writer.reject(p, BatchWriter.destroyed());
        }
        int slot = p.slot;
        ClusterTopology.Snapshot map = topology.snapshot();
        HostAndPort master = map == null ? null : map.masterFor(slot);
        Node node = master == null ? null : nodes.get(master);
        if (node == null || !node.up) {
            if (!holding) {
                return writer.reject(p, unreachable(map, master, slot));
            }
            long until = System.nanoTime() + holdNanos;
            p.holdUntil = until == 0 ? 1 : until;
        }
        return writer.offer(p, endpoint, closed);
    }

    private RedisPubSubException heldTooLong() {
        RedisPubSubException cause = lastFailure;
        return new RedisPubSubException("publish rejected: Redis is unreachable at " + endpoint + " ("
                + (cause == null ? "still connecting" : cause.getMessage()) + " after waiting "
                + TimeUnit.NANOSECONDS.toMillis(holdNanos) + " ms for the connection); the message was not sent",
                cause);
    }

    private RedisPubSubException unreachable(ClusterTopology.Snapshot map, HostAndPort master, int slot) {
        RedisPubSubException cause = lastFailure;
        String where;
        if (map == null) {
            where = "the slot map of " + endpoint + " is not known";
        } else if (master == null) {
            where = "no master of " + endpoint + " serves slot " + slot;
        } else {
            where = "Redis is unreachable at " + ClientConfigs.format(master) + " (master of slot " + slot + ")";
        }
        return new RedisPubSubException("publish rejected: " + where
                + (cause == null ? " (still connecting)" : " (" + cause.getMessage() + ")")
                + "; the message was not sent", cause);
    }

    @Override
    public void requestCheck() {
        writer.requestCheck();
    }

    @Override
    public void retryNow() {
        retryRequested.set(true);
        writer.wakeUp();
    }

    @Override
    public void kick() {
        // Sentinel only: a cluster tells about new masters through MOVED and the slot map
        requestCheck();
    }

    @Override
    public void watchdog(long timeoutNanos) {
        long started = writeStarted;
        Connection c = writing;
        if (started != 0 && System.nanoTime() - started > timeoutNanos && c != null) {
            ConnectionIo.forceDisconnect(c);
        }
    }

    @Override
    public void stop() {
        connected = false;
        writer.stop();
        for (Node node : nodes.values()) {
            node.up = false;
            Connection c = node.connection;
            if (c != null) {
                ConnectionIo.forceDisconnect(c);
            }
        }
    }

    // ---------------------------------------------------------------- the loop (publisher thread)

    @Override
    public void run() {
        writer.attach();
        while (writer.isRunning()) {
            try {
                maintain();
                if (holding) {
                    long next = writer.failExpired(System.nanoTime(), lossDeadline, this::heldTooLong);
                    if (holding) {
                        // nothing is sent until the attempt under way (made at once) ends
                        long wait = Math.min(nextRecovery, next) - System.nanoTime();
                        writer.parkHolding(Math.max(0, Math.min(wait, idlePingNanos)));
                        continue;
                    }
                }
                int n = writer.drain(retries, batch);
                BatchWriter.group(batch);
                if (n == 0) {
                    idle();
                } else {
                    send();
                }
            } catch (Throwable t) {
                batch.clear();
                if (!writer.isRunning()) {
                    break;
                }
                // a bug rather than a Redis failure (those are handled per node): report it and go on
                RedisPubSubException error = new RedisPubSubException("the sharded publisher failed: " + t, t);
                log.failureWithStack(error.getMessage(), t);
                owner.error(error);
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(initialDelayMillis));
            }
        }
        connected = false;
        for (Node node : nodes.values()) {
            closeConnection(node);
        }
        RedisPubSubException error = BatchWriter.destroyed();
        while (!retries.isEmpty()) {
            writer.fail(retries.poll(), error);
        }
        writer.failQueued(error);
    }

    /** Load or refresh the slot map and (re)connect the masters when needed, with backoff after failures. */
    private void maintain() {
        long now = System.nanoTime();
        ClusterTopology.Snapshot map = topology.snapshot();
        boolean degraded = map == null || refreshRequested || !allUp(map);
        if (retryRequested.getAndSet(false) && degraded) {
            // another connection of this instance just reached Redis: do not wait out the backoff
            nextRecovery = Math.min(nextRecovery, now);
        }
        boolean periodic = !degraded && now - nextRefresh >= 0;
        if ((degraded && now - nextRecovery >= 0) || periodic) {
            nextRefresh = now + REFRESH_NANOS;
            try {
                topology.refresh();
                refreshRequested = false;
                map = topology.snapshot();
            } catch (RuntimeException e) {
                if (periodic) {
                    // the connections are fine; the next failure will refresh again
                    return;
                }
                recoveryFailed(Failures.describe(e, "publisher connection", endpoint));
                return;
            }
            reconcile(map);
            RedisPubSubException failure = lastFailure;
            if (allUp(map)) {
                recovered(map);
            } else if (!periodic) {
                refreshRequested = true;
                recoveryFailed(failure);
            }
        } else if (map != null && map.generation != seenGeneration) {
            // the subscriber refreshed the shared map: follow it (new masters are connected at once)
            reconcile(map);
            if (!allUp(map)) {
                nextRecovery = Math.min(nextRecovery, now);
            }
        }
        updateConnected(topology.snapshot());
    }

    private boolean allUp(ClusterTopology.Snapshot map) {
        for (HostAndPort master : map.masters) {
            Node node = nodes.get(master);
            if (node == null || !node.up) {
                return false;
            }
        }
        return true;
    }

    /** Connect the masters of the map that have no connection; drop the nodes that are no longer masters. */
    private void reconcile(ClusterTopology.Snapshot map) {
        seenGeneration = map.generation;
        boolean opened = false;
        for (Iterator<Node> it = nodes.values().iterator(); it.hasNext();) {
            Node node = it.next();
            if (!map.masters.contains(node.address)) {
                node.up = false;
                closeConnection(node);
                it.remove();
            }
        }
        for (HostAndPort master : map.masters) {
            Node node = nodes.computeIfAbsent(master, Node::new);
            if (node.connection != null) {
                continue;
            }
            try {
                node.connection = topology.open(master, "pub");
                node.lastActivity = System.nanoTime();
                node.up = true;
                opened = true;
            } catch (RuntimeException e) {
                lastFailure = Failures.describe(e, "publisher connection", node.name);
            }
        }
        if (opened) {
            owner.publisherConnectionUp();
        }
    }

    private void recoveryFailed(RedisPubSubException error) {
        // Redis is known to be down: what waits is sent (to the masters that are up) or fails in send()
        holding = false;
        lastFailure = error;
        long delay;
        if (error != null) {
            delay = recovery.failed(error.getMessage(), error.getCause());
            owner.error(error);
        } else {
            delay = recovery.failedQuietly();
        }
        nextRecovery = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
    }

    private void recovered(ClusterTopology.Snapshot map) {
        recovery.succeeded(n -> "publisher connected to the " + map.masters.size() + " masters of " + endpoint
                + " after " + n + " failed attempt(s)");
        lastFailure = null;
        holding = false;
    }

    private void updateConnected(ClusterTopology.Snapshot map) {
        boolean now = writer.isRunning() && map != null && allUp(map);
        if (now == connected) {
            return;
        }
        connected = now;
        if (now) {
            owner.publisherConnected();
        } else {
            owner.publisherDisconnected();
        }
    }

    private void idle() {
        long now = System.nanoTime();
        boolean check = writer.takeCheckRequest();
        for (Node node : nodes.values()) {
            Connection c = node.connection;
            if (c != null && (check || now - node.lastActivity >= idlePingNanos)) {
                // an idle connection is checked so that a dead one is replaced before the next publish
                try {
                    writing = c;
                    writeStarted = System.nanoTime() | 1;
                    BatchWriter.ping(c);
                    node.lastActivity = System.nanoTime();
                } catch (RuntimeException e) {
                    nodeFailed(node, e);
                } finally {
                    writeStarted = 0;
                    writing = null;
                }
            }
        }
        if (writer.hasQueued() || !retries.isEmpty() || writer.isCheckRequested() || !writer.isRunning()
                || retryRequested.get()) {
            return;
        }
        long wait = idlePingNanos;
        ClusterTopology.Snapshot map = topology.snapshot();
        if (map == null || refreshRequested || !allUp(map)) {
            wait = Math.max(0, Math.min(wait, nextRecovery - System.nanoTime()));
        }
        writer.park(wait);
    }

    private void send() {
        ClusterTopology.Snapshot map = topology.snapshot();
        List<Node> active = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            BatchWriter.Pending p = batch.get(i);
            HostAndPort master = p.asking != null ? p.asking : map == null ? null : map.masterFor(p.slot);
            Node node = master == null ? null : nodes.get(master);
            if (node == null || node.connection == null) {
                writer.fail(p, unreachable(map, master, p.slot));
                continue;
            }
            if (node.batch.isEmpty()) {
                active.add(node);
            }
            node.batch.add(p);
        }
        batch.clear();
        for (Node node : active) {
            try {
                writing = node.connection;
                writeStarted = System.nanoTime() | 1;
                BatchWriter.write(node.connection, Protocol.Command.SPUBLISH, node.batch);
            } catch (RuntimeException e) {
                nodeFailed(node, e);
            } finally {
                writeStarted = 0;
                writing = null;
            }
        }
        for (Node node : active) {
            if (node.connection == null) {
                continue;
            }
            try {
                List<Object> replies = BatchWriter.read(node.connection, node.batch);
                node.lastActivity = System.nanoTime();
                writer.complete(node.batch, replies, node.name, "SPUBLISH", redirects);
                node.batch.clear();
            } catch (RuntimeException e) {
                nodeFailed(node, e);
            }
        }
    }

    /**
     * MOVED: the slot moved (migration or failover): send the message again to the new owner once the map is fresh.
     * ASK: the slot is being migrated and its keys (of a channel with history) already are on the target: send the
     * message there after {@code ASKING}. Either way it goes before the messages queued after it (retries are sent
     * first), and the messages of its slot behind it in the batch were answered the same way, so the order of a
     * channel is kept.
     */
    private void moved(BatchWriter.Pending p, JedisRedirectionException redirect, String node) {
        if (redirect instanceof JedisAskDataException) {
            p.asking = redirect.getTargetNode();
        } else {
            refreshRequested = true;
            nextRecovery = Math.min(nextRecovery, System.nanoTime());
            topology.prefer(redirect.getTargetNode());
        }
        if (++p.redirects <= MAX_REDIRECTS) {
            retries.add(p);
        } else {
            writer.fail(p, new RedisPubSubException("Redis at " + node + " redirected SPUBLISH of slot " + p.slot
                    + " " + MAX_REDIRECTS + " times, last to " + ClientConfigs.format(redirect.getTargetNode())
                    + "; the message was not sent", redirect));
        }
    }

    /** A master's connection broke: fail its in-flight messages, drop the connection, schedule a recovery. */
    private void nodeFailed(Node node, RuntimeException e) {
        boolean wasUp = node.up;
        if (wasUp && holdNanos > 0 && writer.isRunning()) {
            // before up = false, so that no publish in between is rejected
            lossDeadline = System.nanoTime() + holdNanos;
            holding = true;
        }
        node.up = false;
        closeConnection(node);
        writer.lost(node.batch, node.name, e);
        node.batch.clear();
        if (!writer.isRunning()) {
            return;
        }
        RedisPubSubException error = Failures.describe(e, "publisher connection", node.name);
        lastFailure = error;
        if (wasUp) {
            log.failure(error.getMessage() + "; retrying with backoff", e);
            owner.error(error);
        }
        // a replica may take over: ask the cluster before reconnecting
        refreshRequested = true;
        nextRecovery = Math.min(nextRecovery, System.nanoTime());
        updateConnected(topology.snapshot());
    }

    private static void closeConnection(Node node) {
        Connection c = node.connection;
        node.connection = null;
        ConnectionIo.discard(c);
    }
}

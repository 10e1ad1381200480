package dev.wskit.redis.internal.publish;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
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
import redis.clients.jedis.exceptions.JedisDataException;
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
 * {@code ASKING} (a target the map does not list, a master that joined without slots, is connected for it); a lost
 * connection fails that master's in-flight messages ("may or may not have been delivered"), refreshes the map (a
 * replica may have been promoted) and reconnects with backoff. The
 * map is also refreshed every {@value #REFRESH_SECONDS} s, so that masters added to the cluster are connected.
 *
 * <p>{@code TRYAGAIN}: the history script (two keys) of a slot being migrated whose keys are split between the two
 * masters (one moved, the other not yet) is answered {@code TRYAGAIN}. The call waits, and with it every later call
 * of its slot (so that the order of a channel is kept), and is sent again after a backoff of
 * {@value #TRY_AGAIN_FIRST_MILLIS} ms doubling up to {@value #TRY_AGAIN_MAX_MILLIS} ms, to the node that answered
 * (after {@code ASKING} if an {@code ASK} had sent it there). A call still answered {@code TRYAGAIN} after
 * {@value #MAX_TRY_AGAIN} retries (about 5 s of waiting) fails; a {@code MOVED} reply in its slot (the migration
 * ended) sends the waiting calls at once. Redirects are counted apart: waiting for keys on their way is not a
 * routing loop.
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
    /**
     * The most retries of one call answered {@code TRYAGAIN} before it fails: with the backoff, about 5.3 s of
     * waiting, longer than a {@code MIGRATE} of a batch of keys (what splits the keys of a channel while a slot is
     * resharded) takes, also of large streams; short enough that a stuck migration fails the calls of its slot.
     */
    static final int MAX_TRY_AGAIN = 30;
    /** The wait before the first retry of a call answered {@code TRYAGAIN}; doubled at each further answer. */
    static final long TRY_AGAIN_FIRST_MILLIS = 10;
    /** The longest wait between two attempts of a call answered {@code TRYAGAIN}. */
    static final long TRY_AGAIN_MAX_MILLIS = 200;
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

    /**
     * The calls of one slot that wait until {@code due} after one of them was answered {@code TRYAGAIN}: in the
     * order of the calls ({@link BatchWriter.Pending#seq}); every call of the slot drained meanwhile joins them, so
     * none overtakes them.
     */
    private static final class SlotWait {
        final List<BatchWriter.Pending> calls = new ArrayList<>();
        long due;

        SlotWait(long due) {
            this.due = due;
        }

        void add(BatchWriter.Pending p) {
            int i = calls.size();
            while (i > 0 && calls.get(i - 1).seq > p.seq) {
                i--;
            }
            calls.add(i, p);
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
    private final BatchWriter.Redirects redirects = new BatchWriter.Redirects() {
        @Override
        public void moved(BatchWriter.Pending message, JedisRedirectionException redirect, String node) {
            ShardedPublisher.this.moved(message, redirect, node);
        }

        @Override
        public boolean tryAgain(BatchWriter.Pending message, JedisDataException reply, String node) {
            ShardedPublisher.this.tryAgain(message, reply, node);
            return true;
        }
    };
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
    /** The slots whose calls wait after a {@code TRYAGAIN}; see {@link SlotWait}. */
    private final Map<Integer, SlotWait> waiting = new HashMap<>();
    /** The node whose replies are being completed. */
    private Node answering;
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
                releaseWaiting(System.nanoTime());
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
        for (SlotWait wait : waiting.values()) {
            retries.addAll(wait.calls);
        }
        waiting.clear();
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
        for (SlotWait w : waiting.values()) {
            wait = Math.max(0, Math.min(wait, w.due - System.nanoTime()));
        }
        writer.park(wait);
    }

    private void send() {
        ClusterTopology.Snapshot map = topology.snapshot();
        List<Node> active = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            BatchWriter.Pending p = batch.get(i);
            SlotWait wait = waiting.isEmpty() ? null : waiting.get(p.slot);
            if (wait != null) {
                // behind the calls of its slot that wait after a TRYAGAIN
                wait.add(p);
                continue;
            }
            HostAndPort master = p.asking != null ? p.asking : map == null ? null : map.masterFor(p.slot);
            Node node = master == null ? null : nodes.get(master);
            if ((node == null || node.connection == null) && p.asking != null
                    && (map == null || !map.masters.contains(p.asking))) {
                // a master without slots yet (not in the map) imports this one
                node = connectAskTarget(p);
                if (node == null) {
                    continue;
                }
            }
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
                answering = node;
                writer.complete(node.batch, replies, node.name, "SPUBLISH", redirects);
                node.batch.clear();
            } catch (RuntimeException e) {
                nodeFailed(node, e);
            } finally {
                answering = null;
            }
        }
    }

    /**
     * MOVED: the slot moved (migration or failover): send the message again to the new owner once the map is fresh.
     * ASK: the slot is being migrated and its keys (of a channel with history) already are on the target: send the
     * message there after {@code ASKING}. Either way it goes before the messages queued after it (retries are sent
     * first), and the messages of its slot behind it in the batch were answered the same way, so the order of a
     * channel is kept. While its slot waits after a {@code TRYAGAIN} it waits with the calls of the slot, in order;
     * a {@code MOVED} ends that wait (the migration has ended).
     */
    private void moved(BatchWriter.Pending p, JedisRedirectionException redirect, String node) {
        if (redirect instanceof JedisAskDataException) {
            p.asking = redirect.getTargetNode();
        } else {
            refreshRequested = true;
            nextRecovery = Math.min(nextRecovery, System.nanoTime());
            topology.prefer(redirect.getTargetNode());
        }
        SlotWait wait = waiting.get(p.slot);
        if (wait != null && !(redirect instanceof JedisAskDataException)) {
            // the slot has moved: the migration that made its calls wait has ended
            wait.due = System.nanoTime();
        }
        if (++p.redirects <= MAX_REDIRECTS) {
            if (wait != null) {
                wait.add(p);
            } else {
                retries.add(p);
            }
        } else {
            writer.fail(p, new RedisPubSubException("Redis at " + node + " redirected SPUBLISH of slot " + p.slot
                    + " " + MAX_REDIRECTS + " times, last to " + ClientConfigs.format(redirect.getTargetNode())
                    + "; the message was not sent", redirect));
        }
    }

    /**
     * TRYAGAIN: a call on the two keys of a channel with history while its slot is being migrated and only one of
     * them has moved. It waits (see {@link SlotWait}) with the calls of its slot already waiting or about to be
     * retried, and goes to the node that answered (again after {@code ASKING} if that node does not own the slot,
     * so an {@code ASK} had sent it there), or fails when still answered so after {@link #MAX_TRY_AGAIN} retries.
     */
    private void tryAgain(BatchWriter.Pending p, JedisDataException reply, String node) {
        if (++p.tryAgains > MAX_TRY_AGAIN) {
            writer.fail(p, new RedisPubSubException("Redis at " + node + " answered TRYAGAIN to the history script"
                    + " of slot " + p.slot + ", also after " + MAX_TRY_AGAIN + " retries during "
                    + TimeUnit.NANOSECONDS.toMillis(tryAgainBackoffTotal(MAX_TRY_AGAIN)) + " ms: the slot is being"
                    + " migrated and the keys of the channel's history are not all on one node yet; the script was"
                    + " not run", reply));
            return;
        }
        Node from = answering;
        ClusterTopology.Snapshot map = topology.snapshot();
        if (from != null && map != null && !from.address.equals(map.masterFor(p.slot))) {
            p.asking = from.address;
        }
        long now = System.nanoTime();
        long due = now + tryAgainBackoff(p.tryAgains);
        SlotWait wait = waiting.get(p.slot);
        if (wait == null) {
            wait = new SlotWait(due);
            waiting.put(p.slot, wait);
            // the calls of the slot answered before it in this round and about to be retried wait too
            for (Iterator<BatchWriter.Pending> it = retries.iterator(); it.hasNext();) {
                BatchWriter.Pending r = it.next();
                if (r.slot == p.slot) {
                    it.remove();
                    wait.add(r);
                }
            }
        } else if (due - wait.due > 0) {
            wait.due = due;
        }
        wait.add(p);
    }

    /** The wait before the attempt after the {@code n}th {@code TRYAGAIN} answer of a call. */
    static long tryAgainBackoff(int n) {
        long millis = TRY_AGAIN_FIRST_MILLIS << Math.min(n - 1, 20);
        return TimeUnit.MILLISECONDS.toNanos(Math.min(millis, TRY_AGAIN_MAX_MILLIS));
    }

    /** The waits of a call answered {@code TRYAGAIN} {@code n} times, added up. */
    static long tryAgainBackoffTotal(int n) {
        long total = 0;
        for (int i = 1; i <= n; i++) {
            total += tryAgainBackoff(i);
        }
        return total;
    }

    /** Move the calls of the slots whose wait has ended to the retries, in their order. */
    private void releaseWaiting(long now) {
        if (waiting.isEmpty()) {
            return;
        }
        for (Iterator<SlotWait> it = waiting.values().iterator(); it.hasNext();) {
            SlotWait wait = it.next();
            if (now - wait.due >= 0) {
                it.remove();
                retries.addAll(wait.calls);
            }
        }
    }

    /**
     * Connect the node an {@code ASK} sent a call to that the slot map does not list as a master: one that joined
     * the cluster without slots and imports its first. It stays among the nodes until the map changes (then it is
     * a master of the map, or dropped and connected again at the next {@code ASK}); its loss does not make the
     * publisher hold. Fails the call and returns {@code null} if it cannot be connected.
     */
    private Node connectAskTarget(BatchWriter.Pending p) {
        Node node = new Node(p.asking);
        try {
            node.connection = topology.open(node.address, "pub");
        } catch (RuntimeException e) {
            RedisPubSubException cause = Failures.describe(e, "publisher connection", node.name);
            writer.fail(p, new RedisPubSubException("publish rejected: Redis at " + node.name + ", importing slot "
                    + p.slot + " (an ASK reply sent the call there), is unreachable (" + cause.getMessage()
                    + "); the message was not sent", cause));
            return null;
        }
        node.lastActivity = System.nanoTime();
        node.up = true;
        nodes.put(node.address, node);
        return node;
    }

    /** A master's connection broke: fail its in-flight messages, drop the connection, schedule a recovery. */
    private void nodeFailed(Node node, RuntimeException e) {
        boolean wasUp = node.up;
        ClusterTopology.Snapshot map = topology.snapshot();
        boolean master = map != null && map.masters.contains(node.address);
        if (wasUp && master && holdNanos > 0 && writer.isRunning()) {
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

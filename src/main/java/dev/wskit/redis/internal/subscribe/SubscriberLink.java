package dev.wskit.redis.internal.subscribe;

import static dev.wskit.redis.internal.subscribe.SubscribeCommands.*;

import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.wskit.redis.RedisPubSubException;
import dev.wskit.redis.SubscriptionGap;
import dev.wskit.redis.internal.connection.ClientConfigs;
import dev.wskit.redis.internal.connection.ConnectionFactory;
import dev.wskit.redis.internal.connection.ConnectionIo;
import dev.wskit.redis.internal.connection.Reconnect;
import dev.wskit.redis.internal.support.Failures;
import dev.wskit.redis.internal.support.ThrottledLog;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * One subscriber connection and the thread that reads it, with reconnect, backoff and replay of the subscriptions
 * assigned to it.
 *
 * <p>Standalone, Sentinel and classic cluster deployments have one link, which holds every channel and pattern. With
 * sharded pub/sub the {@link Subscriber} keeps one link per cluster master that owns a subscribed channel; each
 * holds the channels of that master's slots, subscribed with one {@code SSUBSCRIBE} per slot (a command with
 * channels of several slots fails with {@code CROSSSLOT}).
 *
 * <p>Threads: {@link #run()} is the only reader of the connection and calls the handlers (through the subscriber).
 * Commands asked for by other threads (SUBSCRIBE, UNSUBSCRIBE, PING and their sharded forms, from callers and the
 * housekeeper) are only queued in {@code outbox}; the instance's {@link LinkWriter} thread writes them. Callers never
 * touch the socket, so a Redis that stops reading cannot block them. Writes (the writer's and the replay's) are
 * serialised by {@code writeLock}; every command registers the replies it expects in {@code acks}, in write order,
 * so that the
 * reader can tell which acknowledgement belongs to which request even when a channel is subscribed, unsubscribed
 * and subscribed again quickly. An error reply answers a whole command (Redis sends one error, not one per
 * channel). A {@code sunsubscribe} that no command asked for is Redis dropping the channel because its slot moved
 * or its master became a replica: the subscriber is told, and subscribes it again where it now belongs.
 *
 * <p>Replay after a (re)connection is chunked: the link thread writes the subscriptions of a chunk (at most
 * {@value #REPLAY_CHUNK_CHANNELS} channels or {@value #REPLAY_CHUNK_BYTES} bytes of names) followed by a PING, then
 * reads, delivering messages as usual, until that PING is answered, and only then writes the next chunk. Redis
 * answers each channel with a confirmation about as long as its name; written all at once, the confirmations of
 * tens of thousands of long names would exceed Redis's {@code client-output-buffer-limit pubsub} (32 MB by default)
 * and Redis would drop the connection at every attempt, leaving the instance deaf for good. A chunk only holds
 * entries still wanted when it is written (checked under {@code registryLock}), so a subscription closed during the
 * replay is not subscribed again behind its {@code UNSUBSCRIBE}.
 *
 * <p>Lock order: the subscriber's {@code registryLock} before {@code writeLock}. The reader never takes either while
 * calling user code; it takes them, and writes, only to install a new connection and to write the chunks of its
 * replay.
 *
 * <p>Half-open sockets: the socket read timeout is the ping interval plus the ping timeout, and the housekeeper
 * sends a PING every interval, so a healthy connection always has something to read within the timeout; silence
 * longer than that ends the read with an exception and the loop reconnects. A write that blocks (Redis stopped
 * reading and the socket buffers are full) holds {@code writeLock}: the reader closes the socket before it takes the
 * lock, which ends the write, and the housekeeper's {@link #watchdog} closes a socket whose write has been blocked
 * longer than the ping timeout (the replay's writes happen on the reader thread, which then cannot time out).
 *
 * <p>Gaps: {@code lastGood} is the last moment every subscription confirmed on the connection was known to be in
 * force: when the last PING that Redis answered was written (replies come in order, so every message published
 * before Redis answered it was read), or when the connection was installed. When the connection is lost, the entries
 * it held open a gap from there ({@link Subscriber#linkLost}); each is closed when Redis confirms the entry again.
 */
final class SubscriberLink implements Runnable {

    /** PENDING until the first confirmation, UP after a confirmation, FAILED after a failure until confirmed. */
    enum State { PENDING, UP, FAILED }

    /** The most channels of one replay chunk. */
    static final int REPLAY_CHUNK_CHANNELS = 1000;
    /** The most bytes of channel names of one replay chunk (unless a single name is longer). */
    static final int REPLAY_CHUNK_BYTES = 256 * 1024;

    private final Subscriber owner;
    private final ConnectionFactory factory;
    private final HostAndPort node;
    private final Reconnect reconnect;

    private final Object writeLock = new Object();
    private final ConcurrentLinkedQueue<PendingCommand> acks = new ConcurrentLinkedQueue<>();
    /** Commands queued by other threads for the {@link LinkWriter}; see the class doc. */
    private final ConcurrentLinkedQueue<PendingCommand> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushRequested = new AtomicBoolean();
    /** {@link System#nanoTime()} when the write in progress began, 0 while none is; for the watchdog. */
    private volatile long writeStarted;
    private Connection connection;
    private volatile Connection current;

    private volatile boolean running = true;
    private volatile State state = State.PENDING;
    private boolean everConnected;
    /** See the class doc; wall clock. */
    private volatile Instant lastGood = Instant.now();
    /** When the current connection was installed (wall clock): nothing was in force on it before. */
    private volatile Instant installedAt = lastGood;
    /** The library closed the connection (kick, watchdog): the next failure is a resubscription. */
    private volatile boolean kicked;

    /** Sharded mode: the number of channels assigned to this link; written under the subscriber's registryLock. */
    volatile int assigned;

    /**
     * Create a link.
     *
     * @param factory opens the connection of a single link; {@code null} for a sharded link
     * @param node the master of a sharded link; {@code null} for a single link
     */
    SubscriberLink(Subscriber owner, ConnectionFactory factory, HostAndPort node) {
        this.owner = owner;
        this.factory = factory;
        this.node = node;
        this.reconnect = new Reconnect(new ThrottledLog(owner.logger, owner.prefix), owner.initialDelayMillis,
                owner.maxDelayMillis);
    }

    HostAndPort node() {
        return node;
    }

    State state() {
        return state;
    }

    /** The last moment the subscriptions confirmed on this link were known to be in force (see the class doc). */
    Instant lastGood() {
        return lastGood;
    }

    /**
     * The last moment the subscriptions were known to be in force when the connection may have been deaf while still
     * answering PING (the canary did not come back, Sentinel moved the master, the master was demoted): answered
     * PINGs prove nothing then, so the bound is when the last canary that came back was published, and without one on
     * this connection, when the connection was installed.
     */
    Instant deafBound() {
        Instant canary = owner.canaryKnownGood();
        Instant installed = installedAt;
        Instant bound = canary == null || canary.isBefore(installed) ? installed : canary;
        Instant good = lastGood;
        return bound.isBefore(good) ? bound : good;
    }

    boolean isRunning() {
        return running;
    }

    String endpoint() {
        return factory != null ? factory.endpoint() : ClientConfigs.format(node);
    }

    // ---------------------------------------------------------------- writes (any thread)

    /**
     * Queue the subscription of entries; the writer sends it if connected (else the next connection replays them).
     * Caller holds registryLock, so that the command is queued in the order of the registry's changes.
     */
    void subscribe(List<ChannelEntry> entries, boolean pattern) {
        if (!entries.isEmpty()) {
            queue(new PendingCommand(pattern ? Kind.PSUBSCRIBE : subscribeKind(), List.copyOf(entries), null));
        }
    }

    /** Queue the unsubscription of an entry; sent if connected. Caller holds registryLock. */
    void unsubscribe(ChannelEntry entry) {
        Kind kind = entry.pattern ? Kind.PUNSUBSCRIBE : node != null ? Kind.SUNSUBSCRIBE : Kind.UNSUBSCRIBE;
        queue(new PendingCommand(kind, List.of(entry), null));
    }

    private void queue(PendingCommand command) {
        outbox.add(command);
        if (flushRequested.compareAndSet(false, true)) {
            owner.writer.request(this);
        }
    }

    /**
     * Write the queued commands to the connection (writer thread). Without a connection they are dropped: the next
     * connection replays what is subscribed, and a PING or UNSUBSCRIBE has nothing to do there.
     */
    void flushOutbox() {
        flushRequested.set(false);
        if (outbox.isEmpty()) {
            return;
        }
        synchronized (writeLock) {
            Connection c = connection;
            PendingCommand command;
            if (c == null) {
                while (outbox.poll() != null) {
                    // dropped, see above
                }
                return;
            }
            writeStarted = System.nanoTime() | 1;
            try {
                while ((command = outbox.poll()) != null) {
                    if (command.kind == Kind.PONG) {
                        command.sent = Instant.now();
                        acks.add(command);
                        c.sendCommand(Protocol.Command.PING);
                    } else {
                        send(c, command.kind, command.entries);
                    }
                }
                ConnectionIo.flush(c);
            } catch (RuntimeException e) {
                // the reader sees the broken socket and reconnects; the desired state is replayed then
                drop(c);
            } finally {
                writeStarted = 0;
            }
        }
    }

    /**
     * Close the connection if a write to it has been blocked longer than {@code timeoutNanos} (housekeeper; takes no
     * lock). The reader then fails and reconnects.
     */
    void watchdog(long now, long timeoutNanos) {
        long started = writeStarted;
        Connection c = current;
        if (started != 0 && now - started > timeoutNanos && c != null) {
            owner.logger.log(Level.DEBUG, () -> owner.prefix + "a write to Redis at " + endpoint()
                    + " is blocked; closing the connection");
            kicked = true;
            breakConnection(c);
        }
    }

    private Kind subscribeKind() {
        return node != null ? Kind.SSUBSCRIBE : Kind.SUBSCRIBE;
    }

    /** Called by the housekeeper every ping interval: queues a PING. */
    void ping() {
        if (current != null) {
            queue(new PendingCommand(Kind.PONG, List.of(), null));
        }
    }

    /** Write a PING now; caller holds writeLock (install and replay, on the link thread). */
    private void writePing(Connection c, Runnable onAck) {
        PendingCommand ping = new PendingCommand(Kind.PONG, List.of(), onAck);
        ping.sent = Instant.now();
        acks.add(ping);
        writeStarted = System.nanoTime() | 1;
        try {
            c.sendCommand(Protocol.Command.PING);
            ConnectionIo.flush(c);
        } catch (RuntimeException e) {
            drop(c);
        } finally {
            writeStarted = 0;
        }
    }

    /** Stop writing to {@code c} and close it, so that the reader fails and reconnects; caller holds writeLock. */
    private void drop(Connection c) {
        if (connection == c) {
            connection = null;
        }
        breakConnection(c);
    }

    /** Write and flush; caller holds writeLock (the replay, on the link thread). */
    private void write(Connection c, Kind kind, List<ChannelEntry> entries) {
        writeStarted = System.nanoTime() | 1;
        try {
            send(c, kind, entries);
            ConnectionIo.flush(c);
        } catch (RuntimeException e) {
            // the reader sees the broken socket and reconnects; the desired state is replayed then
            drop(c);
        } finally {
            writeStarted = 0;
        }
    }

    /** Write the commands for entries without flushing, registering the acknowledgements; caller holds writeLock. */
    private void send(Connection c, Kind kind, List<ChannelEntry> entries) {
        for (List<ChannelEntry> command : commands(kind, entries)) {
            String[] args = new String[command.size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = command.get(i).wire;
            }
            acks.add(new PendingCommand(kind, command, null));
            c.sendCommand(kind.command, args);
        }
    }

    private static void breakConnection(Connection c) {
        ConnectionIo.forceDisconnect(c);
    }

    // ---------------------------------------------------------------- the loop (link thread)

    /** End the loop and close the connection; returns without waiting. */
    void stop() {
        running = false;
        reconnect.stop();
        Connection c = current;
        if (c != null) {
            breakConnection(c);
        }
    }

    /** If waiting out the backoff, reconnect now: another connection of the instance reached Redis. */
    void retryNow() {
        reconnect.retryNow();
    }

    /** Drop the connection (if any) and reconnect at once, without waiting out the backoff. */
    void kick() {
        kicked = true;
        reconnect.kick();
        // closed before writeLock is taken: a write blocked on this socket holds it, and ends when it is closed
        Connection c = current;
        if (c != null) {
            breakConnection(c);
        }
        synchronized (writeLock) {
            c = connection;
            connection = null;
        }
        if (c != null) {
            breakConnection(c);
        }
    }

    @Override
    public void run() {
        while (running) {
            Connection c = null;
            reconnect.attempting();
            try {
                c = factory != null ? factory.open("sub") : owner.topology.open(node, "sub");
                current = c;
                if (!running) {
                    break;
                }
                c.setSoTimeout(owner.readTimeoutMillis);
                if (!install(c)) {
                    break;
                }
                read(c);
            } catch (Throwable t) {
                if (!running) {
                    break;
                }
                // closed first: a write blocked on it holds writeLock, which uninstall takes
                if (c != null) {
                    breakConnection(c);
                }
                // no writer may touch the connection once it is being closed (see OneSocketConnection)
                uninstall(c);
                long delay = failed(t);
                closeQuietly(c);
                c = null;
                if (!reconnect.waitToRetry(delay)) {
                    break;
                }
            } finally {
                if (c != null) {
                    breakConnection(c);
                    uninstall(c);
                    closeQuietly(c);
                }
            }
        }
        running = false;
    }

    /**
     * Make {@code c} the connection and replay the assigned subscriptions in chunks, each written once the one
     * before was answered (see the class doc); false if stopped.
     */
    private boolean install(Connection c) {
        List<ChannelEntry> wantedChannels;
        List<ChannelEntry> wantedPatterns;
        synchronized (owner.registryLock) {
            synchronized (writeLock) {
                if (!running) {
                    return false;
                }
                // from now on new subscriptions are written by their callers; the replay covers the older ones
                connection = c;
                acks.clear();
                // nothing was in force on this connection before: a loss on it cannot begin earlier
                lastGood = Instant.now();
                installedAt = lastGood;
                wantedChannels = owner.channelsOf(this);
                wantedPatterns = owner.patternsOf(this);
            }
        }
        int count = replay(c, subscribeKind(), wantedChannels) + replay(c, Kind.PSUBSCRIBE, wantedPatterns);
        if (count < 0) {
            return false;
        }
        synchronized (writeLock) {
            if (connection != c) {
                throw new JedisConnectionException("the connection was dropped while subscribing again");
            }
            // replies come in order: when this PING is answered, every resubscription above was acknowledged
            writePing(c, () -> confirmed(count));
        }
        return true;
    }

    /**
     * Subscribe {@code entries} again on {@code c}, chunk by chunk, reading (and delivering) between chunks.
     *
     * @return the number of entries subscribed, or a negative number if stopped
     */
    private int replay(Connection c, Kind kind, List<ChannelEntry> entries) {
        int done = 0;
        int from = 0;
        while (from < entries.size()) {
            int to = from;
            long bytes = 0;
            while (to < entries.size() && to - from < REPLAY_CHUNK_CHANNELS
                    && (to == from || bytes + entries.get(to).wire.length() <= REPLAY_CHUNK_BYTES)) {
                bytes += entries.get(to).wire.length();
                to++;
            }
            boolean[] answered = new boolean[1];
            synchronized (owner.registryLock) {
                synchronized (writeLock) {
                    if (!running) {
                        return -1;
                    }
                    if (connection != c) {
                        throw new JedisConnectionException("the connection was dropped while subscribing again");
                    }
                    List<ChannelEntry> chunk = new ArrayList<>(to - from);
                    for (int i = from; i < to; i++) {
                        ChannelEntry entry = entries.get(i);
                        if (owner.stillHeld(entry, this)) {
                            chunk.add(entry);
                        }
                    }
                    if (!chunk.isEmpty()) {
                        write(c, kind, chunk);
                        done += chunk.size();
                    }
                    writePing(c, () -> answered[0] = true);
                }
            }
            while (!answered[0]) {
                if (!running) {
                    return -1;
                }
                readOne(c);
            }
            from = to;
        }
        return done;
    }

    private void uninstall(Connection c) {
        synchronized (writeLock) {
            if (connection == c) {
                connection = null;
            }
        }
        if (current == c) {
            current = null;
        }
    }

    private void confirmed(int resubscribed) {
        boolean again = everConnected;
        everConnected = true;
        state = State.UP;
        // a lost connection counts as a failed attempt, so a reconnection is always logged
        int failed = reconnect.succeeded(n -> again
                ? "reconnected to Redis at " + endpoint() + " after " + n + " failed attempt(s); resubscribed "
                        + resubscribed + " channel(s) and pattern(s)"
                : "connected to Redis at " + endpoint() + " after " + n + " failed attempt(s)");
        if (failed == 0 && !again) {
            owner.logger.log(Level.DEBUG, owner.prefix + "connected to Redis at " + endpoint());
        }
        owner.linkUp(this, again);
    }

    /** The connection attempt failed or the connection was lost: log, report, return the delay before the next. */
    private long failed(Throwable t) {
        boolean wasUp = state == State.UP;
        state = State.FAILED;
        boolean wasKicked = kicked;
        kicked = false;
        // kicked: the connection may have been deaf while PINGs were answered, see deafBound
        owner.linkLost(this, wasKicked ? deafBound() : lastGood, wasKicked || timedOut(t)
                ? SubscriptionGap.Reason.RESUBSCRIBED : SubscriptionGap.Reason.CONNECTION_LOST);
        RedisPubSubException error = Failures.describe(t, "subscriber connection", endpoint());
        long delay = reconnect.failed(error.getMessage(), t);
        owner.linkDown(this, wasUp, error);
        return delay;
    }

    /** Whether the read timed out: PINGs went unanswered (a half-open socket), the connection itself did not fail. */
    private static boolean timedOut(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void read(Connection c) {
        while (running) {
            readOne(c);
        }
    }

    /** Read one reply and act on it: deliver a message, match an acknowledgement. */
    private void readOne(Connection c) {
        Object reply;
        try {
            reply = c.getUnflushedObject();
        } catch (JedisDataException e) {
            // an error answer to one of our commands (e.g. NOPERM, MOVED): the connection itself is fine
            refused(e);
            return;
        }
        if (reply instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof byte[] kind) {
            if ((Arrays.equals(kind, MESSAGE) || Arrays.equals(kind, SMESSAGE)) && list.size() >= 3) {
                owner.onMessage((byte[]) list.get(1), (byte[]) list.get(2));
            } else if (Arrays.equals(kind, PMESSAGE) && list.size() >= 4) {
                owner.onPatternMessage((byte[]) list.get(1), (byte[]) list.get(2), (byte[]) list.get(3));
            } else if (Arrays.equals(kind, PONG)) {
                acknowledged(Kind.PONG, null);
            } else if (Arrays.equals(kind, SUBSCRIBE)) {
                acknowledged(Kind.SUBSCRIBE, string(list.get(1)));
            } else if (Arrays.equals(kind, UNSUBSCRIBE)) {
                acknowledged(Kind.UNSUBSCRIBE, string(list.get(1)));
            } else if (Arrays.equals(kind, PSUBSCRIBE)) {
                acknowledged(Kind.PSUBSCRIBE, string(list.get(1)));
            } else if (Arrays.equals(kind, PUNSUBSCRIBE)) {
                acknowledged(Kind.PUNSUBSCRIBE, string(list.get(1)));
            } else if (Arrays.equals(kind, SSUBSCRIBE)) {
                acknowledged(Kind.SSUBSCRIBE, string(list.get(1)));
            } else if (Arrays.equals(kind, SUNSUBSCRIBE)) {
                acknowledged(Kind.SUNSUBSCRIBE, string(list.get(1)));
            } else {
                owner.logger.log(Level.DEBUG, () -> owner.prefix + "ignored unexpected reply " + string(kind));
            }
        } else if (reply instanceof byte[] status && Arrays.equals(status, PONG_STATUS)) {
            // PING outside subscribed mode (no channel wanted) is answered with a status reply
            acknowledged(Kind.PONG, null);
        } else {
            owner.logger.log(Level.DEBUG, () -> owner.prefix + "ignored unexpected reply " + reply);
        }
    }

    private void acknowledged(Kind kind, String wire) {
        PendingCommand head = acks.peek();
        boolean matches = head != null && head.kind == kind
                // an unsolicited sunsubscribe must not be taken for the answer to our own SUNSUBSCRIBE
                && (kind != Kind.SUNSUBSCRIBE || wire.equals(head.nextWire()));
        if (!matches) {
            if (kind == Kind.SUNSUBSCRIBE) {
                // Redis dropped the channel: its slot moved, or this master became a replica
                owner.shardChannelsLost(this, List.of(wire), null);
                return;
            }
            owner.logger.log(Level.DEBUG, () -> owner.prefix + "unmatched acknowledgement " + kind + " " + wire
                    + " from " + endpoint());
            return;
        }
        if (kind == Kind.PONG) {
            acks.poll();
            if (head.sent != null) {
                lastGood = head.sent;
            }
            if (head.onAck != null) {
                head.onAck.run();
            }
            return;
        }
        ChannelEntry entry = head.entries.get(head.answered);
        head.answered++;
        if (head.answered >= head.expected()) {
            acks.poll();
        }
        if (kind.subscribes) {
            entry.ready.complete(null);
            owner.confirmed(entry);
            if (node != null) {
                owner.shardChannelConfirmed(this, entry);
            }
        }
    }

    private void refused(JedisDataException e) {
        PendingCommand head = acks.poll();
        if (head != null && head.kind == Kind.PONG) {
            // PING answered with an error: LOADING from a Redis still loading its data after a restart (it accepts
            // SUBSCRIBE meanwhile), or NOPERM. The replay waits for this answer, so it would never be confirmed on
            // this connection: drop it and reconnect with backoff
            throw new JedisConnectionException("Redis answered PING with an error: " + e.getMessage(), e);
        }
        if (head != null && e instanceof JedisRedirectionException) {
            if (head.kind == Kind.SSUBSCRIBE) {
                // the slot has another owner now: subscribe there once the slot map is fresh
                HostAndPort target = e instanceof JedisMovedDataException moved ? moved.getTargetNode() : null;
                owner.shardChannelsLost(this, head.wires(), target);
                return;
            }
            if (head.kind == Kind.SUNSUBSCRIBE) {
                // the slot moved away, so Redis had dropped the channel already
                return;
            }
        }
        String about = head == null || head.entries.isEmpty() ? "" : " for " + String.join(", ", head.wires());
        owner.owner.error(new RedisPubSubException("Redis at " + endpoint() + " refused a command" + about + ": "
                + e.getMessage(), e));
        if (head != null && head.kind.subscribes) {
            for (ChannelEntry entry : head.entries) {
                entry.ready.completeExceptionally(new RedisPubSubException(
                        "Redis refused the subscription to " + entry.wire + ": " + e.getMessage(), e));
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            // never reuse a subscriber connection: it may still be in subscribed mode
            c.setBroken();
            c.close();
        } catch (Exception ignored) {
            // closing a broken connection
        }
    }

    private static String string(Object raw) {
        return raw instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(raw);
    }

    @Override
    public String toString() {
        return "SubscriberLink{" + endpoint() + ", " + state + ", assigned=" + assigned + "}";
    }
}

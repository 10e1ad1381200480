package dev.wskit.redis.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.wskit.redis.MessageDeserializer;
import dev.wskit.redis.RedisPubSubException;

import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The subscriber: one dedicated connection, read by one long-running thread, with reconnect, backoff, resubscription
 * and a PING watchdog.
 *
 * <p>Threads: {@link #run()} is the only reader of the connection and calls the handlers. Writes (SUBSCRIBE,
 * UNSUBSCRIBE, PING) come from any thread and are serialised by {@code writeLock}; every write registers the replies
 * it expects in {@code acks}, in write order, so that the reader can tell which acknowledgement belongs to which
 * request even when the same channel is subscribed, unsubscribed and subscribed again quickly.
 *
 * <p>Lock order: {@code registryLock} before {@code writeLock}. The reader never takes either while calling user code.
 *
 * <p>Half-open sockets: Jedis's own pub/sub loop reads without a timeout. Here the socket read timeout is the ping
 * interval plus the ping timeout, and the housekeeper sends a PING every interval, so a healthy connection always
 * has something to read within the timeout; silence longer than that ends the read with an exception and the loop
 * reconnects.
 */
final class Subscriber implements Runnable {

    private static final int MAX_CHANNELS_PER_COMMAND = 1000;

    private static final byte[] MESSAGE = bytes("message");
    private static final byte[] PMESSAGE = bytes("pmessage");
    private static final byte[] SUBSCRIBE = bytes("subscribe");
    private static final byte[] UNSUBSCRIBE = bytes("unsubscribe");
    private static final byte[] PSUBSCRIBE = bytes("psubscribe");
    private static final byte[] PUNSUBSCRIBE = bytes("punsubscribe");
    private static final byte[] PONG = bytes("pong");
    private static final byte[] PONG_STATUS = bytes("PONG");

    private static final Object NOT_DECODED = new Object();
    private static final Object MALFORMED = new Object();

    private enum Kind { SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PONG }

    private record PendingAck(Kind kind, String wire, ChannelEntry entry, Runnable onAck) {
    }

    private final RedisPubSubImpl owner;
    private final ConnectionFactory factory;
    private final ChannelNames names;
    private final MessageDeserializer deserializer;
    private final Logger logger;
    private final String prefix;
    private final ThrottledLog connectLog;
    private final ThrottledLog messageLog;
    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final int readTimeoutMillis;

    final Object registryLock = new Object();
    final Map<String, ChannelEntry> channels = new ConcurrentHashMap<>();
    final Map<String, ChannelEntry> patterns = new ConcurrentHashMap<>();

    private final Object writeLock = new Object();
    private final ConcurrentLinkedQueue<PendingAck> acks = new ConcurrentLinkedQueue<>();
    private Connection connection;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile boolean connected;
    private boolean everConnected;
    private int attempt;

    Subscriber(RedisPubSubImpl owner, ConnectionFactory factory, ChannelNames names, MessageDeserializer deserializer,
            Logger logger, String prefix, long initialDelayMillis, long maxDelayMillis, int readTimeoutMillis) {
        this.owner = owner;
        this.factory = factory;
        this.names = names;
        this.deserializer = deserializer;
        this.logger = logger;
        this.prefix = prefix;
        this.connectLog = new ThrottledLog(logger, prefix);
        this.messageLog = new ThrottledLog(logger, prefix);
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    boolean isConnected() {
        return connected;
    }

    int subscriptionCount() {
        return channels.size() + patterns.size();
    }

    // ---------------------------------------------------------------- registry (any thread)

    ChannelEntry add(String wire, String name, boolean pattern, HandlerRef handler) {
        Map<String, ChannelEntry> map = pattern ? patterns : channels;
        synchronized (registryLock) {
            ChannelEntry entry = map.get(wire);
            boolean created = entry == null;
            if (created) {
                entry = new ChannelEntry(wire, name, pattern);
                map.put(wire, entry);
            }
            entry.handlers.add(handler);
            if (created) {
                synchronized (writeLock) {
                    if (connection != null) {
                        write(connection, pattern ? Kind.PSUBSCRIBE : Kind.SUBSCRIBE, List.of(entry));
                    }
                }
            }
            return entry;
        }
    }

    void remove(String wire, boolean pattern, Object identity) {
        Map<String, ChannelEntry> map = pattern ? patterns : channels;
        synchronized (registryLock) {
            ChannelEntry entry = map.get(wire);
            if (entry == null) {
                return;
            }
            entry.handlers.removeIf(ref -> ref.identity == identity);
            release(map, entry);
        }
    }

    void remove(ChannelEntry entry, HandlerRef handler) {
        Map<String, ChannelEntry> map = entry.pattern ? patterns : channels;
        synchronized (registryLock) {
            if (entry.handlers.remove(handler)) {
                release(map, entry);
            }
        }
    }

    private void release(Map<String, ChannelEntry> map, ChannelEntry entry) {
        if (!entry.handlers.isEmpty() || map.get(entry.wire) != entry) {
            return;
        }
        map.remove(entry.wire);
        entry.ready.completeExceptionally(new RedisPubSubException(
                "subscription to " + entry.name + " was closed before Redis acknowledged it"));
        synchronized (writeLock) {
            if (connection != null) {
                write(connection, entry.pattern ? Kind.PUNSUBSCRIBE : Kind.UNSUBSCRIBE, List.of(entry));
            }
        }
    }

    // ---------------------------------------------------------------- writes (any thread, under writeLock)

    /** Called by the housekeeper every ping interval. */
    void ping() {
        synchronized (writeLock) {
            if (connection != null) {
                writePing(connection, null);
            }
        }
    }

    private void writePing(Connection c, Runnable onAck) {
        acks.add(new PendingAck(Kind.PONG, null, null, onAck));
        try {
            c.sendCommand(Protocol.Command.PING);
            ConnectionIo.flush(c);
        } catch (RuntimeException e) {
            breakConnection(c);
        }
    }

    private void write(Connection c, Kind kind, List<ChannelEntry> entries) {
        ProtocolCommand command = switch (kind) {
            case SUBSCRIBE -> Protocol.Command.SUBSCRIBE;
            case UNSUBSCRIBE -> Protocol.Command.UNSUBSCRIBE;
            case PSUBSCRIBE -> Protocol.Command.PSUBSCRIBE;
            case PUNSUBSCRIBE -> Protocol.Command.PUNSUBSCRIBE;
            case PONG -> throw new IllegalArgumentException(kind.name());
        };
        boolean keepsEntry = kind == Kind.SUBSCRIBE || kind == Kind.PSUBSCRIBE;
        try {
            for (int from = 0; from < entries.size(); from += MAX_CHANNELS_PER_COMMAND) {
                List<ChannelEntry> chunk = entries.subList(from, Math.min(entries.size(), from + MAX_CHANNELS_PER_COMMAND));
                String[] args = new String[chunk.size()];
                for (int i = 0; i < args.length; i++) {
                    ChannelEntry entry = chunk.get(i);
                    args[i] = entry.wire;
                    acks.add(new PendingAck(kind, entry.wire, keepsEntry ? entry : null, null));
                }
                c.sendCommand(command, args);
            }
            ConnectionIo.flush(c);
        } catch (RuntimeException e) {
            // the reader sees the broken socket and reconnects; the desired state is replayed then
            breakConnection(c);
        }
    }

    private static void breakConnection(Connection c) {
        try {
            c.forceDisconnect();
        } catch (Exception ignored) {
            // already closed
        }
    }

    // ---------------------------------------------------------------- the loop (subscriber thread)

    void stop() {
        running = false;
        stopped.countDown();
        Connection c;
        synchronized (registryLock) {
            for (ChannelEntry entry : channels.values()) {
                entry.ready.completeExceptionally(new RedisPubSubException("RedisPubSub was destroyed"));
            }
            for (ChannelEntry entry : patterns.values()) {
                entry.ready.completeExceptionally(new RedisPubSubException("RedisPubSub was destroyed"));
            }
        }
        c = currentConnection();
        if (c != null) {
            breakConnection(c);
        }
    }

    private Connection currentConnection() {
        // read without the write lock: a writer blocked on a dead socket must not block stop()
        return connection;
    }

    @Override
    public void run() {
        while (running) {
            Connection c = null;
            try {
                c = factory.open("sub");
                c.setSoTimeout(readTimeoutMillis);
                int resubscribed = install(c);
                if (resubscribed < 0) {
                    break;
                }
                read(c);
            } catch (Throwable t) {
                if (!running) {
                    break;
                }
                failed(t);
                if (c != null) {
                    breakConnection(c);
                }
                uninstall(c);
                closeQuietly(c);
                c = null;
                long delay = Backoff.delayMillis(attempt++, initialDelayMillis, maxDelayMillis,
                        Backoff.DEFAULT_JITTER, ThreadLocalRandom.current().nextDouble());
                try {
                    if (stopped.await(delay, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
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
        connected = false;
    }

    /** Make {@code c} the connection and replay the desired state; returns the number of entries, -1 if stopped. */
    private int install(Connection c) {
        synchronized (registryLock) {
            synchronized (writeLock) {
                if (!running) {
                    return -1;
                }
                connection = c;
                acks.clear();
                List<ChannelEntry> wantedChannels = new ArrayList<>(channels.values());
                List<ChannelEntry> wantedPatterns = new ArrayList<>(patterns.values());
                if (!wantedChannels.isEmpty()) {
                    write(c, Kind.SUBSCRIBE, wantedChannels);
                }
                if (!wantedPatterns.isEmpty()) {
                    write(c, Kind.PSUBSCRIBE, wantedPatterns);
                }
                int count = wantedChannels.size() + wantedPatterns.size();
                // replies come in order: when this PING is answered, every resubscription above was acknowledged
                writePing(c, () -> confirmed(count));
                return count;
            }
        }
    }

    private void uninstall(Connection c) {
        synchronized (writeLock) {
            if (connection == c) {
                connection = null;
            }
        }
    }

    private void confirmed(int resubscribed) {
        int attempts = attempt;
        attempt = 0;
        connected = true;
        if (everConnected) {
            owner.subscriberReconnected();
            connectLog.recovered("reconnected to Redis at " + factory.endpoint() + " after " + attempts
                    + " failed attempt(s); resubscribed " + resubscribed + " channel(s) and pattern(s)");
        } else {
            everConnected = true;
            if (connectLog.isFailing()) {
                connectLog.recovered("connected to Redis at " + factory.endpoint() + " after " + attempts
                        + " failed attempt(s)");
            } else {
                logger.log(Level.DEBUG, prefix + "connected to Redis at " + factory.endpoint());
            }
        }
        owner.subscriberConnected();
    }

    private void failed(Throwable t) {
        boolean wasConnected = connected;
        connected = false;
        RedisPubSubException error = owner.describe(t, "subscriber connection");
        connectLog.failure(error.getMessage() + "; retrying with backoff", t);
        if (wasConnected) {
            owner.subscriberDisconnected();
        }
        owner.error(error);
    }

    private void read(Connection c) {
        while (running) {
            Object reply;
            try {
                reply = c.getUnflushedObject();
            } catch (JedisDataException e) {
                // an error answer to one of our commands (e.g. NOPERM): the connection itself is fine
                PendingAck ack = acks.poll();
                String about = ack == null || ack.wire() == null ? "" : " for " + ack.wire();
                owner.error(new RedisPubSubException("Redis refused a command" + about + ": " + e.getMessage(), e));
                if (ack != null && ack.entry() != null) {
                    ack.entry().ready.completeExceptionally(new RedisPubSubException(
                            "Redis refused the subscription to " + ack.wire() + ": " + e.getMessage(), e));
                }
                continue;
            }
            if (reply instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof byte[] kind) {
                if (Arrays.equals(kind, MESSAGE) && list.size() >= 3) {
                    onMessage((byte[]) list.get(1), (byte[]) list.get(2));
                } else if (Arrays.equals(kind, PMESSAGE) && list.size() >= 4) {
                    onPatternMessage((byte[]) list.get(1), (byte[]) list.get(2), (byte[]) list.get(3));
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
                } else {
                    logger.log(Level.DEBUG, () -> prefix + "ignored unexpected reply " + string(kind));
                }
            } else if (reply instanceof byte[] status && Arrays.equals(status, PONG_STATUS)) {
                // PING outside subscribed mode (no channel wanted) is answered with a status reply
                acknowledged(Kind.PONG, null);
            } else {
                logger.log(Level.DEBUG, () -> prefix + "ignored unexpected reply " + reply);
            }
        }
    }

    private void acknowledged(Kind kind, String wire) {
        PendingAck ack = acks.poll();
        if (ack == null || ack.kind() != kind || (wire != null && !wire.equals(ack.wire()))) {
            logger.log(Level.DEBUG, () -> prefix + "unmatched acknowledgement " + kind + " " + wire + ", expected "
                    + ack);
            return;
        }
        if (ack.entry() != null) {
            ack.entry().ready.complete(null);
        }
        if (ack.onAck() != null) {
            ack.onAck().run();
        }
    }

    // ---------------------------------------------------------------- dispatch (subscriber thread)

    private void onMessage(byte[] wireChannel, byte[] payloadBytes) {
        owner.received();
        ChannelEntry entry = channels.get(new String(wireChannel, StandardCharsets.UTF_8));
        if (entry == null) {
            // unsubscribed while the message was in flight
            return;
        }
        dispatch(entry, entry.name, payloadBytes);
    }

    private void onPatternMessage(byte[] wirePattern, byte[] wireChannel, byte[] payloadBytes) {
        owner.received();
        ChannelEntry entry = patterns.get(new String(wirePattern, StandardCharsets.UTF_8));
        if (entry == null) {
            return;
        }
        dispatch(entry, names.fromWire(new String(wireChannel, StandardCharsets.UTF_8)), payloadBytes);
    }

    private void dispatch(ChannelEntry entry, String channel, byte[] payloadBytes) {
        String payload = new String(payloadBytes, StandardCharsets.UTF_8);
        Object decoded = NOT_DECODED;
        for (HandlerRef handler : entry.handlers) {
            Object message;
            if (handler.type == null) {
                if (decoded == NOT_DECODED) {
                    decoded = decode(channel, payload);
                }
                if (decoded == MALFORMED) {
                    continue;
                }
                message = decoded;
            } else if (handler.type == String.class) {
                message = payload;
            } else {
                try {
                    message = DefaultCodec.INSTANCE.convert(payload, handler.type);
                } catch (Throwable t) {
                    malformed(channel, payload, "cannot be converted to " + handler.type.getName(), t);
                    continue;
                }
            }
            try {
                handler.invoke(channel, message);
            } catch (Throwable t) {
                owner.handlerFailed();
                RedisPubSubException error = new RedisPubSubException(
                        "a message handler for channel " + channel + " threw " + t, t);
                messageLog.failureWithStack(error.getMessage() + "; the other handlers still ran", t);
                owner.error(error);
            }
        }
    }

    private Object decode(String channel, String payload) {
        try {
            return deserializer.deserialize(payload);
        } catch (Throwable t) {
            malformed(channel, payload, "cannot be deserialized", t);
            return MALFORMED;
        }
    }

    private void malformed(String channel, String payload, String problem, Throwable t) {
        owner.malformed();
        String excerpt = payload.length() > 64 ? payload.substring(0, 64) + "...(" + payload.length() + " chars)"
                : payload;
        RedisPubSubException error = new RedisPubSubException(
                "a message on channel " + channel + " " + problem + ", was \"" + excerpt + "\"; it was dropped", t);
        messageLog.failureWithStack(error.getMessage(), t);
        owner.error(error);
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

package dev.wskit.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.wskit.redis.internal.history.MemoryHistoryStore;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

import dev.wskit.redis.RedisPubSubOptions;

/**
 * The in-memory stand-in for one Redis server: routes each published message to every connected
 * {@link LocalPubSub} subscribed to its channel or to a matching pattern, by the wire names (namespace included),
 * as Redis does.
 *
 * <p>Delivery is synchronous and in one total order: a publish queues the message and, unless the calling thread is
 * delivering already, delivers every queued message before it returns; only one thread delivers at a time. A
 * publish from inside a handler (re-entrant) is thus delivered right after the message being handled has reached
 * all its handlers, before the outermost publish returns, and every subscriber sees messages in the same order.
 *
 * <p>Thread-safe.
 */
public final class LocalBroker {

    /** How many published messages {@link #messages()} keeps, the latest ones. */
    public static final int MAX_RECORDED = 10_000;

    /** A message as it crossed the broker: the channel on the wire and the payload. */
    public record Message(String channel, String payload) {
    }

    private final ReentrantLock delivery = new ReentrantLock();
    private final ConcurrentLinkedQueue<Message> pending = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<LocalPubSub> members = new CopyOnWriteArrayList<>();
    private final Object recordLock = new Object();
    // guarded by recordLock
    private final ArrayDeque<Message> recorded = new ArrayDeque<>();
    /** The histories of the channels with history, shared by the members as Redis shares them. */
    private final MemoryHistoryStore histories = new MemoryHistoryStore(this::publish);

    /**
     * Connect a new instance to this broker.
     *
     * @param options the options; only the namespace, the codec, the callbacks and {@code shardedPubSub} matter;
     *     must not be {@code null}
     * @return the instance, connected; never {@code null}
     */
    public LocalPubSub connect(RedisPubSubOptions options) {
        Objects.requireNonNull(options, "options must not be null");
        LocalPubSub pubsub = new LocalPubSub(this, options);
        members.add(pubsub);
        pubsub.started();
        return pubsub;
    }

    /** The histories of the channels with history. */
    MemoryHistoryStore histories() {
        return histories;
    }

    /**
     * Forget the history of a channel, as Redis losing it would (restarted without persistence, keys evicted): its
     * next message starts a new epoch at offset 1, and receivers are told of the loss.
     *
     * @param wireChannel the channel on the wire, namespace included; must not be {@code null}
     */
    public void resetHistory(String wireChannel) {
        histories.reset(Objects.requireNonNull(wireChannel, "channel must not be null"));
    }

    void leave(LocalPubSub pubsub) {
        members.remove(pubsub);
    }

    /**
     * Publish a payload on a channel as any Redis client would ({@code PUBLISH wireChannel payload}).
     *
     * @param wireChannel the channel on the wire, namespace included; must not be {@code null}
     * @param payload the payload; must not be {@code null}
     */
    public void publish(String wireChannel, String payload) {
        Objects.requireNonNull(wireChannel, "channel must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        // through UTF-8 like the real wire: what cannot be encoded arrives as Redis would return it
        publish(wireChannel, payload.getBytes(StandardCharsets.UTF_8));
    }

    void publish(String wireChannel, byte[] payload) {
        Message message = new Message(wireChannel, new String(payload, StandardCharsets.UTF_8));
        synchronized (recordLock) {
            if (recorded.size() == MAX_RECORDED) {
                recorded.pollFirst();
            }
            recorded.addLast(message);
        }
        pending.add(message);
        if (delivery.isHeldByCurrentThread()) {
            // a handler publishes: the loop below, further up this thread's stack, delivers it next
            return;
        }
        delivery.lock();
        try {
            Message next;
            while ((next = pending.poll()) != null) {
                byte[] bytes = next.payload().getBytes(StandardCharsets.UTF_8);
                for (LocalPubSub member : members) {
                    member.receive(next.channel(), bytes);
                }
            }
        } finally {
            delivery.unlock();
        }
    }

    /**
     * Return the messages published through this broker, oldest first: the latest {@value #MAX_RECORDED}.
     *
     * @return a snapshot; never {@code null}
     */
    public List<Message> messages() {
        synchronized (recordLock) {
            return List.copyOf(recorded);
        }
    }

    /** Forget the recorded messages. */
    public void clearMessages() {
        synchronized (recordLock) {
            recorded.clear();
        }
    }

    /**
     * Count the connected instances subscribed to a channel, as {@code PUBSUB NUMSUB} does.
     *
     * @param wireChannel the channel on the wire, namespace included; must not be {@code null}
     * @return the number of subscribed instances
     */
    public long numsub(String wireChannel) {
        long n = 0;
        for (LocalPubSub member : members) {
            if (member.holdsChannel(wireChannel)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Count the pattern subscriptions of all connected instances, as {@code PUBSUB NUMPAT} does.
     *
     * @return the number of pattern subscriptions
     */
    public long numpat() {
        long n = 0;
        for (LocalPubSub member : members) {
            n += member.patternCount();
        }
        return n;
    }

    /**
     * Return the channels at least one connected instance is subscribed to, as {@code PUBSUB CHANNELS} does.
     *
     * @return the channels on the wire, sorted; never {@code null}
     */
    public List<String> channels() {
        TreeSet<String> all = new TreeSet<>();
        for (LocalPubSub member : members) {
            member.addChannelsTo(all);
        }
        return new ArrayList<>(all);
    }
}

package dev.wskit.redis.internal.websocket.delivery;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.LongSupplier;

/**
 * The payloads this instance published on one channel with "exclude the sender", each with its sender, so that the
 * sender can be skipped when Redis delivers the payload back, without adding anything to the wire format.
 *
 * <p>Why matching by content works: this instance publishes on one connection, and Redis delivers one publisher's
 * messages in the order they were published. So the payloads come back in the order of this FIFO, interleaved with
 * other publishers' messages. {@link #match(String)} takes the oldest entry with an equal payload. If another
 * instance publishes an equal payload that arrives first, that one is skipped for the sender instead of its own;
 * the sender still receives exactly one of the two equal messages, which it cannot tell apart.
 *
 * <p>Entries whose message never comes back (lost while the subscriber reconnected, or changed by a custom
 * serializer) must not pile up: {@link #remove(Entry)} takes back the entry of a failed publish, entries older than
 * the time to live expire, and the FIFO drops its oldest entry when full. An expired or dropped entry only means the
 * sender receives its own message.
 *
 * <p>Thread-safe. {@link #match(String)}, called for every message of the channel, takes no lock while the FIFO is
 * empty, which it is unless members of the channel publish with exclusion: its size is also kept in a volatile
 * field. A payload is added before it is published, so by the time it can come back the size says so.
 *
 * @param <S> the type of the sender
 */
public final class SenderExclusions<S> {

    /** An entry; compared by identity. */
    public static final class Entry {

        final String payload;
        final Object sender;
        final long addedNanos;

        Entry(String payload, Object sender, long addedNanos) {
            this.payload = payload;
            this.sender = sender;
            this.addedNanos = addedNanos;
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final int capacity;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    /** {@code entries.size()}, written under the lock after every change, read without it. */
    private volatile int size;

    /**
     * Create an empty FIFO.
     *
     * @param capacity the most entries kept; at least 1
     * @param ttlNanos how long an entry waits for its payload to come back, in nanoseconds; at least 1
     * @param nanoClock the clock, such as {@code System::nanoTime}; must not be {@code null}
     * @throws IllegalArgumentException if an argument is out of range or {@code null}
     */
    public SenderExclusions(int capacity, long ttlNanos, LongSupplier nanoClock) {
        if (capacity < 1 || ttlNanos < 1 || nanoClock == null) {
            throw new IllegalArgumentException("capacity and ttlNanos must be at least 1 and nanoClock not null");
        }
        this.capacity = capacity;
        this.ttlNanos = ttlNanos;
        this.nanoClock = nanoClock;
    }

    /**
     * Remember a payload that is about to be published, before it is published.
     *
     * @param payload the payload exactly as it will come back; must not be {@code null}
     * @param sender the sender to skip; must not be {@code null}
     * @return the entry, for {@link #remove(Entry)}; never {@code null}
     */
    public synchronized Entry add(String payload, S sender) {
        long now = nanoClock.getAsLong();
        expire(now);
        if (entries.size() >= capacity) {
            entries.pollFirst();
        }
        Entry entry = new Entry(payload, sender, now);
        entries.addLast(entry);
        size = entries.size();
        return entry;
    }

    /**
     * Forget an entry, because its publish failed. Does nothing if it is gone already.
     *
     * @param entry an entry from {@link #add(String, Object)}; must not be {@code null}
     */
    public synchronized void remove(Entry entry) {
        entries.removeIf(e -> e == entry);
        size = entries.size();
    }

    /**
     * Take the oldest entry with this payload and return its sender.
     *
     * @param payload a payload received from Redis; must not be {@code null}
     * @return the sender to skip for this message, or {@code null} if the payload is not one of ours
     */
    public S match(String payload) {
        if (size == 0) {
            // the common case, no lock: nothing published with exclusion is on its way back
            return null;
        }
        return matchLocked(payload);
    }

    @SuppressWarnings("unchecked")
    private synchronized S matchLocked(String payload) {
        try {
            expire(nanoClock.getAsLong());
            for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
                Entry entry = it.next();
                if (entry.payload.equals(payload)) {
                    it.remove();
                    return (S) entry.sender;
                }
            }
            return null;
        } finally {
            size = entries.size();
        }
    }

    /**
     * Return the number of entries.
     *
     * @return the number of payloads waiting to come back
     */
    public int size() {
        return size;
    }

    private void expire(long now) {
        Entry head;
        // entries are in the order they were added, so the expired ones are at the head
        while ((head = entries.peekFirst()) != null && now - head.addedNanos > ttlNanos) {
            entries.pollFirst();
        }
    }
}

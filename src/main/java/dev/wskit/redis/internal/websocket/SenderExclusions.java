package dev.wskit.redis.internal.websocket;

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
 * <p>Thread-safe.
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
        return entry;
    }

    /**
     * Forget an entry, because its publish failed. Does nothing if it is gone already.
     *
     * @param entry an entry from {@link #add(String, Object)}; must not be {@code null}
     */
    public synchronized void remove(Entry entry) {
        entries.removeIf(e -> e == entry);
    }

    /**
     * Take the oldest entry with this payload and return its sender.
     *
     * @param payload a payload received from Redis; must not be {@code null}
     * @return the sender to skip for this message, or {@code null} if the payload is not one of ours
     */
    @SuppressWarnings("unchecked")
    public synchronized S match(String payload) {
        if (entries.isEmpty()) {
            return null;
        }
        expire(nanoClock.getAsLong());
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.payload.equals(payload)) {
                it.remove();
                return (S) entry.sender;
            }
        }
        return null;
    }

    /**
     * Return the number of entries.
     *
     * @return the number of payloads waiting to come back
     */
    public synchronized int size() {
        return entries.size();
    }

    private void expire(long now) {
        Entry head;
        // entries are in the order they were added, so the expired ones are at the head
        while ((head = entries.peekFirst()) != null && now - head.addedNanos > ttlNanos) {
            entries.pollFirst();
        }
    }
}

package dev.wskit.redis.internal.subscribe;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that writes the subscriber links' commands ({@code SUBSCRIBE}, {@code UNSUBSCRIBE}, their pattern and
 * sharded forms, {@code PING}), so that the threads that ask for them (callers of {@code subscribe} and
 * {@code unsubscribe}, the housekeeper) only queue a command and never touch a socket.
 *
 * <p>A link with queued commands is {@linkplain #request(SubscriberLink) requested} once; the thread takes the
 * requested links in turn and has each write what it has queued ({@link SubscriberLink#flushOutbox()}). A write to a
 * Redis that stopped reading blocks this thread until the connection is closed: by the link's reader when its read
 * times out, or by the housekeeper's watchdog ({@link SubscriberLink#watchdog}), which closes the socket without
 * taking any lock the blocked write holds. One thread serves every link of an instance.
 */
final class LinkWriter implements Runnable {

    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ConcurrentLinkedQueue<SubscriberLink> requested = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile Thread thread;

    /** Have the thread write the commands {@code link} queued; the link calls this once per batch of commands. */
    void request(SubscriberLink link) {
        requested.add(link);
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** End the loop; returns without waiting. */
    void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (running) {
            SubscriberLink link = requested.poll();
            if (link != null) {
                link.flushOutbox();
                continue;
            }
            LockSupport.parkNanos(this, IDLE_NANOS);
        }
    }
}

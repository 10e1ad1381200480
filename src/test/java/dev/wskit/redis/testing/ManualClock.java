package dev.wskit.redis.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.wskit.redis.internal.support.Clock;

/**
 * A {@link Clock} that stands still until the test {@link #advance advances} it: waits measured with it take no real
 * time, and a test can tell that a thread has looked at the current time and decided to go on waiting
 * ({@link #awaitWaiter()}).
 *
 * <p>No wake-up is lost: a waiter's monitor is known to the clock before the waiter checks whether the time moved
 * since its last {@link #nanoTime()}, and {@link #advance} notifies every known monitor after moving the time. A wait
 * also ends, like a spurious wake-up, after a second of real time, so that nothing waits forever.
 */
public final class ManualClock implements Clock {

    private static final long REAL_WAIT_CAP_MILLIS = 1000;

    private final AtomicLong now = new AtomicLong(TimeUnit.DAYS.toNanos(1));
    private final Set<Object> monitors = ConcurrentHashMap.newKeySet();
    /** The threads in {@link #timedWait}, with the time their wait is based on. */
    private final Map<Thread, Long> waiters = new ConcurrentHashMap<>();
    private final ThreadLocal<Long> lastRead = new ThreadLocal<>();

    @Override
    public long nanoTime() {
        long t = now.get();
        lastRead.set(t);
        return t;
    }

    @Override
    public void timedWait(Object monitor, long nanos) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        monitors.add(monitor);
        Long seen = lastRead.get();
        long t = now.get();
        if (seen == null || seen != t) {
            return; // the time moved since the caller looked: let it look again
        }
        waiters.put(Thread.currentThread(), t);
        try {
            monitor.wait(REAL_WAIT_CAP_MILLIS);
        } finally {
            waiters.remove(Thread.currentThread());
        }
    }

    /** Move the time forward and wake every waiter, so that each looks at the new time. */
    public void advance(Duration d) {
        now.addAndGet(d.toNanos());
        for (Object monitor : monitors) {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }
    }

    /** Move the time forward by {@code millis} milliseconds; see {@link #advance(Duration)}. */
    public void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    /** Whether {@code thread} is waiting, having seen the current time. */
    public boolean isWaitingNow(Thread thread) {
        Long t = waiters.get(thread);
        return t != null && t == now.get();
    }

    /**
     * Return once some thread waits, having seen the current time (it has not missed an {@link #advance}), or fail
     * after 10 s.
     */
    public void awaitWaiter() {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> waiters.values().stream().anyMatch(t -> t == now.get()));
    }

    /** Like {@link #awaitWaiter()}, for one given thread. */
    public void awaitWaiting(Thread thread) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10)).until(() -> isWaitingNow(thread));
    }
}

package dev.wskit.redis.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

import dev.wskit.redis.internal.support.Clock;

/**
 * The thread that keeps the connections alive: every ping interval it queues the PINGs and runs the watchdogs
 * that close connections whose writes are blocked; with a second task ({@link #every}), such as the loopback canary,
 * it runs that one at its own interval too. It never runs user code (that is {@link CallbackRunner}'s), so
 * nothing the application does can hold up a PING past the read timeout.
 */
final class Housekeeper implements Runnable {

    private final long pingIntervalNanos;
    private final Runnable ping;
    private final Logger logger;
    private final String prefix;
    private final Clock clock;
    private boolean stopped;
    /** The second task and its interval; {@code null} and 0 when there is none. Set before the thread starts. */
    private Runnable other;
    private long otherIntervalNanos;

    Housekeeper(long pingIntervalNanos, Runnable ping, Logger logger, String prefix) {
        this(pingIntervalNanos, ping, logger, prefix, Clock.SYSTEM);
    }

    /** A housekeeper that measures the interval with {@code clock} (tests: virtual time). */
    Housekeeper(long pingIntervalNanos, Runnable ping, Logger logger, String prefix, Clock clock) {
        this.pingIntervalNanos = pingIntervalNanos;
        this.ping = ping;
        this.logger = logger;
        this.prefix = prefix;
        this.clock = clock;
    }

    /**
     * Also run {@code task} every {@code intervalNanos}, measured from the end of its previous run; call before the
     * thread starts.
     *
     * @return this housekeeper
     */
    synchronized Housekeeper every(long intervalNanos, Runnable task) {
        this.otherIntervalNanos = intervalNanos;
        this.other = task;
        return this;
    }

    /** End the loop: the current wait ends at once, and no PING follows. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    @Override
    public void run() {
        try {
            long now = clock.nanoTime();
            long nextPing = now + pingIntervalNanos;
            long nextOther = now + otherIntervalNanos;
            Runnable second;
            synchronized (this) {
                second = other;
            }
            while (true) {
                long due = second == null || nextPing - nextOther <= 0 ? nextPing : nextOther;
                if (!awaitUntil(due)) {
                    return;
                }
                if (due == nextPing) {
                    run(ping, "the periodic PING failed; retrying next interval");
                    nextPing = clock.nanoTime() + pingIntervalNanos;
                }
                if (second != null && nextOther - clock.nanoTime() <= 0) {
                    run(second, "the loopback canary failed; retrying next interval");
                    nextOther = clock.nanoTime() + otherIntervalNanos;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Runnable task, String failure) {
        try {
            task.run();
        } catch (Throwable t) {
            logger.log(Level.WARNING, prefix + failure, t);
        }
    }

    /**
     * Wait until {@code deadline} of the clock.
     *
     * @return {@code false} if stopped, now or before
     */
    private synchronized boolean awaitUntil(long deadline) throws InterruptedException {
        while (!stopped) {
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                return true;
            }
            clock.timedWait(this, left);
        }
        return false;
    }
}

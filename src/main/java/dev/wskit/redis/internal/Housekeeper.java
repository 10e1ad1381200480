package dev.wskit.redis.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

import dev.wskit.redis.internal.support.Clock;

/**
 * The thread that keeps the connections alive: every ping interval it queues the PINGs and runs the watchdogs
 * that close connections whose writes are blocked. It never runs user code (that is {@link CallbackRunner}'s), so
 * nothing the application does can hold up a PING past the read timeout.
 */
final class Housekeeper implements Runnable {

    private final long pingIntervalNanos;
    private final Runnable ping;
    private final Logger logger;
    private final String prefix;
    private final Clock clock;
    private boolean stopped;

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

    /** End the loop: the current wait ends at once, and no PING follows. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    @Override
    public void run() {
        try {
            while (awaitInterval()) {
                try {
                    ping.run();
                } catch (Throwable t) {
                    logger.log(Level.WARNING, prefix + "the periodic PING failed; retrying next interval", t);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Wait one ping interval, measured from now (the end of the previous round).
     *
     * @return {@code false} if stopped, now or before
     */
    private synchronized boolean awaitInterval() throws InterruptedException {
        long deadline = clock.nanoTime() + pingIntervalNanos;
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

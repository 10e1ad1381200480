package dev.wskit.redis.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
    private final CountDownLatch stopped = new CountDownLatch(1);

    Housekeeper(long pingIntervalNanos, Runnable ping, Logger logger, String prefix) {
        this.pingIntervalNanos = pingIntervalNanos;
        this.ping = ping;
        this.logger = logger;
        this.prefix = prefix;
    }

    void stop() {
        stopped.countDown();
    }

    @Override
    public void run() {
        try {
            while (!stopped.await(pingIntervalNanos, TimeUnit.NANOSECONDS)) {
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
}
